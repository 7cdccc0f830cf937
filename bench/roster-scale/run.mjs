#!/usr/bin/env node
// Issue 4 benchmark: a 10,000-contact roster in Chromium through the bridge, against Prosody.
//  1. roster received → list painted: from the WebSocket message carrying the roster
//     (roster.changed, replace) reaching the page to the first frame painted with the rows;
//  2. a presence flood: 10,000 presence updates (one per contact) sent as fast as the socket takes
//     them by an external component (XEP-0114, flood-component.mjs, its own process) — so
//     Prosody routes them to the user's session at its own speed — measured in the page from the
//     first presence.changed message to the frame that shows the last update; the longest
//     main-thread task meanwhile (PerformanceObserver 'longtask', which reports tasks > 50 ms);
//  3. JS heap after (CDP Runtime.getHeapUsage after a forced GC).
// The same at 1,000 contacts for comparison. Contacts are in 200 groups in both cases. Each run
// is a fresh Flint web process with a fresh profile (no roster cache), runs interleaved, medians.
//
//   node bench/roster-scale/run.mjs [--runs 5] [--sizes 1000,10000] [--no-build] [--profile] [--no-trace]
//   --profile: an unminified renderer build, CPU profiles of the paint and of the flood
//              (bench/.data/roster-*.cpuprofile) and the top functions by self time.
//   --renderer DIR: serve that renderer build instead of dist/renderer.
//   --compare DIR: also run every size with the renderer build in DIR, interleaved run by run with
//              the current one (a before/after comparison under the same machine load).
//   Unless --no-trace: a Chromium trace (category 'toplevel', light) of the sign-in and of the
//   flood gives each main-thread task's wall time and its thread CPU time: on a shared machine a
//   task stretched by other processes (wall ≫ CPU) is told apart from one that did 50 ms of work.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { argv, buildUnminifiedRenderer, buildWeb, bundleAndImport, copyWebBuild, opt, root } from '../lib/app.mjs';
import { fillLogin, launchChromium, raisePriority, webUrl, PAGE_PROBES } from '../lib/browser.mjs';

const dataDir = path.join(root, 'bench/.data');
mkdirSync(dataDir, { recursive: true });
const RUNS = Number(opt('runs', '5'));
const SIZES = opt('sizes', '1000,10000').split(',').map(Number);
const GROUPS = 200;
const DOMAIN = 'example.test';
const FLOOD = `flood.${DOMAIN}`;
const SECRET = 'bench-secret';
const RESOURCE = 'bench';
const PROFILE = argv.includes('--profile');
const TRACE = !argv.includes('--no-trace');
const RENDERER = PROFILE ? path.join(dataDir, 'renderer-unminified') : opt('renderer', null);
const COMPARE = opt('compare', null);
const BUILDS = [{ name: 'current', dir: RENDERER }, ...(COMPARE ? [{ name: `compare (${COMPARE})`, dir: COMPARE }] : [])];
// --timeline: the sign-in and flood traces with DevTools' timeline categories too (script, style,
// layout, paint with their CPU times), written to bench/.data/roster-{paint,flood}-SIZE.trace.json.
const TIMELINE = argv.includes('--timeline');
const traceCategories = TIMELINE ? ['toplevel', 'devtools.timeline', 'v8.execute', 'disabled-by-default-devtools.timeline'] : ['toplevel'];
const stopTrace = async (name) => {
  const buffer = await browser.stopTracing();
  if (TIMELINE) writeFileSync(path.join(dataDir, `roster-${name}.trace.json`), buffer);
  return rendererTasks(buffer);
};
const unminified = path.join(dataDir, 'renderer-unminified');
if (PROFILE) buildUnminifiedRenderer(unminified);

// Other work on a shared machine stretches wall-clock tasks more than anything measured here:
// raise this process's priority when allowed (root); Prosody and Flint inherit it, Chromium's
// processes are given it once they exist (reniceChromium: its zygote-spawned renderers start at
// nice 0, so the page ran below the server and main process feeding it, and below other work).
const priority = raisePriority();

