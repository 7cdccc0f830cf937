#!/usr/bin/env node
// Scroll-back benchmark, end to end: does scrolling back through a very long conversation in the
// real app get slower the further back the reader goes? Reaching the top of the message log
// (renderer/features/chat/message-list.tsx) renders more of the messages held, or asks main for the
// next older page of 50 (history.page) and renders it in front. The list renders a bounded stretch
// (MAX_RENDERED entries: those furthest below are dropped and come back on the way down); before it
// did, every entry stayed in the DOM, so N messages back meant about N entries and every later step
// cost the page in proportion (the figures before and after are in docs/PERFORMANCE.md).
//
// The app and the store are those of bench/history/open-browser.mjs: Flint in web mode
// (dist/main/web.cjs, the real main process) with Debian's Chromium through playwright-core, signed
// in through the login form against Prosody; the history store is bench/history/open-store.mjs's
// (11 conversations of 100,000 messages…, filled through the product's HistoryStore, kept in
// bench/.data/history-open/ with --reuse/--keep). The conversation measured is the first big one
// (100,000 messages), opened from the roster (Enter on its row).
//
// Measured in the page, per step (one step = one page of older messages):
//   the mouse is over the message log and the wheel turns up 20,000 px (as e2e/conversations.spec.ts
//   does), which scrolls the log to its top; the app's own scroll handler asks for the older page.
//   Step time: from the wheel event (its timeStamp, read in a capture-phase passive listener) to the
//   first frame painted whose log starts with an older message than before (a requestAnimationFrame
//   check before each frame's paint; a task queued from the rAF that sees it runs after that frame's
//   paint — as open-browser.mjs). Split into: wheel → the scroll event that reaches the top (the
//   browser's scroll, smooth-scroll animation included), the history.page round trip as the page sees
//   it (command leaving on the WebSocket → its result), result → painted (the renderer's own cost).
//   Also per step: the log's entries (`li` in the role=log; messages and day separators), long tasks
//   (PerformanceObserver 'longtask', > 50 ms) between wheel and paint, the main thread's busy time
//   (CDP Performance: TaskDuration, script, layout, style) and the page's JS heap (CDP
//   Runtime.getHeapUsage) after the step.
// Steps are spaced by --gap ms (default 300) after each paint: the list follows store changes at most
// every 250 ms (FLOOD_RENDER_MS), and a step sooner than that would wait for the throttle, not for work.
// Steps go on until the log holds --depth entries (default 5,000). Step times are reported as medians
// in buckets by how many messages back the reader is when the wheel turns (≤ 500, 500–2,000,
// 2,000–5,000, 5,000–10,000, 10,000–20,000, more; counted by the messages that came in front of the
// first one at each step), and the figure is the ratio of the deepest bucket's median to the first's.
// --trace: a Chromium trace of the last step of the first run, with the page main thread's own time
// per event (bench/.data/scroll-back-step.trace.json).
//
// At the depth reached:
//   small scroll: the wheel turns 300 px down then 300 px up, SMALL pairs (default 5), each from the
//     wheel event to the first frame painted after the scroll event it caused (rAF from the scroll
//     event, then a task), and to the scroll's end ('scrollend': the smooth scroll finished);
//   incoming: a message sent by the conversation's peer (a second account on Prosody, the harness's
//     raw client) arriving while the user reads far back: from its arrival on the page's WebSocket to
//     the first frame painted with it at the end of the log (it is appended below; the view does not
//     move). Baseline: the same right after opening, at the bottom (INCOMING messages each, default 3,
//     1.2 s apart so the list's 250 ms throttle never delays them).
// At the end: the DOM node count (document.getElementsByTagName('*').length) and the JS heap after a
// forced garbage collection (CDP HeapProfiler.collectGarbage), against the same right after opening.
//
// Each run (--runs, default 3) is a new app (web.cjs on a fresh copy of the store), a new browser
// context and page and a new sign-in; figures are medians across runs of each run's median.
//
//   flock -x /tmp/flint-cpu.lock node bench/history/scroll-back.mjs --reuse --keep [--depth 5000] [--runs 3] [--gap 300] [--small 5] [--incoming 3] [--no-build]
//   --reuse / --keep: as open-browser.mjs (reuse the filled store in bench/.data/history-open/, keep it);
//   --big / --size: the store's shape (open-store.mjs), default 11 × 100,000.
// Writes bench/.data/scroll-back-results.json.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { argv, buildWeb, bundleAndImport, copyWebBuild, opt } from '../lib/app.mjs';
import { fillLogin, launchChromium, raisePriority, webUrl, PAGE_PROBES } from '../lib/browser.mjs';
import { ACCOUNT, bigs, D, dataDir, fillStore, HISTORY_FILE, marker, SIZE, smalls, template, USER, storeDir } from './open-store.mjs';

