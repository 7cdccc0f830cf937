#!/usr/bin/env node
// better-sqlite3 for Electron's ABI, beside node_modules' build (which stays for plain Node: tests,
// web mode). Output: dist/native/better_sqlite3-electron-<version>.node, loaded by electron/main/index.ts.
// First the prebuilt binary (prebuild-install, which better-sqlite3 ships with), else a source build
// against Electron's headers (node-gyp). Both download from outside the npm registry, as Electron's
// own installer does, so this runs where Electron itself can be installed (`npm start`), not in CI.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const out = path.join(root, 'dist', 'native', `better_sqlite3-electron-${electronVersion}.node`);
if (existsSync(out)) process.exit(0);

const src = path.dirname(require.resolve('better-sqlite3/package.json'));
const work = path.join(root, '.tmp', `better-sqlite3-electron-${electronVersion}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(path.dirname(work), { recursive: true });
cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: 'inherit' });
try {
  run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', electronVersion]);
} catch {
  console.log(`electron-native: no prebuilt better-sqlite3 for Electron ${electronVersion}; building from source`);
  run(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, '--dist-url=https://electronjs.org/headers']);
}
mkdirSync(path.dirname(out), { recursive: true });
cpSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), out);
rmSync(work, { recursive: true, force: true });
console.log(`electron-native: ${path.relative(root, out)}`);
