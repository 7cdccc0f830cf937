// Receive-flood benchmark (issue 5): 20,000 chat messages sent as fast as a raw client in another
// process can, through Prosody (MAM on, as deployed), to (1) a bare socket receiver that only
// counts stanzas — the server's delivery rate, the baseline — and (2) Flint's account service,
// counting messages once committed to the history store. Also the receiver's event-loop delay
// (max, p99) during the flood: main stays responsive.
//
//   node bench/receive-flood/run.mjs [--messages=20000] [--rounds=2] [--compare-queue] [--no-mam]
//
// --no-mam: Prosody without mod_mam, which then relays several times faster than Flint stores:
// the flood piles up in the write queue, which shows how long each commit holds the event loop.
// Rounds alternate (bare, Flint, bare, Flint…) on one Prosody; medians are reported.
// --compare-queue: each round also runs Flint with the store's commit policy before issue 5's
// benchmark work (1,000 writes per transaction, no time bound or interval), for a same-run ratio.
//
// Writes bench/.data/receive-flood-results.json.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = path.join(root, 'bench/.data');
fs.mkdirSync(dataDir, { recursive: true });
const arg = (name, dflt) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};
const COUNT = arg('messages', 20_000);
const ROUNDS = arg('rounds', 2);

const bundle = path.join(dataDir, 'receive-flood.bundle.mjs');
await build({
  entryPoints: [path.join(root, 'bench/receive-flood/flood.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  external: ['better-sqlite3'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const { runBench } = await import(pathToFileURL(bundle).href);
const COMPARE = process.argv.includes('--compare-queue');
const NO_MAM = process.argv.includes('--no-mam');
const rounds = await runBench({ bundle, count: COUNT, rounds: ROUNDS, compareQueue: COMPARE, noMam: NO_MAM });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};
const bare = rounds.filter((r) => r.receiver === 'bare');
const flint = rounds.filter((r) => r.receiver === 'flint' && r.policy === 'app');
const old = rounds.filter((r) => r.receiver === 'flint' && r.policy === 'count-only');
const summary = {
  messages: COUNT,
  mam: !NO_MAM,
  serverDeliveryPerSec: median(bare.map((r) => r.perSec)),
  flintStoredPerSec: median(flint.map((r) => r.perSec)),
  flintArrivedPerSec: median(flint.map((r) => r.arrivedPerSec)),
  flintLagP99Ms: median(flint.map((r) => r.lagP99Ms)),
  flintLagMaxMs: Math.max(...flint.map((r) => r.lagMaxMs)),
  flintMaxEventLoopDelayMs: Math.max(...flint.map((r) => r.maxDelayMs)),
  flintP99EventLoopDelayMs: median(flint.map((r) => r.p99DelayMs)),
  flintCpuUsPerMessage: median(flint.map((r) => r.cpuUsPerMessage)),
  flintLongestCommitMs: Math.max(...flint.map((r) => r.longestCommitMs)),
  flintMostCpuInOneCommitMs: Math.max(...flint.map((r) => r.mostCpuInOneCommitMs)),
  everyMessageStoredOnce: [...flint, ...old].every((r) => r.storedRows === COUNT),
  ...(old.length
    ? {
        countOnlyStoredPerSec: median(old.map((r) => r.perSec)),
        countOnlyLagMaxMs: Math.max(...old.map((r) => r.lagMaxMs)),
        countOnlyMaxEventLoopDelayMs: Math.max(...old.map((r) => r.maxDelayMs)),
        countOnlyP99EventLoopDelayMs: median(old.map((r) => r.p99DelayMs)),
        countOnlyCpuUsPerMessage: median(old.map((r) => r.cpuUsPerMessage)),
        countOnlyLongestCommitMs: Math.max(...old.map((r) => r.longestCommitMs)),
        countOnlyMostCpuInOneCommitMs: Math.max(...old.map((r) => r.mostCpuInOneCommitMs)),
      }
    : {}),
};
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, load: os.loadavg(), date: new Date().toISOString() };
fs.writeFileSync(path.join(dataDir, 'receive-flood-results.json'), JSON.stringify({ machine, summary, rounds }, null, 2));
console.log(JSON.stringify({ machine, summary, rounds }, null, 2));
console.log(`Flint stored ${summary.flintStoredPerSec} msg/s vs server delivery ${summary.serverDeliveryPerSec} msg/s (medians of ${ROUNDS})`);