if (!argv.includes('--no-build')) buildWeb();
const webEntry = copyWebBuild(path.join(dataDir, 'roster-app'));
const { startProsody, freePort } = await bundleAndImport('test/harness/index.ts', path.join(dataDir, 'roster-scale-harness.mjs'));

// ------------------------------------------------------------------ server, users, flood source

const componentPort = await freePort();
const server = await startProsody({
  domain: DOMAIN,
  // An external component may send stanzas from any JID of its domain: 10,000 "contacts" in one process.
  extraConfig: [`component_ports = { ${componentPort} }`, 'component_interfaces = { "127.0.0.1" }', `Component ${JSON.stringify(FLOOD)}`, `  component_secret = ${JSON.stringify(SECRET)}`].join('\n'),
});
const pad = (n, w) => String(n).padStart(w, '0');
for (const size of SIZES) {
  await server.registerMany([{ user: `big${size}`, pass: 'big-pass' }]);
  await server.writeRoster(
    `big${size}`,
    Array.from({ length: size }, (_, i) => ({ jid: `u${i}@${FLOOD}`, name: `Contact ${pad(i, 5)}`, groups: [`Group ${pad(i % GROUPS, 3)}`], subscription: 'both' })),
  );
}

const flood = spawn(process.execPath, [path.join(root, 'bench/roster-scale/flood-component.mjs'), String(componentPort), FLOOD, SECRET], { stdio: ['pipe', 'pipe', 'inherit'] });
const floodLines = readline.createInterface({ input: flood.stdout });
const nextFloodLine = () => new Promise((resolve) => floodLines.once('line', resolve));
if ((await nextFloodLine()) !== 'ready') throw new Error('flood component did not connect');

// ------------------------------------------------------------------ one run

const { browser, reniceChromium } = await launchChromium({ priority, extraArgs: ['--enable-precise-memory-info'] });

/* global requestAnimationFrame -- instrument() runs in the page */
// In the page before the app: timestamps of bridge messages (the listener is added in the
// WebSocket constructor, so it runs before the app's onmessage), frames, long tasks.
function instrument() {
  const b = (window.__bench = { rosterAt: null, rosterBytes: 0, painted: null, floodStart: null, firstPresence: null, floodDone: null, batches: 0, longtasks: [] });
  // Long tasks and afterThisFrame: bench/lib/page-probes.js, loaded before this.
  window.__probes.onLongTask((t) => b.longtasks.push(t));
  const { afterThisFrame } = window.__probes;
  // Checked in each frame's requestAnimationFrame, before its paint: once true, that frame paints
  // it. (Until 2026-11-26 this asked for one more requestAnimationFrame here, so it timed the
  // frame after: with whatever tasks ran between the two frames.)
  const until = (test, done) => {
    const tick = () => (test() ? afterThisFrame(done) : requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        const now = performance.now();
        if (typeof ev.data !== 'string') return;
        if (b.rosterAt === null && ev.data.includes('"roster.changed"') && ev.data.includes('"replace":true')) {
          b.rosterAt = now;
          b.rosterBytes = ev.data.length;
          until(() => document.querySelector('[role="tree"] [role="treeitem"]') !== null, (t) => (b.painted = t));
        } else if (b.floodStart !== null && ev.data.includes('"presence.changed"')) {
          b.batches++;
          if (b.firstPresence === null) {
            b.firstPresence = now;
            until(() => document.querySelector('[role="treeitem"][aria-label*="FLOOD-END"]') !== null, (t) => (b.floodDone = t));
          }
        }
      });
    }
  };
}

