// Bundle bench/parse/parse.bench.ts with esbuild into bench/.data/ and run it with --expose-gc.
// Usage: node bench/parse/run.mjs [--mb=100] [--runs=7] [--seed=2024] [--only=flint,saxes-tree,ltx,xmpp-xml,saxes-default] [--callgrind]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = path.join(root, 'bench/.data/parse.bench.mjs');

await build({
  entryPoints: [path.join(root, 'bench/parse/parse.bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM may require() Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
