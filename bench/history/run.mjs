// History store benchmark (issue 5): 1,000,000 messages across 1,000 conversations (one of them
// 100,000 long) written through HistoryStore.insert (the batched write queue the app uses), then:
// search latency for an English word and CJK terms (target: median ≤ 20 ms), and opening the
// 100,000-message conversation — the store's part, page() (target: ≤ 50 ms to first page; painting
// it is the renderer's part, not measured here). Also: the LIKE scan that the CJK character index
// replaces for 1–2 character CJK terms, measured side by side.
//
//   node bench/history/run.mjs [--messages 1000000] [--keep]
//
// The database lives in bench/.data/ (gitignored) and is deleted afterwards unless --keep.
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(root, 'bench', '.data', 'history');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TOTAL = opt('messages', 1_000_000);
const CONVERSATIONS = 1_000;
const BIG = Math.round(TOTAL / 10); // the 100,000-message conversation
const ACCOUNT = 'me@example.test';
const RUNS = 41;

await rm(dataDir, { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });
const bundle = path.join(dataDir, 'history.bundle.mjs');
await build({
  entryPoints: [path.join(root, 'electron/main/store/history.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  external: ['better-sqlite3'],
  logLevel: 'warning',
});
const { HistoryStore } = await import(pathToFileURL(bundle).href);

// ---------------------------------------------------------------- data: deterministic, chat-like
let seed = 0x2545f491;
const rand = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const EN = (
  'the a to and of I you it is in that for on we this be with have are not do at can but so was what if just about ' +
  'will they my me your all there get one like know up out now time think see how when some more meeting today ' +
  'tomorrow lunch code review deploy server client message release ticket branch merge test build thanks please ' +
  'sure okay yes no maybe later call send file update check issue fix bug feature design team project plan week ' +
  'report data network cache query index latency backup migration schema table log error warning config docs'
).split(' ');
// Zipf-like: early words far more often. "database" is a mid-frequency term, added on its own.
const enWord = () => EN[Math.floor(EN.length * rand() ** 2.2)];
const ZH = '我们 你好 今天 明天 会议 数据 服务器 问题 已经 可以 没有 谢谢 项目 测试 发布 代码 时间 文件 消息 一下 现在 因为 所以 但是 这个 那个 什么 怎么 还是 应该'.split(' ');
const zhWord = () => ZH[Math.floor(ZH.length * rand() ** 1.6)];

function body() {
  const r = rand();
  if (r < 0.2) {
    const n = 3 + Math.floor(rand() * 8);
    let s = '';
    for (let i = 0; i < n; i++) s += zhWord();
    if (rand() < 0.01) s += '数据库';
    return s + (rand() < 0.5 ? '。' : '');
  }
  const n = 3 + Math.floor(rand() * 14);
  const words = [];
  for (let i = 0; i < n; i++) words.push(enWord());
  if (rand() < 0.01) words.splice(Math.floor(rand() * words.length), 0, 'database');
  const s = words.join(' ');
  return s[0].toUpperCase() + s.slice(1) + (rand() < 0.3 ? '?' : '.');
}

const peerOf = (i) => (i < BIG ? 0 : 1 + (i % (CONVERSATIONS - 1)));
const START = Date.UTC(2023, 0, 1);
function message(i) {
  const peer = `contact${peerOf(i)}@example.test`;
  const out = rand() < 0.45;
  return {
    account: ACCOUNT,
    id: `m${i}`,
    peer,
    from: out ? `${ACCOUNT}/pc` : `${peer}/phone`,
    to: out ? peer : `${ACCOUNT}/pc`,
    direction: out ? 'out' : 'in',
    type: 'chat',
    body: body(),
    // Spread over two years, in order, several per second at peaks.
    timestamp: START + Math.floor(i * 60_000 * (TOTAL / 1_000_000)) + Math.floor(rand() * 1000),
    state: out ? 'sent' : 'delivered',
    stanzaId: `S${i}`,
  };
}

// ---------------------------------------------------------------- measure
const fmt = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const int = (n) => Math.round(n).toLocaleString('en-US');
function timeIt(fn, runs = RUNS) {
  fn(); // warm the statement cache and the page cache once
  const t = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(t.length / 2)], p95: t[Math.floor(t.length * 0.95)], max: t[t.length - 1] };
}

const file = path.join(dataDir, 'history.sqlite3');
const store = new HistoryStore(file);
console.log(`history store benchmark: ${int(TOTAL)} messages, ${int(CONVERSATIONS)} conversations (one of ${int(BIG)}), SQLite ${store.db.prepare('select sqlite_version()').pluck().get()}`);
console.log(`machine: ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, Node ${process.version}`);

