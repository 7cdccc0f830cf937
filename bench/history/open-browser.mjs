#!/usr/bin/env node
// Issue 5 benchmark, end to end: opening a conversation of 100,000 messages to the first frame
// painted with its newest messages (target ≤ 50 ms), in the real app — Flint in web mode
// (dist/main/web.cjs, the real main process) with Chromium (playwright-core, the WebSocket bridge),
// signed in through the login form against Prosody, as bench/roster-scale and
// bench/receive-flood/browser.mjs do.
//
// Set-up, before the app starts, through the product's own store code (electron/main/store/history.ts
// bundled with esbuild; HistoryStore.insert, the app's batched write queue, in bursts of 2,000 as in
// bench/history/run.mjs) into the history store of the profile web.cjs uses (FLINT_DATA_DIR):
//   - BIG conversations of SIZE messages each (default 11 × 100,000 = 1,100,000), interleaved in time;
//   - as many SMALL conversations of 50 messages, the baseline: the same code path, a small conversation;
//   - 60 FILLER conversations of 100 messages, newer than all of those: the snapshot a window gets
//     at sign-in holds the newest 50 of the 50 most recent conversations, i.e. fillers only, so
//     opening a big or small conversation for the first time asks main for it (history.page).
// The big and small contacts are in the user's roster (Prosody roster file).
//
// Measured in the page: from the keydown of Enter on the contact's row in the roster (the row is
// focused beforehand; the time is the event's timeStamp, read in a capture-phase listener) to the
// first frame painted whose message log holds the newest message's text (a requestAnimationFrame
// check before each frame's paint; a task queued from the rAF that sees it runs after that frame's
// paint — as bench/roster-scale). Also: the history.page round trip as the page sees it (the
// command leaving on the WebSocket → its result arriving), long tasks (PerformanceObserver
// 'longtask', > 50 ms) in that window, and the page's main-thread busy time (CDP Performance:
// TaskDuration, with script / layout / style).
//
// One sign-in, then:
//   cold: a first open of each conversation since sign-in (history.page needed): the first big one
//         right after sign-in (reported on its own: the first open of any conversation, code not yet
//         warm in the page), then BIG-1 big and SMALL-1 small ones, alternating (which goes first
//         alternates too);
//   warm: re-opening one big and one small conversation already opened (the renderer holds their
//         newest page: no history.page), one warm-up pair then RUNS pairs, alternating;
//   hit:  a search hit 90 % of the way back in each big conversation but the first (a word put in
//         its message SIZE/10): the word searched for, then from Enter on the result to the first
//         frame painted with that message highlighted in the log (two history.page requests, one on
//         each side of the hit); compared with the cold opens of the same conversations.
// The tab is closed between opens (no conversation open when the next one opens).
// The first open after sign-in is one figure per sign-in: --firsts N signs in N times, each time
// with a new app (a new web.cjs on a fresh copy of the store: main's first read is cold again), a
// new browser context and page, and opens the first big conversation; cold and warm opens follow
// the first sign-in only.
//
//   node bench/history/open-browser.mjs [--big 11] [--size 100000] [--runs 10] [--firsts 1] [--no-build] [--reuse] [--keep]
//   --reuse: reuse the filled store from an earlier run with the same --big/--size (bench/.data/history-open/);
//   --keep:  keep it afterwards (else deleted).
//   --profile: serve an unminified renderer build and write CPU profiles of the page for the first
//            open and the first cold open of a big conversation (bench/.data/history-open-*.cpuprofile),
//            with the functions that took most self time (profiling slows the page: not for the table).
//   --profile-main: a CPU profile of main (web.cjs, node --cpu-prof) for the first sign-in, with the
//            time of each history.page command handled (bench/.data/history-open-main.cpuprofile).
//   --trace: write Chromium traces of the first open (of each sign-in) and the first cold open of a big
//            conversation (bench/.data/history-open-{first,first-N,cold}.trace.json) with the page main thread's time per
//            event (script, compile, style, layout, paint…); slows it too.
// Writes bench/.data/history-open-results.json.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argv, buildUnminifiedRenderer, buildWeb, bundleAndImport, copyWebBuild, opt } from '../lib/app.mjs';
import { fillLogin, launchChromium, raisePriority, webUrl, PAGE_PROBES } from '../lib/browser.mjs';
import { ACCOUNT, BIG, bigs, D, dataDir, FILLER_SIZE, FILLERS, fillStore, HISTORY_FILE, HIT_AT, hitWord, marker, SIZE, SMALL_SIZE, smalls, template, USER, storeDir } from './open-store.mjs';

