// Preloaded into Flint's web process by browser.mjs (`node --import loop-monitor.mjs dist/main/web.cjs`):
// measures the main process's event-loop delay and CPU time between a "start <tag>" and a "stop"
// line on fd 3 (a pipe to the bench), and answers each with one JSON line. The process's own stdout
// stays as web.ts writes it (one line, the URL).
//
// Also, per message of the round's flood (ids `<tag>-N`), in the same process and clock:
//   arrived   — the TLS socket emitted the chunk holding it: the moment main's XML parser gets it
//               (the transport's 'data' listener feeds the parser synchronously);
//   committed — the history store's transaction that inserted it returned, committed.
// Lag = committed − arrived. A client that keeps up has a bounded lag; one that falls behind shows it
// growing (and bytes piling up in the kernel before `arrived`: browser.mjs samples the socket's
// Recv-Q for that). Hooks, bench only: tls.connect (to watch the XMPP socket's 'data' emissions and
// learn its local port), and better-sqlite3's Database#prepare (the messages INSERT, whose 5th
// parameter is msg_id: electron/main/store/history.ts) and #transaction (the outermost call
// returning = committed). They cost ≈ 1–2 µs per message.
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The same module instance web.cjs gets (dist/main resolves better-sqlite3 to the root's node_modules).
const Database = createRequire(path.join(root, 'package.json'))('better-sqlite3');
const now = () => performance.timeOrigin + performance.now(); // epoch ms, comparable with the bench's clock

let tag = null;
let idRe = null;
/** id → [arrived, committed] (epoch ms). */
const seen = new Map();
let pendingIds = [];
let lastLocalPort = null;
let depth = 0;

const origConnect = tls.connect;
tls.connect = function connect(...args) {
  const sock = origConnect.apply(this, args);
  const opts = args.find((a) => a && typeof a === 'object' && !Array.isArray(a));
  const raw = opts?.socket;
  lastLocalPort = raw?.localPort ?? null;
  if (lastLocalPort === null) sock.once('connect', () => (lastLocalPort = sock.localPort));
  // Wrap this socket's emit: stamping 'data' chunks without adding a listener (which would change the stream's flow).
  let carry = '';
  const emit = sock.emit;
  sock.emit = function (ev, chunk, ...rest) {
    if (ev === 'data' && idRe) {
      const t = now();
      // latin1 keeps byte offsets and is cheap; ids are ASCII. The carried tail catches an id split across chunks.
      const text = carry + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
      idRe.lastIndex = 0;
      for (let m = idRe.exec(text); m; m = idRe.exec(text)) if (!seen.has(m[1])) seen.set(m[1], [t, 0]);
      carry = text.slice(-48);
    }
    return emit.call(this, ev, chunk, ...rest);
  };
  return sock;
};

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql, ...rest) {
  const st = prepare.call(this, sql, ...rest);
  if (/^\s*INSERT INTO messages \(/.test(sql)) {
    const run = st.run;
    st.run = function (...params) {
      const id = params[4];
      if (tag !== null && typeof id === 'string' && id.startsWith(`${tag}-`)) pendingIds.push(id);
      return run.apply(this, params);
    };
  }
  return st;
};
const transaction = Database.prototype.transaction;
Database.prototype.transaction = function (fn) {
  return wrapTransaction(transaction.call(this, fn), this);
};
function wrapTransaction(tx, db) {
  const wrapped = function (...args) {
    depth++;
    let ok = false;
    try {
      const r = tx.apply(this, args);
      ok = true;
      return r;
    } finally {
      depth--;
      if (depth === 0) {
        if (ok && !db.inTransaction && pendingIds.length) {
          const t = now();
          for (const id of pendingIds) {
            const e = seen.get(id);
            if (e) e[1] = t;
            else seen.set(id, [Number.NaN, t]);
          }
        }
        // Rolled back (the write queue then redoes the slice with savepoints): those inserts did not happen.
        pendingIds = [];
      }
    }
  };
  for (const k of ['deferred', 'immediate', 'exclusive', 'database']) wrapped[k] = tx[k];
  return wrapped;
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : Number.NaN);
const r1 = (x) => Math.round(x * 10) / 10;

/** The round's per-message figures: arrival and commit spans, lag percentiles, most messages arrived but not yet committed at once. */
function floodStats() {
  const arr = [];
  const com = [];
  const lags = [];
  const events = [];
  for (const [a, c] of seen.values()) {
    if (!Number.isNaN(a)) arr.push(a);
    if (c) com.push(c);
    if (!Number.isNaN(a) && c) {
      lags.push(c - a);
      events.push([a, 1], [c, -1]);
    }
  }
  lags.sort((x, y) => x - y);
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let maxOpen = 0;
  for (const [, d] of events) maxOpen = Math.max(maxOpen, (open += d));
  const min = (xs) => xs.reduce((m, x) => Math.min(m, x), Infinity);
  const max = (xs) => xs.reduce((m, x) => Math.max(m, x), -Infinity);
  return {
    arrived: arr.length,
    committed: com.length,
    firstArrived: min(arr),
    lastArrived: max(arr),
    firstCommitted: min(com),
    lastCommitted: max(com),
    lagP50: r1(pct(lags, 50)),
    lagP99: r1(pct(lags, 99)),
    lagMax: r1(lags.at(-1) ?? Number.NaN),
    // Lag by tenth of the flood (in arrival order): growing = falling behind.
    lagByTenth: (() => {
      const byArrival = [...seen.values()].filter(([a, c]) => !Number.isNaN(a) && c).sort((x, y) => x[0] - y[0]);
      const out = [];
      for (let i = 0; i < 10; i++) {
        const part = byArrival.slice(Math.floor((byArrival.length * i) / 10), Math.floor((byArrival.length * (i + 1)) / 10)).map(([a, c]) => c - a);
        out.push(r1(part.reduce((s, x) => Math.max(s, x), 0)));
      }
      return out;
    })(),
    maxInMain: maxOpen,
  };
}

const io = new net.Socket({ fd: 3, readable: true, writable: true });
io.unref();
let hist;
let cpu0;
let buf = '';
io.setEncoding('utf8');
io.on('data', (chunk) => {
  buf += chunk;
  for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
    const [cmd, arg] = buf.slice(0, nl).trim().split(/\s+/);
    buf = buf.slice(nl + 1);
    if (cmd === 'start') {
      tag = arg ?? null;
      seen.clear();
      pendingIds = [];
      idRe = tag ? new RegExp(`id=['"](${tag}-\\d+)['"]`, 'g') : null;
      // 2 ms resolution: a delay shorter than that is not a stall anyone notices.
      hist = monitorEventLoopDelay({ resolution: 2 });
      hist.enable();
      cpu0 = process.cpuUsage();
      io.write(`${JSON.stringify({ localPort: lastLocalPort })}\n`);
    } else if (cmd === 'stop' && hist) {
      hist.disable();
      const cpu = process.cpuUsage(cpu0);
      const ms = (ns) => Math.round(ns / 1e5) / 10;
      const flood = tag ? floodStats() : undefined;
      idRe = null;
      tag = null;
      io.write(
        `${JSON.stringify({ p50: ms(hist.percentile(50)), p99: ms(hist.percentile(99)), max: ms(hist.max), over50: countOver(hist, 50e6), cpuMs: Math.round((cpu.user + cpu.system) / 1000), flood })}\n`,
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
