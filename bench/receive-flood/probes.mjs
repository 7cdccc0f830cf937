// The receive-flood browser round's probes (browser.mjs runs the rounds and reports): what it
// measures from outside the app's code — in the page (instrument(), an init script), CPU time of
// every process (/proc), main's commits (its history database, read-only), the c2s connection's
// TCP counters (`ss -tni`) and Prosody's writes (strace, --trace-server).
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from '../lib/app.mjs';

const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3');

/* global requestAnimationFrame -- instrument() runs in the page */
export function instrument() {
  const b = (window.__bench = { tag: null, count: 0, batches: 0, first: null, last: null, painted: null, longtasks: [] });
  // Long tasks and afterThisFrame: bench/lib/page-probes.js, loaded before this.
  window.__probes.onLongTask((t) => b.longtasks.push(t));
  const afterPaint = (cb) => requestAnimationFrame(() => window.__probes.afterThisFrame(cb));
  // The newest message is shown: one of the log's last few items has its text.
  const shown = () => {
    const log = document.querySelector('[role="log"]');
    let el = log?.lastElementChild;
    for (let i = 0; el && i < 4; i++, el = el.previousElementSibling) if (el.textContent.includes(b.lastText)) return true;
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (b.tag === null || typeof ev.data !== 'string' || !ev.data.includes('"message.received"')) return;
        const needle = `"id":"${b.tag}-`;
        let n = 0;
        for (let i = ev.data.indexOf(needle); i >= 0; i = ev.data.indexOf(needle, i + needle.length)) n++;
        if (n === 0) return;
        const now = performance.now();
        b.batches++;
        if (b.first === null) b.first = now;
        b.count += n;
        if (b.count >= b.total && b.last === null) {
          b.last = now;
          const tick = () => (shown() ? afterPaint((t) => (b.painted = t)) : requestAnimationFrame(tick));
          requestAnimationFrame(tick);
        }
      });
    }
  };
}

/** CPU time (ms) of every process on the machine by command name (/proc/<pid>/stat utime + stime), to see who took the cores during a round. */
export function cpuByCommand() {
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const out = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // Keyed by pid (a kernel worker's name changes with the work it does), named as now.
    out.set(pid, { comm, ms: (Number(f[11]) + Number(f[12])) * tick });
  }
  return out;
}

/** CPU ms per command name between two cpuByCommand() readings (processes that ended meanwhile are missed). */
export function cpuDiff(before, after) {
  const byName = {};
  for (const [pid, { comm, ms }] of after) {
    // kworkers: one name per kind (kworker/u8:2-events_unbound → kworker).
    const name = comm.startsWith('kworker/') ? 'kworker' : comm;
    const d = ms - (before.get(pid)?.ms ?? 0);
    if (d > 0) byName[name] = (byName[name] ?? 0) + d;
  }
  return Object.fromEntries(Object.entries(byName).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [k, Math.round(v)]));
}

/**
 * Polls main's history database (read-only, WAL: it sees committed rows only) until `count` rows
 * of the round are there; resolves with the times the first and the last were seen.
 */
export function watchCommits(profile, tag, count) {
  let db;
  let first = null;
  let timer;
  return new Promise((resolve) => {
    const poll = () => {
      const file = path.join(profile, 'history.sqlite3');
      if (!db && existsSync(file)) db = new Database(file, { readonly: true, fileMustExist: true });
      const n = db ? db.prepare('SELECT count(*) FROM messages WHERE msg_id >= ? AND msg_id < ?').pluck().get(`${tag}-`, `${tag}.`) : 0;
      const now = performance.now();
      if (n > 0 && first === null) first = now;
      if (n >= count) {
        db.close();
        return resolve({ first, last: now });
      }
      timer = setTimeout(poll, 50);
    };
    poll();
  }).finally(() => clearTimeout(timer));
}

const epochNow = () => performance.timeOrigin + performance.now();

/**
 * Samples the two ends of Flint's c2s connection every `intervalMs` with `ss -tni` (kernel TCP
 * info): Flint's socket (Recv-Q: bytes the kernel holds that main has not read yet) and Prosody's
 * (bytes_acked + Send-Q: every byte Prosody has written to it — on loopback they reach Flint's
 * kernel at once unless Flint's receive window is full, which then shows as Send-Q). `stop()`
 * resolves with the samples: [epoch ms, Flint Recv-Q, Prosody written, Prosody Send-Q, Prosody's
 * time held back by Flint's receive window (ms, cumulative)].
 */