const RUNS = Math.max(1, Number(opt('runs', '3')));
const DEPTH = Number(opt('depth', '5000'));
const GAP = Number(opt('gap', '300'));
const SMALL = Number(opt('small', '5'));
const INCOMING = Number(opt('incoming', '3'));
const TRACE = argv.includes('--trace');
const RESOURCE = 'bench';
const TOP_PX = 48; // message-list.tsx TOP_PX: within this of the top, the older page is asked for
const BUCKETS = [500, 2000, 5000, 10_000, 20_000, Infinity];
const bucketName = (i) => (i === 0 ? `≤ ${BUCKETS[0].toLocaleString('en')}` : BUCKETS[i] === Infinity ? `> ${BUCKETS[i - 1].toLocaleString('en')}` : `${BUCKETS[i - 1].toLocaleString('en')}–${BUCKETS[i].toLocaleString('en')}`);
const bucketOf = (entries) => BUCKETS.findIndex((b) => entries <= b);

const priority = raisePriority();

// ------------------------------------------------------------------ app build, store, server

if (!argv.includes('--no-build')) buildWeb();
const webEntry = copyWebBuild(path.join(dataDir, 'scroll-back-app'));
await fillStore();
function freshProfile() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flint-bench-scroll-back-'));
  copyFileSync(template, path.join(dir, HISTORY_FILE));
  return dir;
}

const { startProsody, connectRawClient } = await bundleAndImport('test/harness/index.ts', path.join(dataDir, 'scroll-back-harness.mjs'));
const server = await startProsody({ domain: D });
const peer = bigs[0];
const PEER_USER = peer.jid.split('@')[0];
await server.registerMany([
  { user: USER, pass: 'flint-pw' },
  { user: PEER_USER, pass: 'peer-pw' },
]);
await server.writeRoster(USER, [
  ...bigs.map((c) => ({ jid: c.jid, name: c.name, groups: ['Big'], subscription: 'both' })),
  ...smalls.map((c) => ({ jid: c.jid, name: c.name, groups: ['Small'], subscription: 'both' })),
]);

