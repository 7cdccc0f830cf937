// What the app benchmarks share besides the browser (bench/lib/browser.mjs): their command-line
// options, Flint's web build and a private copy of it, an unminified renderer for CPU profiles, and
// Node bundles of TypeScript they import (the test harness, product code).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const argv = process.argv.slice(2);

/** The value given after `--name`, else `dflt`. */
export function opt(name, dflt) {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
}

/** dist/main (web.cjs) and dist/renderer, as `npm run web` serves them. */
export function buildWeb() {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--no-electron'], { stdio: 'inherit' });
}

/**
 * The build under test, copied to `dir`: other work rebuilding dist/ meanwhile must not change it
 * mid-run (web.cjs serves ../../dist/renderer relative to itself; node_modules resolve from the
 * tree). Returns the copy's web.cjs.
 */
export function copyWebBuild(dir) {
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['main', 'renderer']) cpSync(path.join(root, 'dist', part), path.join(dir, 'dist', part), { recursive: true });
  return path.join(dir, 'dist/main/web.cjs');
}

/** A renderer build without minification (readable CPU profiles), served with web.cjs --static DIR. */
export function buildUnminifiedRenderer(outDir) {
  execFileSync('npx', ['vite', 'build', '--config', path.join(root, 'vite.config.ts'), '--minify', 'false', '--outDir', outDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
}

/** esbuild options for an ESM bundle run by Node whose CommonJS dependencies can still require(). */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

/** Bundles `entry` (relative to the repository) to `outfile` and imports it. */
export async function bundleAndImport(entry, outfile, extra = {}) {
  await build({ ...NODE_BUNDLE, entryPoints: [path.join(root, entry)], outfile, ...extra });
  return import(pathToFileURL(outfile).href);
}