const RUNS = Number(opt('runs', '10'));
const FIRSTS = Math.max(1, Number(opt('firsts', '1')));
const RESOURCE = 'bench';
const PROFILE = argv.includes('--profile');
const TRACE = argv.includes('--trace');
const PROFILE_MAIN = argv.includes('--profile-main');

// As bench/roster-scale: raise our priority when allowed (root); Prosody and Flint inherit it,
// Chromium's processes are given it once they exist.
const priority = raisePriority();

// ------------------------------------------------------------------ app build, server

if (!argv.includes('--no-build')) buildWeb();
const webEntry = copyWebBuild(path.join(dataDir, 'history-open-app'));
const unminified = path.join(dataDir, 'history-open-renderer-unminified');
if (PROFILE) buildUnminifiedRenderer(unminified);

await fillStore();
/** A new app profile holding a copy of the filled store (each sign-in starts from the same store, unread by main). */
function freshProfile() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flint-bench-history-open-'));
  copyFileSync(template, path.join(dir, HISTORY_FILE));
  return dir;
}

const { startProsody } = await bundleAndImport('test/harness/index.ts', path.join(dataDir, 'history-open-harness.mjs'));
const server = await startProsody({ domain: D });
await server.registerMany([{ user: USER, pass: 'flint-pw' }]);
await server.writeRoster(USER, [
  ...bigs.map((c) => ({ jid: c.jid, name: c.name, groups: ['Big'], subscription: 'both' })),
  ...smalls.map((c) => ({ jid: c.jid, name: c.name, groups: ['Small'], subscription: 'both' })),
]);

const mainProfileDir = path.join(dataDir, 'history-open-main-profile');
async function startWeb(profile, cpuProfile = false) {
  if (cpuProfile) rmSync(mainProfileDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [...(cpuProfile ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', mainProfileDir] : []), webEntry, '--port', '0', ...(PROFILE ? ['--static', unminified] : [])], {
    env: { ...process.env, FLINT_DATA_DIR: profile, NODE_EXTRA_CA_CERTS: server.caCertPath, FLINT_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await webUrl(child) };
}

const { browser, reniceChromium } = await launchChromium({ priority });

/** Writes the profile and prints the functions with the most self time. */
function report(name, profile) {
  writeFileSync(path.join(dataDir, `history-open-${name}.cpuprofile`), JSON.stringify(profile));
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  console.log(`-- ${name}: top self time (ms)`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`   ${v.toFixed(1).padStart(7)}  ${k}`);
}

/**
 * Writes the trace and prints, for the page's main thread between the Enter and the frame painted
 * with the newest messages, the time of each kind of event (own time: nested events subtracted).
 */
function reportTrace(kind, buffer, [input, painted]) {
  writeFileSync(path.join(dataDir, `history-open-${kind}.trace.json`), buffer);
  const events = JSON.parse(buffer.toString('utf8')).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'EventDispatch' && x.args?.data?.type === 'keydown'));
  if (!main) return console.log('-- trace: no renderer main thread with the keydown');
  const key = events.find((e) => e.pid === main.pid && e.tid === main.tid && e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
  // The page's performance.now() is relative to its time origin; the trace's ts to the trace clock: align on the keydown.
  const t0 = key.ts;
  const t1 = t0 + (painted - input) * 1000;
  const own = new Map();
  const stack = [];
  const complete = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.ts + (e.dur ?? 0) >= t0 && e.ts <= t1).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  for (const e of complete) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    const dur = Math.min(e.ts + e.dur, t1) - Math.max(e.ts, t0);
    if (stack.length) own.set(stack.at(-1).name, (own.get(stack.at(-1).name) ?? 0) - dur);
    own.set(e.name, (own.get(e.name) ?? 0) + dur);
    stack.push(e);
  }
  console.log(`-- trace of the ${kind} open (${((t1 - t0) / 1000).toFixed(1)} ms), page main thread, own time per event (ms):`);
  for (const [k, v] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 25)) if (v > 200) console.log(`   ${(v / 1000).toFixed(1).padStart(7)}  ${k}`);
}