async function startWeb(profile) {
  const child = spawn(process.execPath, [webEntry, '--port', '0'], {
    env: { ...process.env, FLINT_DATA_DIR: profile, NODE_EXTRA_CA_CERTS: server.caCertPath, FLINT_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { child, url: await webUrl(child) };
}

const { browser, reniceChromium } = await launchChromium({ priority });

/* global requestAnimationFrame -- instrument() runs in the page */
// In the page before the app (serialized by Playwright: self-contained). b.step is armed by the
// bench before each measured input: kind 'older' (a wheel up to the top), 'small' (a small wheel) or
// 'incoming' (a message from the peer; armed before it is sent).
function instrument() {
  const b = (window.__bench = { step: null, longtasks: [], pages: new Map(), log: null });
  // Long tasks and afterThisFrame: bench/lib/page-probes.js, loaded before this.
  window.__probes.onLongTask((t) => b.longtasks.push(t));
  const { afterThisFrame } = window.__probes;
  const logEl = () => document.querySelector(`[role="log"][aria-label="${b.log}"]`);
  // The oldest message rendered: the first item with an id (day separators have none).
  const firstId = (log) => {
    for (let el = log?.firstElementChild; el; el = el.nextElementSibling) if (el.id) return el.id;
    return null;
  };
  b.firstId = () => firstId(logEl());
  const lastHas = (text) => {
    let el = logEl()?.lastElementChild;
    for (let i = 0; el && i < 4; i++, el = el.previousElementSibling) if (el.textContent.includes(text)) return true;
    return false;
  };
  window.addEventListener(
    'wheel',
    (e) => {
      const s = b.step;
      if (!s || s.input !== undefined || (s.kind !== 'older' && s.kind !== 'small')) return;
      s.input = e.timeStamp;
      if (s.kind !== 'older') return;
      // Checked in each frame's requestAnimationFrame, before its paint: once true, that frame paints it.
      const tick = () => {
        if (firstId(logEl()) !== s.before) afterThisFrame((t) => (s.painted = t));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    { capture: true, passive: true },
  );
  // Scroll events do not bubble, but a capture listener on the window sees the log's.
  window.addEventListener(
    'scroll',
    (e) => {
      const s = b.step;
      if (!s || s.input === undefined || s.scrollEnd !== undefined) return;
      const now = performance.now();
      const top = e.target.scrollTop ?? 0;
      if (s.firstScroll === undefined) {
        s.firstScroll = now;
        // A small scroll: the frame this scroll event belongs to (rAF callbacks run after the scroll steps).
        if (s.kind === 'small') requestAnimationFrame(() => afterThisFrame((t) => (s.painted = t)));
      }
      if (s.kind === 'older' && s.topScroll === undefined && top < s.topPx) s.topScroll = now;
    },
    { capture: true, passive: true },
  );
  window.addEventListener(
    'scrollend',
    () => {
      const s = b.step;
      if (s && s.input !== undefined && s.scrollEnd === undefined) s.scrollEnd = performance.now();
    },
    { capture: true, passive: true },
  );
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string') return;
        const now = performance.now();
        const s = b.step;
        if (s?.kind === 'incoming' && s.arrived === undefined && ev.data.includes(s.text)) {
          s.arrived = now;
          const tick = () => {
            if (lastHas(s.text)) afterThisFrame((t) => (s.painted = t));
            else requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        }
        if (!ev.data.startsWith('{"t":"result"')) return;
        const m = /^\{"t":"result","id":(\d+)/.exec(ev.data);
        const p = m && b.pages.get(Number(m[1]));
        if (p && p.result === undefined) p.result = now;
      });
    }
    send(data) {
      if (typeof data === 'string' && data.includes('"history.page"')) {
        const msg = JSON.parse(data);
        if (msg.t === 'cmd' && msg.name === 'history.page') b.pages.set(msg.id, { sent: performance.now(), before: msg.args.before });
      }
      super.send(data);
    }
  };
}

const results = [];

/** Own time per event (nested events subtracted) on the busiest renderer main thread of the trace (--trace). */
function reportTrace(buffer) {
  writeFileSync(path.join(dataDir, 'scroll-back-step.trace.json'), buffer);
  const events = JSON.parse(buffer.toString('utf8')).traceEvents;
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (t) => events.filter((e) => e.pid === t.pid && e.tid === t.tid && e.ph === 'X').reduce((a, e) => a + (e.dur ?? 0), 0);
  const main = mains.sort((a, b) => busy(b) - busy(a))[0];
  const own = new Map();
  const stack = [];
  const complete = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  for (const e of complete) {
    while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
    if (stack.length) own.set(stack.at(-1).name, (own.get(stack.at(-1).name) ?? 0) - e.dur);
    own.set(e.name, (own.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  console.log(`-- trace of the last step, page main thread, own time per event (ms):`);
  for (const [k, v] of [...own].sort((a, b) => b[1] - a[1]).slice(0, 30)) if (v > 500) console.log(`   ${(v / 1000).toFixed(1).padStart(7)}  ${k}`);
}

async function oneRun(run) {
  const profile = freshProfile();
  const web = await startWeb(profile);
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const sender = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: PEER_USER, pass: 'peer-pw', resource: `in-${run}`, presence: false });
  const r = { run, steps: [], small: [], incoming: { bottom: [], depth: [] } };
  try {
    await page.addInitScript({ path: PAGE_PROBES });
    await page.addInitScript(instrument);
    await cdp.send('Performance.enable');
    const metrics = async () => {
      const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
      return { task: m.TaskDuration * 1000, script: m.ScriptDuration * 1000, layout: m.LayoutDuration * 1000, style: m.RecalcStyleDuration * 1000, nodes: m.Nodes };
    };
    const heap = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const gcHeap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return heap();
    };
    await page.goto(web.url);
    await reniceChromium();
    await fillLogin(page, { jid: ACCOUNT, password: 'flint-pw', port: server.c2sPort, resource: RESOURCE });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const tree = page.getByRole('tree', { name: 'Contacts' });
    const row = tree.getByRole('treeitem', { name: new RegExp(`^${peer.name}, `) });
    await row.waitFor({ timeout: 60_000 });
    // Let the sign-in settle (archive anchor, presence, the snapshot's render, the chat warm-up).
    await page.waitForTimeout(2000);
    await reniceChromium();
    await page.waitForFunction(() => true, null, { polling: 10 });

    // Open the big conversation from the roster and wait for its newest message.
    const logName = `Messages with ${peer.name}`;
    const log = page.getByRole('log', { name: logName });
    await page.evaluate((l) => (window.__bench.log = l), logName);
    await row.focus();
    await page.keyboard.press('Enter');
    await log.getByText(marker(peer.jid)).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    // The mouse over the middle of the scrolling pane (not log.hover(): Playwright would scroll the
    // list to bring the middle of its whole height into view).
    const box = await page.evaluate((l) => {
      const rect = document.querySelector(`[role="log"][aria-label="${l}"]`).parentElement.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, logName);
    await page.mouse.move(box.x, box.y);
    const count = () => page.evaluate((l) => {
      const el = document.querySelector(`[role="log"][aria-label="${l}"]`);
      return { entries: el.querySelectorAll(':scope > li').length, messages: el.querySelectorAll(':scope > li.msg').length, scrollTop: el.parentElement.scrollTop };
    }, logName);
    r.open = { ...(await count()), heap: await gcHeap(), domNodes: await page.evaluate(() => document.getElementsByTagName('*').length) };
    console.log(`run ${run + 1}: opened ${peer.name}: ${r.open.entries} entries, ${r.open.domNodes} DOM nodes, heap ${(r.open.heap / 2 ** 20).toFixed(1)} MiB (after GC)`);

    let seq = 0;
    /** A message from the peer, from its arrival on the page's WebSocket to the frame painted with it. */
    async function incoming(where) {
      const text = `incoming-${run}-${seq++}-zq`;
      await page.evaluate((t) => {
        const b = window.__bench;
        b.step = { kind: 'incoming', text: t };
        b.longtasks = [];
      }, text);
      const m0 = await metrics();
      sender.send(`<message type='chat' to='${ACCOUNT}' id='${text}'><body>A new message while you read ${text}</body></message>`);
      // Far back it is not rendered (below the stretch the list renders): there, the page's work in
      // the second after its arrival is what it costs.
      if (where === 'bottom') await page.waitForFunction(() => window.__bench.step.painted !== undefined, null, { timeout: 20_000, polling: 10 });
      else await page.waitForFunction(() => window.__bench.step.arrived !== undefined && performance.now() - window.__bench.step.arrived > 1000, null, { timeout: 20_000, polling: 10 });
      const m1 = await metrics();
      const x = await page.evaluate(() => {
        const b = window.__bench;
        const s = b.step;
        b.step = null;
        const end = s.painted ?? s.arrived + 1000;
        const during = b.longtasks.filter((t) => t.start + t.duration >= s.arrived && t.start <= end);
        return { ms: s.painted === undefined ? null : s.painted - s.arrived, longTasks: during.length, longest: Math.max(0, ...during.map((t) => t.duration)) };
      });
      x.busyMs = m1.task - m0.task;
      const c = await count();
      Object.assign(x, { entries: c.entries, scrollTop: c.scrollTop, load1: os.loadavg()[0] });
      r.incoming[where].push(x);
      console.log(`  incoming (${where}, ${c.entries} entries): ${x.ms === null ? 'not rendered' : `${x.ms.toFixed(1)} ms arrival → painted`}, page busy ${x.busyMs.toFixed(1)} ms, ${x.longTasks} long tasks (longest ${x.longest.toFixed(0)} ms)`);
      await page.waitForTimeout(1200);
    }
    for (let i = 0; i < INCOMING; i++) await incoming('bottom');

    // Scroll back, one page per step.
    let held = (await count()).entries;
    const t0 = performance.now();
    while (held < DEPTH) {
      const before = await page.evaluate((topPx) => {
        const b = window.__bench;
        const id = b.firstId();
        b.step = { kind: 'older', before: id, topPx };
        b.longtasks = [];
        b.pages.clear();
        return id;
      }, TOP_PX);
      const traceThis = TRACE && run === 0 && held + 60 >= DEPTH;
      if (traceThis) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'cc', 'gpu', 'disabled-by-default-devtools.timeline.frame'] });
      const m0 = await metrics();
      await page.mouse.wheel(0, -20_000);
      try {
        await page.waitForFunction(() => window.__bench.step.painted !== undefined, null, { timeout: 20_000, polling: 10 });
      } catch (err) {
        const s = await page.evaluate(() => window.__bench.step);
        throw new Error(`step ${r.steps.length + 1} (${held} entries, first ${before}): no older message painted: ${JSON.stringify(s)} ${JSON.stringify(await count())}`, { cause: err });
      }
      const m1 = await metrics();
      if (traceThis) reportTrace(await browser.stopTracing());
      const x = await page.evaluate(() => {
        const b = window.__bench;
        const s = b.step;
        b.step = null;
        const during = b.longtasks.filter((t) => t.start + t.duration >= s.input && t.start <= s.painted);
        const p = [...b.pages.values()][0];
        return {
          stepMs: s.painted - s.input,
          toTopMs: s.topScroll === undefined ? null : s.topScroll - s.input,
          topToPaintMs: s.topScroll === undefined ? null : s.painted - s.topScroll,
          pageRequests: b.pages.size,
          pageRoundTripMs: p?.result !== undefined ? p.result - p.sent : null,
          resultToPaintMs: p?.result !== undefined ? s.painted - p.result : null,
          longTasks: during.length,
          longest: Math.max(0, ...during.map((t) => t.duration)),
        };
      });
      // Messages now above the one that was first: how much further back the step went (the list
      // renders a bounded stretch, so the log's length no longer says how deep the reader is).
      const above = await page.evaluate(({ l, before }) => {
        let n = 0;
        for (let el = document.querySelector(`[role="log"][aria-label="${l}"]`).firstElementChild; el && el.id !== before; el = el.nextElementSibling) if (el.classList.contains('msg')) n++;
        return n;
      }, { l: logName, before });
      Object.assign(x, { busyMs: m1.task - m0.task, scriptMs: m1.script - m0.script, layoutMs: m1.layout - m0.layout, styleMs: m1.style - m0.style });
      // Let the page (restore of the scroll position, "Loading older" gone) settle before counting and the next step.
      await page.getByRole('status').filter({ hasText: 'Loading older messages' }).waitFor({ state: 'detached', timeout: 20_000 });
      await page.waitForTimeout(GAP);
      const c = await count();
      Object.assign(x, { entriesBefore: held, depth: held + above, entries: c.entries, messages: c.messages, scrollTopAfter: c.scrollTop, heap: await heap(), load1: os.loadavg()[0] });
      if (above <= 0) throw new Error(`step ${r.steps.length + 1}: nothing older came in front (${held} back)`);
      held += above;
      r.steps.push(x);
      if (r.steps.length % 10 === 0 || held >= DEPTH)
        console.log(
          `  step ${String(r.steps.length).padStart(3)}: ${String(x.entriesBefore).padStart(5)} → ${x.depth} back, ${x.entries} entries in the log, ${x.stepMs.toFixed(1)} ms wheel → painted (to top ${x.toTopMs?.toFixed(1)}, page ${x.pageRoundTripMs?.toFixed(1)}, result → painted ${x.resultToPaintMs?.toFixed(1)}), busy ${x.busyMs.toFixed(1)} (script ${x.scriptMs.toFixed(1)}, layout ${x.layoutMs.toFixed(1)}, style ${x.styleMs.toFixed(1)}), ${x.longTasks} long tasks (longest ${x.longest.toFixed(0)}), heap ${(x.heap / 2 ** 20).toFixed(1)} MiB, load ${x.load1.toFixed(2)}`,
        );
    }
    r.scrollSeconds = (performance.now() - t0) / 1000;

    // A small scroll at that depth: 300 px down, then back up (never near the top: no page asked).
    for (let i = 0; i < SMALL * 2; i++) {
      const dy = i % 2 ? -300 : 300;
      await page.evaluate(() => {
        const b = window.__bench;
        b.step = { kind: 'small' };
        b.longtasks = [];
        b.pages.clear();
      });
      await page.mouse.wheel(0, dy);
      await page.waitForFunction(() => window.__bench.step.painted !== undefined && window.__bench.step.scrollEnd !== undefined, null, { timeout: 10_000, polling: 10 });
      const x = await page.evaluate(() => {
        const b = window.__bench;
        const s = b.step;
        b.step = null;
        const during = b.longtasks.filter((t) => t.start + t.duration >= s.input && t.start <= s.scrollEnd);
        return { frameMs: s.painted - s.input, endMs: s.scrollEnd - s.input, pageRequests: b.pages.size, longTasks: during.length, longest: Math.max(0, ...during.map((t) => t.duration)) };
      });
      x.dy = dy;
      x.load1 = os.loadavg()[0];
      r.small.push(x);
      await page.waitForTimeout(200);
    }
    const sm = r.small;
    console.log(`  small scroll (±300 px) at ${held} back: wheel → next frame painted ${sm.map((x) => x.frameMs.toFixed(1)).join(', ')} ms; → scroll end ${sm.map((x) => x.endMs.toFixed(0)).join(', ')} ms; ${sm.reduce((a, x) => a + x.longTasks, 0)} long tasks`);
    for (let i = 0; i < INCOMING; i++) await incoming('depth');

    const c = await count();
    r.end = { ...c, domNodes: await page.evaluate(() => document.getElementsByTagName('*').length), heap: await gcHeap(), totalLongTasks: r.steps.reduce((a, x) => a + x.longTasks, 0) };
    console.log(`run ${run + 1}: ${r.steps.length} steps in ${r.scrollSeconds.toFixed(0)} s; end: ${c.entries} entries (${c.messages} messages), ${r.end.domNodes} DOM nodes, heap ${(r.end.heap / 2 ** 20).toFixed(1)} MiB after GC (at open ${(r.open.heap / 2 ** 20).toFixed(1)})`);
    results.push(r);
  } finally {
    await sender.close().catch(() => {});
    await context.close();
    web.child.kill('SIGTERM');
    await new Promise((res) => (web.child.exitCode !== null ? res() : web.child.once('exit', res)));
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  for (let run = 0; run < RUNS; run++) await oneRun(run);
} finally {
  await browser.close();
  await server.stop({ graceful: false });
  if (!argv.includes('--keep') && !argv.includes('--reuse')) rmSync(storeDir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ summary

const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const FIELDS = ['stepMs', 'toTopMs', 'topToPaintMs', 'pageRoundTripMs', 'resultToPaintMs', 'busyMs', 'scriptMs', 'layoutMs', 'styleMs'];
// Per run, per bucket: the median of each field, the long tasks, the steps; then the median across runs.
const perRun = results.map((r) =>
  BUCKETS.map((_, i) => {
    const ss = r.steps.filter((x) => bucketOf(x.entriesBefore) === i);
    if (ss.length === 0) return null;
    return { steps: ss.length, ...Object.fromEntries(FIELDS.map((k) => [k, median(ss.map((x) => x[k]))])), longTasks: ss.reduce((a, x) => a + x.longTasks, 0), longest: Math.max(...ss.map((x) => x.longest)), heap: ss.at(-1).heap, load1: median(ss.map((x) => x.load1)) };
  }),
);
const buckets = BUCKETS.map((_, i) => {
  const rs = perRun.map((p) => p[i]).filter(Boolean);
  if (rs.length === 0) return null;
  return {
    bucket: bucketName(i),
    runs: rs.length,
    steps: rs.reduce((a, x) => a + x.steps, 0),
    ...Object.fromEntries(FIELDS.map((k) => [k, median(rs.map((x) => x[k]))])),
    stepMsPerRun: rs.map((x) => x.stepMs),
    longTasks: rs.reduce((a, x) => a + x.longTasks, 0),
    longest: Math.max(...rs.map((x) => x.longest)),
    heapMiB: median(rs.map((x) => x.heap)) / 2 ** 20,
    load1: median(rs.map((x) => x.load1)),
  };
}).filter(Boolean);
const first = buckets[0];
const deepest = buckets.at(-1);
const ratio = deepest.stepMs / first.stepMs;
const ratioPerRun = perRun.map((p) => {
  const f = p.find(Boolean);
  const d = p.findLast(Boolean);
  return d.stepMs / f.stepMs;
});
const all = (get) => results.flatMap(get);
const summary = {
  buckets,
  ratio,
  ratioPerRun,
  baselineStepMs: first.stepMs,
  small: { frameMs: median(all((r) => r.small.map((x) => x.frameMs))), endMs: median(all((r) => r.small.map((x) => x.endMs))), longTasks: all((r) => r.small.map((x) => x.longTasks)).reduce((a, b) => a + b, 0) },
  incoming: Object.fromEntries(['bottom', 'depth'].map((w) => [w, { ms: median(all((r) => r.incoming[w].map((x) => x.ms)).filter((v) => v !== null)), busyMs: median(all((r) => r.incoming[w].map((x) => x.busyMs))), entries: median(all((r) => r.incoming[w].map((x) => x.entries))), longTasks: all((r) => r.incoming[w].map((x) => x.longTasks)).reduce((a, b) => a + b, 0), longest: Math.max(0, ...all((r) => r.incoming[w].map((x) => x.longest))) }])),
  end: {
    entries: median(results.map((r) => r.end.entries)),
    messages: median(results.map((r) => r.end.messages)),
    domNodes: median(results.map((r) => r.end.domNodes)),
    heapMiB: median(results.map((r) => r.end.heap)) / 2 ** 20,
    heapAtOpenMiB: median(results.map((r) => r.open.heap)) / 2 ** 20,
    domNodesAtOpen: median(results.map((r) => r.open.domNodes)),
    longTasksWhileScrolling: results.map((r) => r.end.totalLongTasks),
    scrollSeconds: results.map((r) => r.scrollSeconds),
  },
};
const load = os.loadavg();
writeFileSync(
  path.join(dataDir, 'scroll-back-results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, nice: priority, load, size: SIZE, peer: peer.jid, depth: DEPTH, runs: RUNS, gapMs: GAP, summary, results }, null, 1),
);

const f = (x, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));
console.log(`\nscrolling back in a conversation of ${SIZE.toLocaleString('en')} messages to ${DEPTH.toLocaleString('en')} entries, ${RUNS} runs (medians across runs of each run's median)`);
console.log('| messages back | steps (all runs) | wheel → frame painted with older messages | per run | wheel → top reached | history.page round trip | result → painted | main thread busy | script | layout | style | tasks > 50 ms (longest) | JS heap | load |');
console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const b of buckets)
  console.log(
    `| ${b.bucket} | ${b.steps} | ${f(b.stepMs)} ms | ${b.stepMsPerRun.map((x) => f(x)).join(' / ')} | ${f(b.toTopMs)} ms | ${f(b.pageRoundTripMs)} ms | ${f(b.resultToPaintMs)} ms | ${f(b.busyMs)} ms | ${f(b.scriptMs)} ms | ${f(b.layoutMs)} ms | ${f(b.styleMs)} ms | ${b.longTasks} (${b.longest.toFixed(0)} ms) | ${f(b.heapMiB)} MiB | ${f(b.load1, 2)} |`,
  );
console.log(`\nstep time, deepest bucket (${deepest.bucket}) ÷ first (${first.bucket}): ${ratio.toFixed(2)} (per run ${ratioPerRun.map((x) => x.toFixed(2)).join(', ')}); baseline (first bucket) ${f(first.stepMs)} ms`);
console.log(`small scroll (±300 px) at the depth: wheel → next frame painted ${f(summary.small.frameMs)} ms, → scroll end ${f(summary.small.endMs)} ms, ${summary.small.longTasks} long tasks`);
console.log(`incoming message: at the bottom (${summary.incoming.bottom.entries} entries) ${f(summary.incoming.bottom.ms)} ms arrival → painted, page busy ${f(summary.incoming.bottom.busyMs)} ms, ${summary.incoming.bottom.longTasks} long tasks; scrolled back (${summary.incoming.depth.entries} entries${summary.incoming.depth.ms === null ? ', not rendered' : `, ${f(summary.incoming.depth.ms)} ms arrival → painted`}) page busy ${f(summary.incoming.depth.busyMs)} ms, ${summary.incoming.depth.longTasks} long tasks (longest ${summary.incoming.depth.longest.toFixed(0)} ms)`);
const e = summary.end;
console.log(`end: ${e.entries} entries (${e.messages} messages), ${e.domNodes} DOM nodes (at open ${e.domNodesAtOpen}), JS heap after GC ${f(e.heapMiB)} MiB (at open ${f(e.heapAtOpenMiB)}); long tasks while scrolling per run: ${e.longTasksWhileScrolling.join(', ')}; scrolling took ${e.scrollSeconds.map((x) => x.toFixed(0)).join(', ')} s`);
console.log(`load average ${load.map((x) => x.toFixed(2)).join(' ')}, nice ${priority}; results in bench/.data/scroll-back-results.json`);
