// Baseline for the SOCKS5 benchmark: the same file, file to file, over one plain TCP connection on
// loopback with Node streams (read stream → socket → write stream), no protocol. With HASH=1 both
// ends also compute SHA-256 over the bytes, as Flint does (sender for the XEP-0234 checksum,
// receiver to check it): the floor for any hash-verified transfer on this machine.
//   receiver: node raw-pipe.mjs receive OUTFILE   → prints {event:'listening', port}, then {event:'received', bytes}
//   sender:   node raw-pipe.mjs send FILE PORT    → waits for "go" on stdin, prints {event:'sent', bytes}
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

const [role, file, port] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const hash = process.env.HASH === '1' ? createHash('sha256') : undefined;

if (role === 'receive') {
  const server = net.createServer((socket) => {
    const sink = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    let bytes = 0;
    socket.on('data', (c) => {
      bytes += c.length;
      hash?.update(c);
    });
    socket.pipe(sink).on('finish', () => {
      out({ event: 'received', bytes, sha256: hash?.digest('hex') });
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => out({ event: 'listening', port: server.address().port }));
} else {
  readline.createInterface({ input: process.stdin }).once('line', () => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      if (hash) source.on('data', (c) => hash.update(c));
      source.pipe(socket);
    });
    socket.on('close', () => out({ event: 'sent', bytes: socket.bytesWritten }));
  });
}