/* global requestAnimationFrame -- instrument() runs in the page */
// In the page before the app: the Enter that opens a conversation, the frames after it, long
// tasks, and the history.page command and its result on the bridge's WebSocket.
function instrument() {
  const b = (window.__bench = { armed: null, longtasks: [], pages: new Map() });
  // Long tasks and afterThisFrame: bench/lib/page-probes.js, loaded before this.
  window.__probes.onLongTask((t) => b.longtasks.push(t));
  const { afterThisFrame } = window.__probes;
  // The newest message is in the log (the <ol role="log">): one of its last few items has the text.
  const shown = (a) => {
    const log = document.querySelector(`[role="log"][aria-label="${a.log}"]`);
    if (!log) return false;
    // A search hit: its message is in the log, highlighted (aria-current).
    if (a.hit) return !!log.querySelector('li[aria-current="true"]')?.textContent.includes(a.marker);
    let el = log.lastElementChild;
    for (let i = 0; el && i < 4; i++, el = el.previousElementSibling) if (el.textContent.includes(a.marker)) return true;
    return false;
  };
  window.addEventListener(
    'keydown',
    (e) => {
      const a = b.armed;
      if (!a || e.key !== 'Enter' || a.input !== undefined) return;
      a.input = e.timeStamp;
      a.listener = performance.now();
      // Checked in each frame's requestAnimationFrame, before its paint: once true, that frame paints it.
      const tick = () => {
        if (a.panelFrame === undefined && document.querySelector(`[role="log"][aria-label="${a.log}"]`)) a.panelFrame = performance.now();
        if (shown(a)) afterThisFrame((t) => (a.painted = t));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    true,
  );
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string' || !ev.data.startsWith('{"t":"result"')) return;
        const now = performance.now();
        const m = /^\{"t":"result","id":(\d+)/.exec(ev.data);
        const p = m && b.pages.get(Number(m[1]));
        if (p && p.result === undefined) {
          p.result = now;
          p.bytes = ev.data.length;
        }
      });
    }
    send(data) {
      if (typeof data === 'string' && data.includes('"history.page"')) {
        const msg = JSON.parse(data);
        if (msg.t === 'cmd' && msg.name === 'history.page') b.pages.set(msg.id, { sent: performance.now(), peer: msg.args.peer, before: msg.args.before, after: msg.args.after });
      }
      super.send(data);
    }
  };
}

const results = [];
let profiled = 0;

/**
 * One sign-in: a new app on a fresh copy of the store, a new browser context, the login form; then
 * the first open (bigs[0]) and, when `all`, the cold and warm opens.
 */
