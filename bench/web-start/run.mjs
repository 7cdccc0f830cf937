#!/usr/bin/env node
// Issue 3 benchmark: renderer bundle size (gzip) and the time from starting `npm run web`'s
// process to the login screen being interactive in Chromium. Baseline in the same run: the same
// server process serving a blank page (`floor`: process start + one page load with no app).
// Median of N interleaved runs. Usage: node bench/web-start/run.mjs [--runs 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb, opt, root } from '../lib/app.mjs';
import { launchChromium, webUrl } from '../lib/browser.mjs';

const runs = Number(opt('runs', '10')) || 10;

buildWeb();

// Bundle size: every shipped renderer file, raw and gzip -9.
const assets = path.join(root, 'dist/renderer/assets');
let raw = 0;
let gz = 0;
const files = [];
for (const f of readdirSync(assets)) {
  if (f.endsWith('.map')) continue;
  const buf = readFileSync(path.join(assets, f));
  const g = gzipSync(buf, { level: 9 }).length;
  raw += buf.length;
  gz += g;
  files.push(`${f}: ${(buf.length / 1024).toFixed(1)} KiB, gzip ${(g / 1024).toFixed(1)} KiB`);
}
const html = readFileSync(path.join(root, 'dist/renderer/index.html'));
raw += html.length;
gz += gzipSync(html, { level: 9 }).length;

function startWeb(dataDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/main/web.cjs'), '--port', '0'], {
    env: { ...process.env, FLINT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return webUrl(child).then((url) => ({ child, url, t0, urlAt: performance.now() }));
}

const { browser } = await launchChromium();

async function once(kind) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flint-bench-web-'));
  const { child, url, t0, urlAt } = await startWeb(dataDir);
  const page = await browser.newPage();
  try {
    if (kind === 'floor') {
      // Same process start, then a page load of a tiny document from the same origin.
      await page.goto(new URL('/does-not-exist', url).href).catch(() => undefined);
      return { total: performance.now() - t0, start: urlAt - t0 };
    }
    await page.goto(url);
    const signIn = page.getByRole('button', { name: 'Sign in' });
    await signIn.waitFor({ state: 'visible' });
    await page.getByRole('textbox', { name: 'Jabber ID' }).fill('probe@example.test');
    return { total: performance.now() - t0, start: urlAt - t0 };
  } finally {
    await page.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = { app: [], floor: [] };
await once('app'); // warm-up (disk cache), discarded
for (let i = 0; i < runs; i++) {
  results.app.push(await once('app'));
  results.floor.push(await once('floor'));
}
await browser.close();

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mApp = median(results.app.map((r) => r.total));
const mStart = median(results.app.map((r) => r.start));
const mFloor = median(results.floor.map((r) => r.total));
console.log(`\nrenderer bundle: ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip`);
for (const f of files) console.log(`  ${f}`);
console.log(`\nweb start → login interactive (median of ${runs}): ${mApp.toFixed(0)} ms`);
console.log(`  of which process start → URL printed: ${mStart.toFixed(0)} ms`);
console.log(`floor (same process start + blank page): ${mFloor.toFixed(0)} ms; app costs ${(mApp - mFloor).toFixed(0)} ms on top (${(mApp / mFloor).toFixed(2)}×)`);
