// Receive-flood benchmark (issue 5): 20,000 chat messages sent as fast as a raw client in another
// process can, through Prosody (MAM on, as deployed), to (1) a bare socket receiver that only
// counts stanzas — the server's delivery rate, the baseline — and (2) Flint's account service,
// counting messages once committed to the history store. Also the receiver's event-loop delay
// (max, p99) during the flood: main stays responsive.
//
//   node bench/receive-flood/run.mjs [--messages=20000] [--rounds=2]
//
// Rounds alternate (bare, Flint, bare, Flint…) on one Prosody; medians are reported.
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
const rounds = await runBench({ bundle, count: COUNT, rounds: ROUNDS });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};
const bare = rounds.filter((r) => r.receiver === 'bare');
const flint = rounds.filter((r) => r.receiver === 'flint');
const summary = {
  messages: COUNT,
  serverDeliveryPerSec: median(bare.map((r) => r.perSec)),
  flintStoredPerSec: median(flint.map((r) => r.perSec)),
  flintMaxEventLoopDelayMs: Math.max(...flint.map((r) => r.maxDelayMs)),
  flintP99EventLoopDelayMs: median(flint.map((r) => r.p99DelayMs)),
  everyMessageStoredOnce: flint.every((r) => r.storedRows === COUNT),
};
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, date: new Date().toISOString() };
fs.writeFileSync(path.join(dataDir, 'receive-flood-results.json'), JSON.stringify({ machine, summary, rounds }, null, 2));
console.log(JSON.stringify({ machine, summary, rounds }, null, 2));
console.log(`Flint stored ${summary.flintStoredPerSec} msg/s vs server delivery ${summary.serverDeliveryPerSec} msg/s (medians of ${ROUNDS})`);
