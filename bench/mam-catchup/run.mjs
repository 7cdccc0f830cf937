// Archive catch-up benchmark (issue 5): 10,000 messages in the XEP-0313 archive of a signed-out
// Flint account on Prosody; Flint's login catch-up (every message committed to the history store)
// against python3-slixmpp fetching the same archive (counting only), in the same run.
//
//   node bench/mam-catchup/run.mjs [--messages=10000] [--runs=3]
//
// Writes bench/.data/mam-catchup-results.json.
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
const bundle = path.join(dataDir, 'mam-catchup.bundle.mjs');
await build({
  entryPoints: [path.join(root, 'bench/mam-catchup/catchup.ts')],
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
const result = await runBench({ count: arg('messages', 10_000), runs: arg('runs', 3), slixmppScript: path.join(root, 'bench/mam-catchup/slixmpp_mam.py') });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const summary = { flintMedianMs: median(result.flint.map((r) => r.ms)), slixmppMedianMs: median(result.slixmpp.map((r) => r.ms)) };
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, load: os.loadavg(), date: new Date().toISOString() };
fs.writeFileSync(path.join(dataDir, 'mam-catchup-results.json'), JSON.stringify({ machine, summary, result }, null, 2));
console.log(JSON.stringify({ machine, summary, result }, null, 2));
