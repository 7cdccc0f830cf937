// Preloaded into Flint's web process by browser.mjs (`node --import loop-monitor.mjs dist/main/web.cjs`):
// measures the main process's event-loop delay and CPU time between a "start" and a "stop" line
// on fd 3 (a pipe to the bench), and answers "stop" with one JSON line. The process's own stdout
// stays as web.ts writes it (one line, the URL).
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const io = new net.Socket({ fd: 3, readable: true, writable: true });
io.unref();
let hist;
let cpu0;
let buf = '';
io.setEncoding('utf8');
io.on('data', (chunk) => {
  buf += chunk;
  for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
    const cmd = buf.slice(0, nl).trim();
    buf = buf.slice(nl + 1);
    if (cmd === 'start') {
      // 2 ms resolution: a delay shorter than that is not a stall anyone notices.
      hist = monitorEventLoopDelay({ resolution: 2 });
      hist.enable();
      cpu0 = process.cpuUsage();
      io.write('started\n');
    } else if (cmd === 'stop' && hist) {
      hist.disable();
      const cpu = process.cpuUsage(cpu0);
      const ms = (ns) => Math.round(ns / 1e5) / 10;
      io.write(
        `${JSON.stringify({ p50: ms(hist.percentile(50)), p99: ms(hist.percentile(99)), max: ms(hist.max), over50: countOver(hist, 50e6), cpuMs: Math.round((cpu.user + cpu.system) / 1000) })}\n`,
      );
      hist = undefined;
    }
  }
});

/** How many samples of the histogram were delayed by more than `ns` (each is one stalled turn, roughly). */
function countOver(h, ns) {
  let n = 0;
  for (const [percentile, value] of h.percentiles) if (value > ns) n = Math.max(n, Math.round(((100 - percentile) / 100) * h.count));
  return n;
}