export function sampleSockets(localPort, intervalMs) {
  const samples = [];
  let stopped = false;
  const filter = `( sport = :${localPort} or dport = :${localPort} )`;
  const once = () =>
    new Promise((resolve) => {
      const t0 = epochNow();
      execFile('ss', ['-tniH', 'state', 'established', filter], (err, out) => {
        const t = (t0 + epochNow()) / 2;
        if (err) return resolve();
        let flint;
        let prosody;
        const lines = out.split('\n');
        for (let i = 0; i < lines.length; i++) {
          const head = lines[i].trim().split(/\s+/);
          if (head.length < 4 || /^\s/.test(lines[i])) continue;
          const info = lines[i + 1] ?? '';
          const num = (k) => Number(new RegExp(`\\b${k}:(\\d+)`).exec(info)?.[1] ?? 0);
          // rwnd_limited: how long the sender was held back by the receiver's window (tcp_info, cumulative).
          const entry = { recvQ: Number(head[0]), sendQ: Number(head[1]), acked: num('bytes_acked'), received: num('bytes_received'), rwndLimitedMs: Number(/\brwnd_limited:(\d+)ms/.exec(info)?.[1] ?? 0) };
          if (head[2].endsWith(`:${localPort}`)) flint = entry;
          else if (head[3].endsWith(`:${localPort}`)) prosody = entry;
        }
        if (flint && prosody) samples.push([t, flint.recvQ, prosody.acked + prosody.sendQ, prosody.sendQ, prosody.rwndLimitedMs]);
        resolve();
      });
    });
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      await once();
      await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - (performance.now() - t))));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      await once();
      return samples;
    },
  };
}

/**
 * From the socket samples of a round: when Prosody wrote the flood to Flint (first and last write,
 * to half a sampling interval), and what piled up in the kernel meanwhile.
 */
export function socketView(samples, count) {
  if (samples.length < 3) return undefined;
  const base = samples[0][2];
  const final = samples.at(-1)[2];
  const iFirst = samples.findIndex((x) => x[2] > base);
  const iLast = samples.findIndex((x) => x[2] >= final);
  if (iFirst <= 0 || iLast < iFirst) return undefined;
  const firstWrite = (samples[iFirst - 1][0] + samples[iFirst][0]) / 2;
  const lastWrite = (samples[iLast - 1][0] + samples[iLast][0]) / 2;
  const bytesPerMessage = (final - base) / count;
  // Recv-Q while the flood lasts (from the first write until the server's last byte has been read).
  let iEnd = samples.findIndex((x, i) => i >= iLast && x[1] === 0);
  if (iEnd < 0) iEnd = samples.length - 1;
  const during = samples.slice(iFirst, iEnd + 1);
  const recvQ = during.map((x) => x[1]).sort((a, b) => a - b);
  const sendQ = during.map((x) => x[3]).sort((a, b) => a - b);
  const pick = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
  return {
    samples: samples.length,
    samplesDuringFlood: during.length,
    meanIntervalMs: Math.round(((samples.at(-1)[0] - samples[0][0]) / (samples.length - 1)) * 10) / 10,
    firstWrite,
    lastWrite,
    deliveryPerSec: Math.round((count / (lastWrite - firstWrite)) * 1000),
    bytesPerMessage: Math.round(bytesPerMessage),
    recvQMax: recvQ.at(-1),
    recvQP99: pick(recvQ, 99),
    recvQP50: pick(recvQ, 50),
    recvQNonZeroShare: Math.round((recvQ.filter((x) => x > 0).length / recvQ.length) * 100) / 100,
    recvQMaxMessages: Math.round((recvQ.at(-1) / bytesPerMessage) * 10) / 10,
    prosodySendQMax: sendQ.at(-1),
    // Time Prosody could not send because Flint's receive window was full (the kernel's
    // rwnd_limited): 0 = the server was never held back by the client.
    prosodyRwndLimitedMs: samples.at(-1)[4] - samples[0][4],
  };
}

/**
 * --trace-server: strace Prosody's writes (-yy names each socket's endpoints) and return a
 * function that stops it and tells the first and last write to the connection whose peer is
 * `localPort` (Flint's c2s socket), with the bytes and the count of writes. strace stops Prosody at
 * every syscall (ptrace): it slows the server, so the rate is measured under strace too.
 */
export async function traceServerWrites(pid, file) {
  const st = spawn('strace', ['-ttt', '-yy', '-e', 'trace=write,writev,sendto,sendmsg', '-p', String(pid), '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((resolve, reject) => {
    let err = '';
    st.stderr.on('data', (d) => {
      err += d;
      if (err.includes('attached')) resolve();
    });
    st.once('error', reject);
    st.once('exit', (code) => reject(new Error(`strace exited with ${code}: ${err}`)));
  });
  return async (localPort) => {
    st.kill('SIGINT');
    await new Promise((r) => st.once('exit', r));
    const re = new RegExp(`^([\\d.]+) (?:write|writev|sendto|sendmsg)\\(\\d+<TCP:\\[[^\\]]*->127\\.0\\.0\\.1:${localPort}\\]>.*= (\\d+)$`);
    let first = null;
    let last = null;
    let bytes = 0;
    let writes = 0;
    for (const l of readFileSync(file, 'utf8').split('\n')) {
      const m = re.exec(l);
      if (!m) continue;
      const t = Number(m[1]) * 1000;
      first ??= t;
      last = t;
      bytes += Number(m[2]);
      writes++;
    }
    rmSync(file, { force: true });
    return { firstWrite: first, lastWrite: last, bytes, writes };
  };
}