// Insert in event-loop-sized bursts through the app's write path (queue → one transaction per turn).
const BURST = 2_000;
for (const sql of (process.env.FLINT_BENCH_SQL ?? '').split(';').filter((x) => x.trim())) store.db.exec(sql); // experiments only
const insertStart = performance.now();
const cpuStart = process.cpuUsage();
// How long the event loop is held while the queue commits (what the app's other work would wait).
const loopDelay = monitorEventLoopDelay({ resolution: 2 });
loopDelay.enable();
let lastReport = insertStart;
for (let i = 0; i < TOTAL; ) {
  const ps = [];
  for (let j = 0; j < BURST && i < TOTAL; j++, i++) ps.push(store.insert(message(i)));
  await Promise.all(ps);
  if (performance.now() - lastReport > 10_000) {
    lastReport = performance.now();
    console.log(`  … ${int(i)} stored, ${int(i / ((lastReport - insertStart) / 1000))} msg/s so far`);
  }
}
const insertSecs = (performance.now() - insertStart) / 1000;
const insertCpu = process.cpuUsage(cpuStart);
loopDelay.disable();
const loop = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 };
const cpuUsPerMessage = (insertCpu.user + insertCpu.system) / TOTAL;
store.db.pragma('wal_checkpoint(TRUNCATE)');
const dbBytes = (await stat(file)).size;
let cjkBytes = null;
try {
  cjkBytes = store.db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'messages_cjk%'").pluck().get();
} catch {
  // dbstat not compiled in
}
console.log(`insert: ${int(TOTAL / insertSecs)} msg/s (${fmt(insertSecs)} s; CPU ${fmt(cpuUsPerMessage)} µs per message, load ${os.loadavg()[0].toFixed(1)}), database ${fmt(dbBytes / 2 ** 20, 0)} MiB${cjkBytes ? ` (CJK character index ${fmt(cjkBytes / 2 ** 20, 0)} MiB)` : ''}`);
console.log(`event-loop delay while inserting: p50 ${fmt(loop.p50)} ms, p99 ${fmt(loop.p99)} ms, max ${fmt(loop.max)} ms`);

const results = [];
const row = (what, r, note = '') => {
  results.push({ what, ...r, note });
  console.log(`${what.padEnd(46)} median ${fmt(r.median, 2).padStart(8)} ms   p95 ${fmt(r.p95, 2).padStart(8)} ms ${note}`);
};
const count = (q) => store.search(ACCOUNT, q, { limit: 50 }).length;

for (const [q, label] of [
  ['database', 'English word'],
  ['deploy server', 'two English words'],
  ['数据库', 'CJK term, 3 characters (trigram index)'],
  ['你好', 'CJK term, 2 characters (character index)'],
  ['服务器 测试', 'two CJK terms'],
  ['zebra', 'English word that never occurs'],
]) {
  row(`search "${q}" — ${label}`, timeIt(() => store.search(ACCOUNT, q, { limit: 50 })), `(${count(q)} hits)`);
}
// The alternative to the character index for short CJK terms: LIKE over every message, newest first.
const like = store.db.prepare("SELECT id FROM messages WHERE account = ? AND body LIKE ? ESCAPE '\\' ORDER BY id DESC LIMIT 50").pluck();
row('LIKE scan "你好" (alternative, common term)', timeIt(() => like.all(ACCOUNT, '%你好%'), 11));
row('LIKE scan "据库" (alternative, rare term)', timeIt(() => like.all(ACCOUNT, '%据库%'), 5));
row('search "据库" — character index, rare term', timeIt(() => store.search(ACCOUNT, '据库', { limit: 50 })), `(${count('据库')} hits)`);

const big = 'contact0@example.test';
const first = store.page(ACCOUNT, big, { limit: 50 });
row(`open ${int(BIG)}-message conversation: page()`, timeIt(() => store.page(ACCOUNT, big, { limit: 50 })), `(${first.messages.length} messages)`);
const mid = store.page(ACCOUNT, big, { limit: 500, before: first.older });
let deep = mid.older;
for (let i = 0; i < 100 && deep; i++) deep = store.page(ACCOUNT, big, { limit: 500, before: deep }).older;
row('scroll back 50 more, ~50,000 messages up', timeIt(() => store.page(ACCOUNT, big, { limit: 50, before: deep })));
row('snapshot: latest 50 of the 50 recent conversations', timeIt(() => store.recent(ACCOUNT), 11));
store.close();

if (!args.includes('--keep')) await rm(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ messages: TOTAL, conversations: CONVERSATIONS, insertPerSec: Math.round(TOTAL / insertSecs), cpuUsPerMessage: Math.round(cpuUsPerMessage), insertLoopDelayMs: loop, dbMiB: Math.round(dbBytes / 2 ** 20), results }));
