// File-transfer benchmark (issue 6). On one Prosody 0.12 on loopback (proxy65 and http_file_share
// components, settings from test/harness/prosody.ts), in the same run:
//   1. 1 GiB file to file over SOCKS5: two Flint sessions (separate processes, Jingle XEP-0234 +
//      XEP-0260, direct candidate on 127.0.0.1; and through proxy65) against raw TCP on loopback
//      (Node stream pipe, no protocol; and the same with SHA-256 computed at both ends, as Flint
//      does) and python3-slixmpp → slixmpp (XEP-0096 over XEP-0065, which only offers proxies, so
//      through proxy65; its receiver hashes, its sender does not).
//   2. IBB (XEP-0047): Flint → Flint (Jingle XEP-0261) against slixmpp → slixmpp (XEP-0096 over IBB,
//      its default 4096-byte blocks, one iq at a time).
//   3. HTTP upload (XEP-0363) of 100 MiB: Flint (slot + PUT + share message) against curl PUT to a
//      slot of the same server, the order alternating between rounds.
// Every received file is checked against the source's SHA-256 (outside the timed window) and
// deleted; the data files live in bench/.data/transfers and are removed at the end.
//
// Usage: node bench/transfers/run.mjs [--runs=3] [--big-mib=1024] [--ibb-mib=32] [--upload-mib=100] [--only=socks5,ibb,upload]
//          [--socks5=raw,raw-sha,direct,direct-inline,direct-thread,proxy,slixmpp] [--cpu-prof]
// --socks5 picks the SOCKS5 contenders (default: all but direct-inline and direct-thread, which are
// Flint direct with the sender's SHA-256 on the thread that moves the bytes, or on a worker thread
// whatever the number of cores: A/B against the app's choice, electron/main/transfers/hash-pool.ts,
// which on this 2-core machine is inline); --cpu-prof writes V8 CPU profiles of the Flint
// peers to bench/.data/transfers-prof/. Each row also gives the CPU seconds (user+system) the sending and
// receiving processes spent during the transfer and, for SOCKS5, the seconds their threads were
// runnable but waiting for a CPU (Linux schedstat: how much other load took); upload rows give
// the client's and Prosody's CPU seconds. BENCH_TRACE=1 prints each Flint run's phases on stderr.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.join(root, 'bench/transfers');
const dataDir = path.join(root, 'bench/.data');
const work = path.join(dataDir, 'transfers');
const PYTHON = '/usr/bin/python3';
const FILE_PEER = path.join(root, 'test/harness/peers/file_peer.py');

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
  if (!m) throw new Error(`unknown argument ${a}`);
  return [m[1], m[2] ?? true];
}));
const RUNS = Number(args.runs ?? 3);
const MiB = 1024 * 1024;
const BIG = Number(args['big-mib'] ?? 1024) * MiB;
const IBB = Number(args['ibb-mib'] ?? 32) * MiB;
const UPLOAD = Number(args['upload-mib'] ?? 100) * MiB;
const ONLY = new Set(String(args.only ?? 'socks5,ibb,upload').split(','));
const S5 = new Set(String(args.socks5 ?? 'raw,raw-sha,direct,proxy,slixmpp').split(','));
const profDir = path.join(dataDir, 'transfers-prof');
const PROF = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
// IBB sender settings to try (e.g. --ibb-block=65535 --ibb-window=16); defaults are the app's.
const IBB_OPTS = args['ibb-block'] || args['ibb-window'] ? { ...(args['ibb-block'] ? { blockSize: Number(args['ibb-block']) } : {}), ...(args['ibb-window'] ? { window: Number(args['ibb-window']) } : {}) } : undefined;

fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
const recv = (name) => {
  const d = path.join(work, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
};

// ------------------------------------------------------------------ build
const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', banner, external: ['better-sqlite3'] };
const harnessFile = path.join(dataDir, 'transfers-harness.mjs');
const flintFile = path.join(dataDir, 'transfers-flint.mjs');
await build({ ...common, entryPoints: [path.join(root, 'test/harness/prosody.ts')], outfile: harnessFile });
await build({ ...common, entryPoints: [path.join(here, 'flint-peer.ts')], outfile: flintFile, minify: true });
const { startProsody } = await import(harnessFile);

// ------------------------------------------------------------------ helpers
function makeFile(name, size) {
  const p = path.join(work, name);
  const fd = fs.openSync(p, 'w');
  const buf = Buffer.allocUnsafe(8 * MiB);
  for (let left = size; left > 0; left -= buf.length) {
    randomFillSync(buf);
    fs.writeSync(fd, buf, 0, Math.min(buf.length, left));
  }
  fs.closeSync(fd);
  return p;
}
const sha = (p) => {
  const h = createHash('sha256');
  const fd = fs.openSync(p, 'r');
  const buf = Buffer.allocUnsafe(8 * MiB);
  let n;
  while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
};

/** A child speaking JSON lines. */
function child(cmd, argv, env = {}) {
  const p = spawn(cmd, argv, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  const waiters = [];
  let err = '';
  p.stderr.setEncoding('utf8').on('data', (d) => {
    err += d;
    if (process.env.BENCH_TRACE === '1') process.stderr.write(d); // phases of each Flint run, see flint-peer.ts
  });
  readline.createInterface({ input: p.stdout }).on('line', (l) => {
    let o;
    try { o = JSON.parse(l); } catch { return; }
    lines.push(o);
    for (const w of [...waiters]) if (w.pred(o)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(o); }
  });
  p.on('exit', () => { for (const w of waiters.splice(0)) w.reject(new Error(`${path.basename(argv.at(-1) ?? cmd)} exited: ${err.slice(-2000)}`)); });
  return {
    wait(pred, ms = 600_000) {
      const seen = lines.find(pred);
      if (seen) { lines.splice(lines.indexOf(seen), 1); return Promise.resolve(seen); }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout; stderr: ${err.slice(-2000)} lines: ${JSON.stringify(lines)}`)), ms);
        waiters.push({ pred, resolve: (o) => { clearTimeout(t); lines.splice(lines.indexOf(o), 1); resolve(o); }, reject });
      });
    },
    send: (o) => p.stdin.write(`${JSON.stringify(o)}\n`),
    stop: () => new Promise((r) => { if (p.exitCode !== null) return r(); p.once('exit', r); p.stdin.end(); setTimeout(() => p.kill('SIGKILL'), 5000).unref(); }),
  };
}
const failed = (o) => o.event === 'failed' || o.event === 'error';

let server;
async function flintPeer(user, folder, opts) {
  const c = child(process.execPath, [...PROF, flintFile], {
    BENCH_CONFIG: JSON.stringify({ jid: `${user}@example.test`, password: user, resource: 'bench', port: server.c2sPort, caPem: server.caCertPem, folder, ...opts }),
  });
  const online = await c.wait((o) => o.event === 'online', 30_000);
  return { ...c, jid: online.jid };
}
async function slixPeer(user, extra) {
  const c = child(PYTHON, ['-u', FILE_PEER, '--jid', `${user}@example.test`, '--password', user, '--port', String(server.c2sPort), '--ca', server.caCertPath, ...extra]);
  const online = await c.wait((o) => o.event === 'online', 30_000);
  return { ...c, jid: online.jid };
}
const results = [];
function record(group, contender, bytes, ms, extra = {}) {
  const r = { group, contender, bytes, ms: Math.round(ms), mibPerS: +(bytes / MiB / (ms / 1000)).toFixed(1), mbPerS: +(bytes / 1e6 / (ms / 1000)).toFixed(1), ...extra };
  results.push(r);
  let cpu = !r.cpu ? '' : 'client' in r.cpu ? `  CPU s: client ${r.cpu.client ?? '?'} prosody ${r.cpu.prosody ?? '?'}` : `  CPU s: send ${r.cpu.send ?? '?'} recv ${r.cpu.recv ?? '?'}`;
  if (r.sched?.send && r.sched?.recv) cpu += `  waiting for a CPU s: send ${r.sched.send.waitS} recv ${r.sched.recv.waitS}`;
  console.log(`${group.padEnd(7)} ${contender.padEnd(34)} ${String(r.ms).padStart(7)} ms  ${String(r.mibPerS).padStart(7)} MiB/s  ${String(r.mbPerS).padStart(7)} MB/s${cpu}`);
}
/** CPU seconds (user + system) from a {user, system} in µs as process.cpuUsage() gives it. */
const cpuS = (u) => (u ? +((u.user + u.system) / 1e6).toFixed(2) : undefined);
function checkAndRemove(src, file) {
  if (sha(src) !== sha(file)) throw new Error(`hash mismatch: ${file}`);
  fs.rmSync(file);
}
const only = (f) => fs.readdirSync(f).filter((n) => !n.startsWith('.')).map((n) => path.join(f, n));

// ------------------------------------------------------------------ contenders
async function rawPipe(src, hash = false) {
  const dst = path.join(recv('raw'), 'out.bin');
  const env = { HASH: hash ? '1' : '0' };
  const r = child(process.execPath, [path.join(here, 'raw-pipe.mjs'), 'receive', dst], env);
  const { port } = await r.wait((o) => o.event === 'listening');
  const s = child(process.execPath, [path.join(here, 'raw-pipe.mjs'), 'send', src, String(port)], env);
  await new Promise((res) => setTimeout(res, 200));
  const t0 = performance.now();
  s.send({ go: true });
  const got = await r.wait((o) => o.event === 'received');
  const ms = performance.now() - t0;
  const sent = await s.wait((o) => o.event === 'sent');
  await Promise.all([r.stop(), s.stop()]);
  checkAndRemove(src, dst);
  return { ms, cpu: { send: cpuS(sent.cpu), recv: cpuS(got.cpu) }, sched: { send: sent.sched, recv: got.sched } };
}

async function flintPair(src, { method, transport, direct, useProxy, label, ibb, hashThread }) {
  const folder = recv(`flint-${label}`);
  const bob = await flintPeer('bob', folder, { direct, useProxy, hashThread });
  const alice = await flintPeer('alice', recv('alice-unused'), { direct, useProxy, ibb, hashThread });
  const t0 = performance.now();
  alice.send({ cmd: 'send', to: bob.jid, path: src, method, transport });
  const got = await bob.wait((o) => o.event === 'received' || failed(o));
  const ms = performance.now() - t0;
  const sent = await alice.wait((o) => o.event === 'sent' || failed(o));
  await Promise.all([alice.stop(), bob.stop()]);
  if (failed(got) || failed(sent)) throw new Error(`${label}: ${JSON.stringify(got)} ${JSON.stringify(sent)}`);
  checkAndRemove(src, got.path);
  return { ms, transport: got.transport, cpu: { send: cpuS(sent.cpu), recv: cpuS(got.cpu) }, sched: { send: sent.sched, recv: got.sched } };
}

async function slixPair(src, method, label) {
  const folder = recv(`slix-${label}`);
  const rx = await slixPeer('sli2', ['--prefer', method, '--auto', 'accept', '--outdir', folder]);
  const tx = await slixPeer('sli1', ['--prefer', method]);
  const t0 = performance.now();
  tx.send({ cmd: 'send', to: rx.jid, path: src, method });
  const got = await rx.wait((o) => o.event === 'received' || failed(o));
  const ms = performance.now() - t0;
  await Promise.all([tx.stop(), rx.stop()]);
  if (failed(got)) throw new Error(`slixmpp ${label}: ${JSON.stringify(got)}`);
  const [file] = only(folder);
  checkAndRemove(src, file);
  return { ms, transport: got.method };
}

/** CPU seconds Prosody has used so far (utime + stime from /proc; its pidfile is in the server's dir). */
function prosodyCpu() {
  try {
    const pid = fs.readFileSync(path.join(server.dir, 'prosody.pid'), 'utf8').trim();
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // fields 14 and 15 of stat(5), in clock ticks (100 Hz)
  } catch {
    return undefined;
  }
}
const minus = (a, b) => (a === undefined || b === undefined ? undefined : +(a - b).toFixed(2));

/**
 * One round of the upload test: Flint's upload (slot + PUT + share, timed from the command) and curl
 * PUT to a fresh slot of the same service (timed around curl only), in the order given, so rounds can
 * alternate who goes first. CPU seconds: the client's and Prosody's during each upload.
 */
async function uploadRound(src, curlFirst) {
  const alice = await flintPeer('alice', recv('alice-unused'), { direct: [], useProxy: false });
  const out = {};
  const flint = async () => {
    const p0 = prosodyCpu();
    const t0 = performance.now();
    // To an account that is not online: nobody downloads while we measure.
    alice.send({ cmd: 'send', to: 'nobody@example.test', path: src, method: 'upload' });
    const sent = await alice.wait((o) => o.event === 'sent' || failed(o));
    out.ms = performance.now() - t0;
    if (failed(sent)) throw new Error(`upload: ${JSON.stringify(sent)}`);
    out.cpu = { client: cpuS(sent.cpu), prosody: minus(prosodyCpu(), p0) };
  };
  const curl = async () => {
    alice.send({ cmd: 'slot', name: 'curl.bin', size: fs.statSync(src).size });
    const slot = await alice.wait((o) => o.event === 'slot');
    const headers = slot.headers.flatMap((h) => ['-H', `${h.name}: ${h.value}`]);
    const p0 = prosodyCpu();
    const c0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'curl', '-sS', '-f', '-T', src, '-H', 'Content-Type: application/octet-stream', ...headers, slot.put], { encoding: 'utf8' });
    out.curlMs = performance.now() - c0;
    if (r.status !== 0) throw new Error(`curl: ${r.stderr}`);
    const [u, sy] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    out.curlCpu = { client: +(u + sy).toFixed(2), prosody: minus(prosodyCpu(), p0) };
  };
  if (curlFirst) {
    await curl();
    await flint();
  } else {
    await flint();
    await curl();
  }
  await alice.stop();
  return out;
}

// ------------------------------------------------------------------ run
try { os.setPriority(-10); } catch { /* not permitted */ }
server = await startProsody({ proxy65: true, httpFileShare: true, extraConfig: 'http_file_share_size_limit = 2147483648' });
await server.registerMany(['alice', 'bob', 'sli1', 'sli2'].map((u) => ({ user: u, pass: u })));
const meta = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, load: os.loadavg().map((l) => +l.toFixed(2)), runs: RUNS };
console.log(JSON.stringify(meta));
try {
  if (ONLY.has('socks5')) {
    const src = makeFile('big.bin', BIG);
    for (let i = 0; i < RUNS; i++) {
      if (S5.has('raw')) {
        const r = await rawPipe(src);
        record('socks5', 'raw TCP loopback (Node pipe)', BIG, r.ms, { cpu: r.cpu, sched: r.sched });
      }
      if (S5.has('raw-sha')) {
        const r = await rawPipe(src, true);
        record('socks5', 'raw TCP + SHA-256 at both ends', BIG, r.ms, { cpu: r.cpu, sched: r.sched });
      }
      if (S5.has('direct')) {
        const d = await flintPair(src, { method: 'jingle', transport: 'socks5', direct: ['127.0.0.1'], useProxy: false, label: 'direct' });
        record('socks5', 'Flint ↔ Flint, Jingle S5B direct', BIG, d.ms, { transport: d.transport, cpu: d.cpu, sched: d.sched });
      }
      if (S5.has('direct-inline')) {
        const d = await flintPair(src, { method: 'jingle', transport: 'socks5', direct: ['127.0.0.1'], useProxy: false, label: 'direct-inline', hashThread: 'inline' });
        record('socks5', 'Flint direct, SHA-256 inline', BIG, d.ms, { transport: d.transport, cpu: d.cpu, sched: d.sched });
      }
      if (S5.has('direct-thread')) {
        const d = await flintPair(src, { method: 'jingle', transport: 'socks5', direct: ['127.0.0.1'], useProxy: false, label: 'direct-thread', hashThread: 'thread' });
        record('socks5', 'Flint direct, SHA-256 on a thread', BIG, d.ms, { transport: d.transport, cpu: d.cpu, sched: d.sched });
      }
      if (S5.has('proxy')) {
        const p = await flintPair(src, { method: 'jingle', transport: 'socks5', direct: [], useProxy: true, label: 'proxy' });
        record('socks5', 'Flint ↔ Flint, Jingle S5B proxy65', BIG, p.ms, { transport: p.transport, cpu: p.cpu });
      }
      if (S5.has('slixmpp')) {
        const s = await slixPair(src, 'socks5', 'socks5');
        record('socks5', 'slixmpp ↔ slixmpp, SI S5B proxy65', BIG, s.ms, { transport: s.transport });
      }
    }
    fs.rmSync(src);
  }
  if (ONLY.has('ibb')) {
    const src = makeFile('ibb.bin', IBB);
    for (let i = 0; i < RUNS; i++) {
      const f = await flintPair(src, { method: 'jingle', transport: 'ibb', direct: [], useProxy: false, label: 'ibb', ibb: IBB_OPTS });
      record('ibb', 'Flint ↔ Flint, Jingle IBB', IBB, f.ms, { transport: f.transport, cpu: f.cpu });
      const s = await slixPair(src, 'ibb', 'ibb');
      record('ibb', 'slixmpp ↔ slixmpp, SI IBB', IBB, s.ms, { transport: s.transport });
    }
    fs.rmSync(src);
  }
  if (ONLY.has('upload')) {
    const src = makeFile('upload.bin', UPLOAD);
    for (let i = 0; i < RUNS; i++) {
      const u = await uploadRound(src, i % 2 === 1);
      record('upload', 'Flint HTTP upload (slot+PUT+share)', UPLOAD, u.ms, { cpu: u.cpu, round: i });
      record('upload', 'curl PUT to a slot', UPLOAD, u.curlMs, { cpu: u.curlCpu, round: i });
    }
    fs.rmSync(src);
  }
} finally {
  await server.stop({ graceful: false });
  fs.writeFileSync(path.join(dataDir, 'transfers-results.json'), JSON.stringify({ meta, results }, null, 2));
  fs.rmSync(work, { recursive: true, force: true });
}

// Medians per contender.
const groups = new Map();
for (const r of results) {
  const k = `${r.group}\t${r.contender}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
console.log('\n| test | contender | runs | median MiB/s | median MB/s | best MiB/s | median ms |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |');
for (const [k, rs] of groups) {
  const [g, c] = k.split('\t');
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  console.log(`| ${g} | ${c} | ${rs.length} | ${med(rs.map((r) => r.mibPerS))} | ${med(rs.map((r) => r.mbPerS))} | ${Math.max(...rs.map((r) => r.mibPerS))} | ${med(rs.map((r) => r.ms))} |`);
}

// Same-run ratios: per round where both ran (median over rounds), so a slow moment of the machine
// weighs on both sides of a ratio.
const byRound = (group, contender) => results.filter((r) => r.group === group && r.contender === contender).map((r) => r.ms);
const ratio = (group, a, b) => {
  const xs = byRound(group, a);
  const ys = byRound(group, b);
  const rs = xs.slice(0, ys.length).map((x, i) => ys[i] / x).sort((p, q) => p - q);
  return rs.length ? `${rs[Math.floor(rs.length / 2)].toFixed(2)}× (rounds: ${rs.map((r) => r.toFixed(2)).join(', ')})` : undefined;
};
const ratios = [
  ['SOCKS5 Flint direct / raw TCP', 'socks5', 'Flint ↔ Flint, Jingle S5B direct', 'raw TCP loopback (Node pipe)'],
  ['SOCKS5 Flint direct / raw TCP + SHA-256', 'socks5', 'Flint ↔ Flint, Jingle S5B direct', 'raw TCP + SHA-256 at both ends'],
  ['SOCKS5 Flint direct / Flint direct with inline SHA-256', 'socks5', 'Flint ↔ Flint, Jingle S5B direct', 'Flint direct, SHA-256 inline'],
  ['SOCKS5 Flint direct / Flint direct with SHA-256 on a thread', 'socks5', 'Flint ↔ Flint, Jingle S5B direct', 'Flint direct, SHA-256 on a thread'],
  ['SOCKS5 Flint direct / slixmpp', 'socks5', 'Flint ↔ Flint, Jingle S5B direct', 'slixmpp ↔ slixmpp, SI S5B proxy65'],
  ['SOCKS5 Flint proxy65 / slixmpp proxy65', 'socks5', 'Flint ↔ Flint, Jingle S5B proxy65', 'slixmpp ↔ slixmpp, SI S5B proxy65'],
  ['IBB Flint / slixmpp', 'ibb', 'Flint ↔ Flint, Jingle IBB', 'slixmpp ↔ slixmpp, SI IBB'],
  ['upload Flint / curl', 'upload', 'Flint HTTP upload (slot+PUT+share)', 'curl PUT to a slot'],
];
console.log('\nSpeed ratios (median of per-round ratios):');
for (const [label, g, a, b] of ratios) {
  const r = ratio(g, a, b);
  if (r) console.log(`  ${label}: ${r}`);
}
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
