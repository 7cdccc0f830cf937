// Builds Flint into dist/:
//   dist/main/index.cjs     Electron main (esbuild, CJS, node)      — skipped with --no-electron
//   dist/preload/index.cjs  sandboxed preload (one CJS file)        — skipped with --no-electron
//   dist/main/web.cjs       `npm run web` entry (plain Node)
//   dist/renderer/          the renderer (Vite, vite.config.ts)
//   dist/assets/            window and tray icons
// Type checking is separate (`npm run typecheck`): this stays fast.
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const withElectron = !args.has('--no-electron');
const started = performance.now();
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  define: { __FLINT_VERSION__: JSON.stringify(pkg.version) },
  // ws loads these optional native speed-ups when present; they are not needed. better-sqlite3
  // (the history store) is a native addon: it cannot be bundled, it is loaded from node_modules
  // (electron-builder.yml ships it, rebuilt for Electron's ABI).
  external: ['electron', 'bufferutil', 'utf-8-validate', 'better-sqlite3'],
};

const jobs = [
  // Electron 45 ships Node 22; web mode runs on the Node that runs npm (>= 20.19, package.json engines).
  esbuild({ ...common, entryPoints: { 'main/web': 'electron/main/web.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, target: 'node20' }),
];
if (withElectron) {
  jobs.push(
    esbuild({ ...common, entryPoints: { 'main/index': 'electron/main/index.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, target: 'node22' }),
    // A sandboxed preload cannot require() anything but a few Electron modules: one file, electron external.
    esbuild({ ...common, entryPoints: { 'preload/index': 'electron/preload/index.ts' }, outdir: 'dist', outExtension: { '.js': '.cjs' }, target: 'chrome140', external: ['electron'] }),
  );
}

async function copyAssets() {
  const out = path.join(root, 'dist', 'assets');
  await rm(out, { recursive: true, force: true });
  await mkdir(path.join(out, 'tray'), { recursive: true });
  await cp(path.join(root, 'assets', 'icon.png'), path.join(out, 'icon.png'));
  await cp(path.join(root, 'assets', 'tray'), path.join(out, 'tray'), { recursive: true, filter: (src) => !src.endsWith('.mjs') });
}

async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), mode: 'production' });
}

try {
  await Promise.all([...jobs, copyAssets()]);
  await buildRenderer();
} catch (err) {
  // esbuild has printed its diagnostics already; Vite's are in the error.
  console.error(`build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.error(`build: dist/ ready in ${((performance.now() - started) / 1000).toFixed(1)} s${withElectron ? '' : ' (web only)'}`);
