// Baseline for the SOCKS5 benchmark: the same file, file to file, over one plain TCP connection on
// loopback with Node streams (read stream → socket → write stream), no protocol, no hashing.
//   receiver: node raw-pipe.mjs receive OUTFILE   → prints {event:'listening', port}, then {event:'received', bytes}
//   sender:   node raw-pipe.mjs send FILE PORT    → waits for "go" on stdin, prints {event:'sent', bytes}
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

const [role, file, port] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (role === 'receive') {
  const server = net.createServer((socket) => {
    const sink = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    let bytes = 0;
    socket.on('data', (c) => (bytes += c.length));
    socket.pipe(sink).on('finish', () => {
      out({ event: 'received', bytes });
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => out({ event: 'listening', port: server.address().port }));
} else {
  readline.createInterface({ input: process.stdin }).once('line', () => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(socket);
    });
    socket.on('close', () => out({ event: 'sent', bytes: socket.bytesWritten }));
  });
}
