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
import { argv, bundleAndImport, opt, root } from '../lib/app.mjs';
import { chatText } from '../lib/chat-text.mjs';

const dataDir = path.join(root, 'bench', '.data', 'history');
const TOTAL = Number(opt('messages', '1000000'));
const CONVERSATIONS = 1_000;
const BIG = Math.round(TOTAL / 10); // the 100,000-message conversation
const ACCOUNT = 'me@example.test';
const RUNS = 41;

await rm(dataDir, { recursive: true, force: true });
await mkdir(dataDir, { recursive: true });
const bundle = path.join(dataDir, 'history.bundle.mjs');
const { HistoryStore } = await bundleAndImport('electron/main/store/history.ts', bundle, { external: ['better-sqlite3'] });

// ---------------------------------------------------------------- data: deterministic, chat-like
// The same text as bench/history/open-browser.mjs, plus "database" / "数据库" in about 1 % of the
// bodies: mid-frequency search terms.
const { rand, body } = chatText({ rare: { en: 'database', zh: '数据库' } });

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

if (!argv.includes('--keep')) await rm(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ messages: TOTAL, conversations: CONVERSATIONS, insertPerSec: Math.round(TOTAL / insertSecs), cpuUsPerMessage: Math.round(cpuUsPerMessage), insertLoopDelayMs: loop, dbMiB: Math.round(dbBytes / 2 ** 20), results }));
