// The history store bench/history/open-browser.mjs opens conversations in: 1.1 M messages written
// through the product's own store code (electron/main/store/history.ts, bundled), kept in
// bench/.data/history-open/ for --reuse. The conversations, the text the checks look for (the
// newest message's marker, the search hit's word) and the options that shape them (--big, --size)
// are defined here, for the bench to find them in the app.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { argv, bundleAndImport, opt, root } from '../lib/app.mjs';
import { chatText } from '../lib/chat-text.mjs';

export const dataDir = path.join(root, 'bench/.data');
export const BIG = Number(opt('big', '11'));
export const SIZE = Number(opt('size', '100000'));
export const SMALL_SIZE = 50;
export const FILLERS = 60;
export const FILLER_SIZE = 100;
export const D = 'example.test';
export const USER = 'flint';
export const ACCOUNT = `${USER}@${D}`;
export const HISTORY_FILE = 'history.sqlite3'; // electron/main/accounts/history-bridge.ts HISTORY_FILE
export const storeDir = path.join(dataDir, 'history-open');
export const template = path.join(storeDir, HISTORY_FILE);
const templateMeta = path.join(storeDir, 'meta.json');
mkdirSync(storeDir, { recursive: true });

const pad2 = (n) => String(n).padStart(2, '0');
export const bigs = Array.from({ length: BIG }, (_, k) => ({ jid: `big${pad2(k + 1)}@${D}`, name: `Big ${pad2(k + 1)}`, size: SIZE }));
export const smalls = Array.from({ length: BIG }, (_, k) => ({ jid: `small${pad2(k + 1)}@${D}`, name: `Small ${pad2(k + 1)}`, size: SMALL_SIZE }));
// The newest message of each conversation ends with this: what the check looks for in the log.
export const marker = (jid) => `newest-of-${jid.split('@')[0]}-zq`;
// A word found by search in one message of each big conversation, 90 % of the way back (a search
// hit far beyond the messages the app holds: ChatActions.openAt opens a view around it).
export const HIT_AT = Math.floor(SIZE / 10);
export const hitWord = (jid) => `farhit${jid.split('@')[0]}zq`;

// ------------------------------------------------------------------ the history store, filled

// Chat-like text as bench/history/run.mjs (without its 1 % of rare search terms; "database" is an
// ordinary word of the vocabulary here).
const { rand, body } = chatText({ extraWords: ['database'] });

const START = Date.UTC(2024, 0, 1);
const STEP = 20_000; // ms between two messages of the big conversations (all of them, interleaved)
function message(peer, n, last, timestamp) {
  const out = rand() < 0.45;
  return {
    account: ACCOUNT,
    id: `${peer.split('@')[0]}-${n}`,
    peer,
    from: out ? `${ACCOUNT}/pc` : `${peer}/phone`,
    to: out ? peer : `${ACCOUNT}/pc`,
    direction: out ? 'out' : 'in',
    type: 'chat',
    body: last ? `${body()} ${marker(peer)}` : n === HIT_AT && peer.startsWith('big') ? `${body()} ${hitWord(peer)}` : body(),
    timestamp,
    state: 'delivered',
  };
}

export async function fillStore() {
  const meta = { big: BIG, size: SIZE, smallSize: SMALL_SIZE, fillers: FILLERS, fillerSize: FILLER_SIZE, account: ACCOUNT, version: 2 };
  if (argv.includes('--reuse') && existsSync(template) && existsSync(templateMeta) && readFileSync(templateMeta, 'utf8') === JSON.stringify(meta)) {
    console.log(`reusing the filled store ${path.relative(root, template)}`);
    return meta;
  }
  rmSync(templateMeta, { force: true });
  for (const f of [template, `${template}-wal`, `${template}-shm`]) rmSync(f, { force: true });
  const bundle = path.join(storeDir, 'history.bundle.mjs');
  const { HistoryStore } = await bundleAndImport('electron/main/store/history.ts', bundle, { external: ['better-sqlite3'] });
  const store = new HistoryStore(template);
  const total = BIG * SIZE + BIG * SMALL_SIZE + FILLERS * FILLER_SIZE;
  const span = BIG * SIZE * STEP; // the big conversations' time range
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let done = 0;
  let lastReport = t0;
  const BURST = 2_000;
  const burst = async (ps) => {
    await Promise.all(ps);
    done += ps.length;
    if (performance.now() - lastReport > 15_000) {
      lastReport = performance.now();
      console.log(`  … ${done.toLocaleString('en')} of ${total.toLocaleString('en')} stored, ${Math.round(done / ((lastReport - t0) / 1000)).toLocaleString('en')} msg/s`);
    }
  };
  // In time order, as an account would have received them: the big conversations round-robin;
  // the small ones' messages beside the big ones' newest 50 (same times, so both newest pages have
  // the same shape: one day, no day separators between messages); then the fillers (the most recent).
  let ps = [];
  for (let i = 0; i < BIG * SIZE; i++) {
    const k = i % BIG;
    const n = Math.floor(i / BIG);
    const t = START + i * STEP;
    ps.push(store.insert(message(bigs[k].jid, n, n === SIZE - 1, t + Math.floor(rand() * 1000))));
    const n2 = n - (SIZE - SMALL_SIZE);
    if (n2 >= 0) ps.push(store.insert(message(smalls[k].jid, n2, n2 === SMALL_SIZE - 1, t + 1000 + Math.floor(rand() * 1000))));
    if (ps.length >= BURST) {
      await burst(ps);
      ps = [];
    }
  }
  for (let n = 0; n < FILLER_SIZE; n++) {
    for (let f = 0; f < FILLERS; f++) {
      ps.push(store.insert(message(`filler${String(f).padStart(3, '0')}@${D}`, n, n === FILLER_SIZE - 1, START + span + (n * FILLERS + f) * 60_000)));
      if (ps.length >= BURST) {
        await burst(ps);
        ps = [];
      }
    }
  }
  await burst(ps);
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const count = store.db.prepare('SELECT count(*) FROM messages').pluck().get();
  store.close();
  if (count !== total) throw new Error(`store holds ${count} messages, expected ${total}`);
  console.log(`filled: ${total.toLocaleString('en')} messages in ${secs.toFixed(0)} s (${Math.round(total / secs).toLocaleString('en')} msg/s, ${((cpu.user + cpu.system) / total).toFixed(0)} µs CPU per message), ${(statSync(template).size / 2 ** 20).toFixed(0)} MiB`);
  writeFileSync(templateMeta, JSON.stringify(meta));
  return meta;
}
