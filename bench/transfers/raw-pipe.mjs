// Baseline for the SOCKS5 benchmark: the same file, file to file, over one plain TCP connection on
// loopback with Node streams (read stream → socket → write stream), no protocol. With HASH=1 both
// ends also compute SHA-256 over the bytes, as Flint does (sender for the XEP-0234 checksum,
// receiver to check it): the floor for any hash-verified transfer on this machine.
//   receiver: node raw-pipe.mjs receive OUTFILE   → prints {event:'listening', port}, then {event:'received', bytes, cpu}
//   sender:   node raw-pipe.mjs send FILE PORT    → waits for "go" on stdin, prints {event:'sent', bytes, cpu}
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

const [role, file, port] = process.argv.slice(2);
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const hash = process.env.HASH === '1' ? createHash('sha256') : undefined;
// CPU time (user + system, this process) from the first byte's moment on, reported with the result,
// and the Linux scheduler's figures for our threads (s on a CPU, s runnable but waiting for one).
let cpu0;
let sched0;
function schedstat() {
  try {
    let run = 0;
    let wait = 0;
    for (const t of fs.readdirSync('/proc/self/task')) {
      const [r, w] = fs.readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ').map(Number);
      run += r;
      wait += w;
    }
    return { run, wait };
  } catch {
    return undefined;
  }
}
const schedSince = () => {
  const now = schedstat();
  return now && sched0 ? { runS: +((now.run - sched0.run) / 1e9).toFixed(2), waitS: +((now.wait - sched0.wait) / 1e9).toFixed(2) } : undefined;
};

if (role === 'receive') {
  const server = net.createServer((socket) => {
    cpu0 = process.cpuUsage();
    sched0 = schedstat();
    const sink = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
    let bytes = 0;
    socket.on('data', (c) => {
      bytes += c.length;
      hash?.update(c);
    });
    socket.pipe(sink).on('finish', () => {
      out({ event: 'received', bytes, sha256: hash?.digest('hex'), cpu: process.cpuUsage(cpu0), sched: schedSince() });
      server.close();
    });
  });
  server.listen(0, '127.0.0.1', () => out({ event: 'listening', port: server.address().port }));
} else {
  readline.createInterface({ input: process.stdin }).once('line', () => {
    cpu0 = process.cpuUsage();
    sched0 = schedstat();
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
      if (hash) source.on('data', (c) => hash.update(c));
      source.pipe(socket);
    });
    socket.on('close', () => out({ event: 'sent', bytes: socket.bytesWritten, cpu: process.cpuUsage(cpu0), sched: schedSince() }));
  });
}