async function signIn(round, all) {
  const profile = freshProfile();
  const web = await startWeb(profile, PROFILE_MAIN && round === 0);
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 }, locale: 'en-US' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    await page.addInitScript({ path: PAGE_PROBES });
    await page.addInitScript(instrument);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value * 1000]));
      return { task: m.TaskDuration, script: m.ScriptDuration, layout: m.LayoutDuration, style: m.RecalcStyleDuration };
    };
    await page.goto(web.url);
    await reniceChromium();
    await fillLogin(page, { jid: ACCOUNT, password: 'flint-pw', port: server.c2sPort, resource: RESOURCE });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tree = page.getByRole('tree', { name: 'Contacts' });
    const row = (c) => tree.getByRole('treeitem', { name: new RegExp(`^${c.name}, `) });
    await row(smalls.at(-1)).waitFor({ timeout: 60_000 });
    // Let the sign-in settle: the archive anchor (empty archive), presence probes, the snapshot's render.
    await page.waitForTimeout(2000);
    await reniceChromium();
    // Playwright's own script in the page, which waitForFunction below polls with, is compiled on its
    // first use (≈ 8 ms): here, not inside the first measured open.
    await page.waitForFunction(() => true, null, { polling: 10 });
    // The chat warm-up after sign-in (renderer/features/chat/warm-up.tsx): done before the first open?
    const warmUp = await page.evaluate(() => {
      const m = performance.getEntriesByName('flint:chat-warm-up')[0];
      if (!m) return null;
      // Tasks that started within it (the main view's own first render ends just before it starts).
      const during = window.__bench.longtasks.filter((t) => t.start >= m.startTime && t.start <= m.startTime + m.duration);
      return { ms: m.duration, longTasks: during.length, longest: Math.max(0, ...during.map((t) => t.duration)) };
    });
    console.log(`sign-in ${round + 1}: chat warm-up ${warmUp ? `done (${warmUp.ms.toFixed(0)} ms from start to end, idle time included; ${warmUp.longTasks} tasks > 50 ms, longest ${warmUp.longest.toFixed(0)} ms)` : 'not done'}`);

    /**
     * Opens `c` with Enter on its focused roster row, or (kind 'hit') on the search result for its
     * message HIT_AT, found first with the search box; returns what the page measured.
     */
    async function open(c, kind) {
      const hit = kind === 'hit';
      if (hit) {
        const box = page.getByRole('searchbox', { name: 'Search messages' });
        await box.fill(hitWord(c.jid));
        await box.press('Enter');
        const result = page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: new RegExp(hitWord(c.jid)) });
        await result.waitFor();
        await result.focus();
      } else await row(c).focus();
      const profileThis = PROFILE && round === 0 && c.size === SIZE && (kind === 'first' || (kind === 'cold' && profiled === 1));
      const log = `Messages with ${c.name}`;
      await page.evaluate(([l, m, h]) => {
        const b = window.__bench;
        b.armed = { log: l, marker: m, hit: h };
        b.longtasks = [];
        b.pages.clear();
      }, [log, hit ? hitWord(c.jid) : marker(c.jid), hit]);
      if (profileThis) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp.send('Profiler.start');
      }
      const traceThis = TRACE && c.size === SIZE && (kind === 'first' || (round === 0 && kind === 'cold' && c === bigs[1]));
      if (traceThis) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'blink', 'fonts'] });
      const m0 = await metrics();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => window.__bench.armed.painted !== undefined, null, { timeout: 30_000, polling: 10 });
      const m1 = await metrics();
      if (profileThis) report(`${kind}-${profiled++}`, (await cdp.send('Profiler.stop')).profile);
      if (traceThis) reportTrace(kind === 'first' && round > 0 ? `first-${round + 1}` : kind, await browser.stopTracing(), await page.evaluate(() => [window.__bench.armed.input, window.__bench.armed.painted]));
      const r = await page.evaluate(() => {
        const b = window.__bench;
        const a = b.armed;
        b.armed = null;
        const during = b.longtasks.filter((t) => t.start + t.duration >= a.input && t.start <= a.painted);
        const pages = [...b.pages.values()];
        // The newest page (an open), or the page after a hit (the hit's two requests go out together).
        const p = a.hit ? pages.find((x) => x.after !== undefined) : pages.find((x) => x.before === undefined);
        return {
          openMs: a.painted - a.input,
          inputToListenerMs: a.listener - a.input,
          panelMs: a.panelFrame === undefined ? null : a.panelFrame - a.input,
          pageRequests: pages.length,
          pageSentMs: p ? p.sent - a.input : null,
          pageRoundTripMs: p?.result !== undefined ? p.result - p.sent : null,
          pageResultBytes: p?.bytes ?? null,
          // The result arrived before the frame that showed the newest message (it was what showed it).
          pageBeforePaint: p?.result !== undefined ? p.result <= a.painted : null,
          longTasks: during.length,
          longestTask: Math.max(0, ...during.map((t) => t.duration)),
        };
      });
      r.busyMs = m1.task - m0.task;
      r.scriptMs = m1.script - m0.script;
      r.layoutMs = m1.layout - m0.layout;
      r.styleMs = m1.style - m0.style;
      r.items = await page.getByRole('log', { name: log }).getByRole('listitem').count();
      // The hit is shown in the stretch around it, not among the newest messages.
      if (hit && (await page.getByRole('log', { name: log }).getByText(marker(c.jid)).count()) > 0) throw new Error(`the hit in ${c.name} was shown with the newest messages`);
      Object.assign(r, { peer: c.jid, size: c.size, kind, round, load1: os.loadavg()[0] });
      results.push(r);
      console.log(
        `${kind.padEnd(5)} ${c.name}: ${r.openMs.toFixed(1)} ms to the painted page (panel in ${r.panelMs?.toFixed(1)} ms; history.page ${r.pageRequests ? `sent at ${r.pageSentMs.toFixed(1)}, round trip ${r.pageRoundTripMs.toFixed(1)} ms, ${r.pageResultBytes} B` : 'not asked'}), busy ${r.busyMs.toFixed(1)} ms (script ${r.scriptMs.toFixed(1)}, layout ${r.layoutMs.toFixed(1)}, style ${r.styleMs.toFixed(1)}), ${r.longTasks} long tasks (longest ${r.longestTask.toFixed(0)} ms), ${r.items} list items, load ${r.load1.toFixed(2)}`,
      );
      // Let what follows the open settle (chat.open, the composer's focus), then close the tab.
      await page.waitForTimeout(300);
      await page.getByRole('button', { name: `Close conversation with ${c.name}` }).click();
      await page.getByRole('log', { name: log }).waitFor({ state: 'detached' });
      await page.waitForTimeout(200);
      return r;
    }

    // Cold: each conversation's first open since sign-in.
    await open(bigs[0], 'first');
    if (!all) return;
    for (let i = 1; i < BIG; i++) {
      const pair = i % 2 ? [bigs[i], smalls[i]] : [smalls[i], bigs[i]];
      for (const c of pair) await open(c, 'cold');
    }
    // Warm: re-opening conversations the renderer already holds (bigs[1], smalls[1]): a warm-up pair, then RUNS pairs.
    if (!results.some((r) => r.peer === smalls[1].jid)) await open(smalls[1], 'cold');
    for (let i = 0; i <= RUNS; i++) {
      const pair = i % 2 ? [bigs[1], smalls[1]] : [smalls[1], bigs[1]];
      for (const c of pair) await open(c, i === 0 ? 'warmup' : 'warm');
    }
    // Search hits 90,000 messages back in each big conversation (opened before: the newest page is held).
    for (let i = 1; i < BIG; i++) await open(bigs[i], 'hit');
  } finally {
    await context.close();
    web.child.kill('SIGTERM');
    await new Promise((r) => (web.child.exitCode !== null ? r() : web.child.once('exit', r)));
    rmSync(profile, { recursive: true, force: true });
    if (PROFILE_MAIN && round === 0) reportMain();
  }
}