async function startWeb(profile, rendererDir) {
  const child = spawn(process.execPath, [webEntry, '--port', '0', ...(rendererDir ? ['--static', path.resolve(rendererDir)] : [])], {
    env: { ...process.env, FLINT_DATA_DIR: profile, NODE_EXTRA_CA_CERTS: server.caCertPath, FLINT_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await webUrl(child) };
}

/** Writes the profile and prints the functions with the most self time. */
function report(name, profile) {
  writeFileSync(path.join(dataDir, `roster-${name}.cpuprofile`), JSON.stringify(profile));
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  console.log(`-- ${name}: top self time (ms)`);
  for (const [k, v] of top) console.log(`   ${v.toFixed(1).padStart(7)}  ${k}`);
  // Inclusive time of the app's main steps (a function counted once per sample, however deep).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const watch = ['onMessage', 'parse', 'dispatch', 'applyAll', 'applyRoot', 'applyRoster', 'applyPresence', 'sortContacts', 'buildRows', 'selectRosterRows', 'performWorkUntilDeadline', 'renderRootSync', 'commitRoot', 'getMeasurements'];
  const incl = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const fn = byId.get(cur).callFrame.functionName;
      const w = watch.find((x) => fn === x || fn.endsWith(`.${x}`) || fn.startsWith(`${x}$`));
      if (w && !seen.has(w)) {
        seen.add(w);
        incl.set(w, (incl.get(w) ?? 0) + (dt[i] ?? 0) / 1000);
      }
    }
  });
  console.log(`   inclusive: ${[...incl].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`);
}

/** Main-thread tasks of the page's renderer from a 'toplevel' trace: wall (dur) and CPU (tdur), ms. */
function rendererTasks(buffer) {
  const parsed = JSON.parse(buffer.toString());
  const events = parsed.traceEvents ?? parsed;
  const mains = new Set();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.add(`${e.pid}:${e.tid}`);
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const k = `${e.pid}:${e.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push({ wall: e.dur / 1000, cpu: (e.tdur ?? e.dur) / 1000 });
  }
  // The page's renderer is the one that worked most (others: spare renderers, idle).
  let best = [];
  let bestBusy = -1;
  for (const tasks of byThread.values()) {
    const busy = tasks.reduce((a, t) => a + t.cpu, 0);
    if (busy > bestBusy) [best, bestBusy] = [tasks, busy];
  }
  const longest = best.reduce((a, t) => (t.wall > a.wall ? t : a), { wall: 0, cpu: 0 });
  return { longestWall: longest.wall, longestWallCpu: longest.cpu, longestCpu: Math.max(0, ...best.map((t) => t.cpu)), over50Wall: best.filter((t) => t.wall > 50).length, over50Cpu: best.filter((t) => t.cpu > 50).length };
}

async function once(size, build = BUILDS[0]) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'flint-bench-roster-'));
  const { child, url } = await startWeb(profile, build.dir);
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();
  try {
    await page.addInitScript({ path: PAGE_PROBES });
    await page.addInitScript(instrument);
    const cdp = await context.newCDPSession(page);
    // Main-thread busy time (CDP Performance.TaskDuration, s): CPU the page spent, which machine
    // load does not stretch the way it stretches wall-clock long tasks.
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    await page.goto(url);
    // After the navigation: the page may have moved to a new renderer process.
    await reniceChromium();
    await fillLogin(page, { jid: `big${size}@${DOMAIN}`, password: 'big-pass', port: server.c2sPort, resource: RESOURCE });
    if (PROFILE) await cdp.send('Profiler.start');
    if (TRACE) await browser.startTracing(page, { categories: traceCategories });
    const busyBeforeLogin = await busy();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => window.__bench.painted !== null, null, { timeout: 60_000 });
    const loginTrace = TRACE ? await stopTrace(`paint-${size}`) : null;
    if (PROFILE) report(`paint-${size}`, (await cdp.send('Profiler.stop')).profile);
    const load = await page.evaluate(() => {
      const b = window.__bench;
      const during = b.longtasks.filter((t) => t.start + t.duration >= b.rosterAt && t.start <= b.painted);
      return { paintMs: b.painted - b.rosterAt, rosterBytes: b.rosterBytes, longestLoadTask: Math.max(0, ...during.map((t) => t.duration)) };
    });
    load.loginBusyMs = (await busy()) - busyBeforeLogin;
    // From the click to the painted list: the longest task's CPU time (the wall time is above).
    if (loginTrace) load.loginLongestCpu = loginTrace.longestCpu;
    // Let the login settle (initial presence, probes answered by nobody), then flood.
    await page.waitForTimeout(1500);
    await page.evaluate(() => {
      window.__bench.floodStart = performance.now();
      window.__bench.longtasks = [];
    });
    if (PROFILE) await cdp.send('Profiler.start');
    if (TRACE) await browser.startTracing(page, { categories: traceCategories });
    const busyBeforeFlood = await busy();
    flood.stdin.write(`flood big${size}@${DOMAIN}/${RESOURCE} ${size}\n`);
    const sent = await nextFloodLine();
    await page.waitForFunction(() => window.__bench.floodDone !== null, null, { timeout: 120_000, polling: 100 });
    const floodTrace = TRACE ? await stopTrace(`flood-${size}`) : null;
    if (PROFILE) report(`flood-${size}`, (await cdp.send('Profiler.stop')).profile);
    const fl = await page.evaluate(() => {
      const b = window.__bench;
      const during = b.longtasks.filter((t) => t.start + t.duration >= b.floodStart && t.start <= b.floodDone);
      return {
        appliedMs: b.floodDone - b.firstPresence,
        batches: b.batches,
        longestFloodTask: Math.max(0, ...during.map((t) => t.duration)),
        longTasksOver50: during.length,
      };
    });
    fl.floodBusyMs = (await busy()) - busyBeforeFlood;
    if (floodTrace) {
      // The trace spans the flood plus the ~100 ms polls around it; its longest wall-clock task
      // is the one the longtask observer saw (when over 50 ms).
      fl.floodLongestTraceWall = floodTrace.longestWall;
      fl.floodLongestTraceWallCpu = floodTrace.longestWallCpu;
      fl.floodLongestCpu = floodTrace.longestCpu;
      fl.floodOver50Cpu = floodTrace.over50Cpu;
    }
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const rows = await page.getByRole('tree', { name: 'Contacts' }).getByRole('treeitem').count();
    return { size, build: build.name, ...load, ...fl, heapMB: heap.usedSize / 1024 / 1024, domRows: rows, floodSend: sent, load1: os.loadavg()[0] };
  } finally {
    await context.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(profile, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ runs

const results = [];
try {
  for (const size of SIZES) {
    const w = await once(size); // warm-up (disk cache, JIT of the server), discarded
    console.log(`warm-up ${size}: paint ${w.paintMs.toFixed(0)} ms, flood ${w.appliedMs.toFixed(0)} ms`);
  }
  for (let r = 0; r < RUNS; r++) {
    for (const size of r % 2 ? [...SIZES].reverse() : SIZES) {
      for (const build of r % 2 ? [...BUILDS].reverse() : BUILDS) {
        const res = await once(size, build);
        results.push(res);
        console.log(
          `run ${r + 1} ${size}${COMPARE ? ` ${build.name}` : ''}: paint ${res.paintMs.toFixed(0)} ms (longest task ${res.longestLoadTask.toFixed(0)}${TRACE ? `, longest sign-in task CPU ${res.loginLongestCpu.toFixed(0)}` : ''}; sign-in busy ${res.loginBusyMs.toFixed(0)} ms), flood busy ${res.floodBusyMs.toFixed(0)} ms, flood applied ${res.appliedMs.toFixed(0)} ms in ${res.batches} batches, longest flood task ${res.longestFloodTask.toFixed(0)} ms (${res.longTasksOver50} > 50 ms)${TRACE ? ` [trace: longest ${res.floodLongestTraceWall.toFixed(0)} ms wall / ${res.floodLongestTraceWallCpu.toFixed(0)} ms CPU; most CPU in one task ${res.floodLongestCpu.toFixed(0)} ms]` : ''}, heap ${res.heapMB.toFixed(1)} MB, ${res.domRows} rows in the DOM, load ${res.load1.toFixed(1)}`,
        );
      }
    }
  }
} finally {
  await browser.close();
  flood.kill('SIGTERM');
  await server.stop({ graceful: false });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = BUILDS.flatMap((build) => SIZES.map((size) => {
  const rs = results.filter((r) => r.size === size && r.build === build.name);
  const col = (k) => rs.map((r) => r[k]);
  return {
    size,
    build: build.name,
    runs: rs.length,
    paintMs: median(col('paintMs')),
    paintMax: Math.max(...col('paintMs')),
    longestLoadTask: median(col('longestLoadTask')),
    rosterKiB: median(col('rosterBytes')) / 1024,
    floodAppliedMs: median(col('appliedMs')),
    floodAppliedMax: Math.max(...col('appliedMs')),
    batches: median(col('batches')),
    loginBusyMs: median(col('loginBusyMs')),
    floodBusyMs: median(col('floodBusyMs')),
    floodBusyPerBatch: median(rs.map((r) => r.floodBusyMs / r.batches)),
    longestFloodTask: median(col('longestFloodTask')),
    longestFloodTaskMax: Math.max(...col('longestFloodTask')),
    longTasksOver50: median(col('longTasksOver50')),
    floodLongestCpu: TRACE ? median(col('floodLongestCpu')) : NaN,
    floodLongestCpuMax: TRACE ? Math.max(...col('floodLongestCpu')) : NaN,
    loginLongestCpu: TRACE ? median(col('loginLongestCpu')) : NaN,
    runsFloodOver50: rs.filter((r) => r.longTasksOver50 > 0).length,
    runsPaintOver200: rs.filter((r) => r.paintMs > 200).length,
    heapMB: median(col('heapMB')),
    heapMax: Math.max(...col('heapMB')),
  };
}));
writeFileSync(path.join(dataDir, 'roster-scale-results.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, load: os.loadavg(), nice: priority, results, summary }, null, 1));
console.log('\n| contacts | roster JSON | received → painted (median / max; runs > 200 ms) | longest task while painting (CPU of the longest sign-in task) | flood: first → last applied (median / max) | batches | main thread busy in flood (per batch) | longest task in flood (median / max; runs with one > 50 ms) | most CPU in one flood task (median / max) | JS heap after (median / max) |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const s of summary) {
  console.log(
    `| ${s.size.toLocaleString('en')}${COMPARE ? ` ${s.build}` : ''} | ${s.rosterKiB.toFixed(0)} KiB | ${s.paintMs.toFixed(0)} / ${s.paintMax.toFixed(0)} ms; ${s.runsPaintOver200} of ${s.runs} | ${s.longestLoadTask.toFixed(0)} ms${TRACE ? ` (${s.loginLongestCpu.toFixed(0)} ms)` : ''} | ${s.floodAppliedMs.toFixed(0)} / ${s.floodAppliedMax.toFixed(0)} ms | ${s.batches} | ${s.floodBusyMs.toFixed(0)} ms (${s.floodBusyPerBatch.toFixed(1)} ms) | ${s.longestFloodTask.toFixed(0)} / ${s.longestFloodTaskMax.toFixed(0)} ms; ${s.runsFloodOver50} of ${s.runs} | ${TRACE ? `${s.floodLongestCpu.toFixed(0)} / ${s.floodLongestCpuMax.toFixed(0)} ms` : '–'} | ${s.heapMB.toFixed(1)} / ${s.heapMax.toFixed(1)} MB |`,
  );
}
console.log(`\nload average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, nice ${priority}; results in bench/.data/roster-scale-results.json`);