/**
 * Main's CPU profile: each stretch of samples inside the history.page handler (AccountService.historyPage),
 * i.e. what main spent on each page asked for, the first one first.
 */
function reportMain() {
  const [file] = readdirSync(mainProfileDir);
  if (!file) return console.log('-- main profile: none written');
  const prof = JSON.parse(readFileSync(path.join(mainProfileDir, file), 'utf8'));
  writeFileSync(path.join(dataDir, 'history-open-main.cpuprofile'), JSON.stringify(prof));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inPage = new Map();
  const isPage = (id) => {
    if (inPage.has(id)) return inPage.get(id);
    const n = byId.get(id);
    const v = n.callFrame.functionName === 'historyPage' || (parent.has(id) && isPage(parent.get(id)));
    inPage.set(id, v);
    return v;
  };
  const runs = [];
  let cur = null;
  prof.samples.forEach((id, i) => {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    if (isPage(id)) {
      cur ??= { ms: 0, self: new Map() };
      cur.ms += dt;
      const f = byId.get(id).callFrame;
      const k = `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
      cur.self.set(k, (cur.self.get(k) ?? 0) + dt);
    } else if (cur) {
      runs.push(cur);
      cur = null;
    }
  });
  if (cur) runs.push(cur);
  console.log(`-- main: CPU in history.page, per command: ${runs.map((r) => r.ms.toFixed(1)).join(', ')} ms`);
  if (runs[0]) for (const [k, v] of [...runs[0].self].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`   ${v.toFixed(1).padStart(7)}  ${k}`);
}

try {
  for (let round = 0; round < FIRSTS; round++) await signIn(round, round === 0);
} finally {
  await browser.close();
  await server.stop({ graceful: false });
  if (!argv.includes('--keep') && !argv.includes('--reuse')) rmSync(storeDir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ summary

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Nearest rank.
const p90 = (xs) => sorted(xs)[Math.max(0, Math.ceil(xs.length * 0.9) - 1)];
function summarize(kind, size) {
  const rs = results.filter((r) => r.kind === kind && r.size === size);
  if (rs.length === 0) return null;
  const col = (k) => rs.map((r) => r[k]).filter((x) => x !== null);
  const stat = (k) => (col(k).length ? { median: median(col(k)), p90: p90(col(k)), max: Math.max(...col(k)) } : null);
  return {
    kind,
    size,
    runs: rs.length,
    openMs: stat('openMs'),
    panelMs: stat('panelMs'),
    pageRoundTripMs: stat('pageRoundTripMs'),
    busyMs: stat('busyMs'),
    scriptMs: stat('scriptMs'),
    layoutMs: stat('layoutMs'),
    longTasks: col('longTasks').reduce((a, b) => a + b, 0),
    longestTask: Math.max(...col('longestTask')),
    items: median(col('items')),
  };
}
const summary = [
  summarize('first', SIZE),
  summarize('cold', SIZE),
  summarize('cold', SMALL_SIZE),
  summarize('warm', SIZE),
  summarize('warm', SMALL_SIZE),
  summarize('hit', SIZE),
].filter(Boolean);
const load = os.loadavg();
writeFileSync(
  path.join(dataDir, 'history-open-results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, nice: priority, load, big: BIG, size: SIZE, firsts: FIRSTS, totalMessages: BIG * SIZE + BIG * SMALL_SIZE + FILLERS * FILLER_SIZE, summary, results }, null, 1),
);
const f = (x) => (x === null || x === undefined ? '–' : x.toFixed(1));
const trio = (s) => (s ? `${f(s.median)} / ${f(s.p90)} / ${f(s.max)}` : '–');
console.log(`\nstore: ${(BIG * SIZE + BIG * SMALL_SIZE + FILLERS * FILLER_SIZE).toLocaleString('en')} messages (${BIG} × ${SIZE.toLocaleString('en')}, ${BIG} × ${SMALL_SIZE}, ${FILLERS} × ${FILLER_SIZE})`);
console.log('| open | messages in the conversation | runs | Enter → first frame painted with the newest messages (median / p90 / max) | log shown, newest not yet (median) | history.page round trip in the page (median / max) | main thread busy (median / max) | script (median) | layout (median) | tasks > 50 ms (longest) | list items |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of summary) {
  console.log(
    `| ${s.kind} | ${s.size.toLocaleString('en')} | ${s.runs} | ${trio(s.openMs)} ms | ${f(s.panelMs?.median)} ms | ${s.pageRoundTripMs ? `${f(s.pageRoundTripMs.median)} / ${f(s.pageRoundTripMs.max)} ms` : '– (not asked)'} | ${f(s.busyMs.median)} / ${f(s.busyMs.max)} ms | ${f(s.scriptMs.median)} ms | ${f(s.layoutMs.median)} ms | ${s.longTasks} (${s.longestTask.toFixed(0)} ms) | ${s.items} |`,
  );
}
const ratio = (k) => {
  const a = summary.find((s) => s.kind === k && s.size === SIZE);
  const b = summary.find((s) => s.kind === k && s.size === SMALL_SIZE);
  return a && b ? (a.openMs.median / b.openMs.median).toFixed(2) : '–';
};
console.log(`\n${SIZE.toLocaleString('en')} ÷ ${SMALL_SIZE} messages, median: cold ${ratio('cold')}, warm ${ratio('warm')}`);
const hits = summary.find((s) => s.kind === 'hit');
const colds = summary.find((s) => s.kind === 'cold' && s.size === SIZE);
if (hits && colds) console.log(`search hit ${(SIZE - HIT_AT).toLocaleString('en')} messages back ÷ cold open of the newest page, median: ${(hits.openMs.median / colds.openMs.median).toFixed(2)}`);
console.log(`first opens, one per sign-in: ${results.filter((r) => r.kind === 'first').map((r) => r.openMs.toFixed(1)).join(', ')} ms`);
console.log(`load average ${load.map((x) => x.toFixed(2)).join(' ')}, nice ${priority}; results in bench/.data/history-open-results.json`);
