#!/usr/bin/env node
// Receive-flood benchmark through the whole app (issue 5): Flint in web mode (dist/main/web.cjs, the
// real main process) with Chromium showing the conversation the flood lands in, against Prosody
// (MAM on, as deployed). A raw client in its own process (flood.ts `sender`) sends N chat messages
// as fast as its socket takes them. Rounds alternate on one Prosody:
//   bare — a TLS socket that only counts </message>: the server's delivery rate, the baseline;
//   app  — a fresh Flint web process and profile, signed in through the UI, the conversation with
//          the sender open. Measured in the page: from the first to the last message.received
//          reaching it over the bridge (main emits it only after the commit: the stored rate), and
//          to the frame that shows the last message; in main's database (a read-only connection
//          polling every 50 ms) from the first to the last message committed — the stored rate,
//          whatever the page does with the events; Chromium's long tasks meanwhile
//          (PerformanceObserver 'longtask', tasks > 50 ms) and the page's main-thread busy time
//          (CDP Performance.TaskDuration). Measured in main (loop-monitor.mjs, preloaded): its
//          event-loop delay (monitorEventLoopDelay, 2 ms resolution) and CPU time.
//   Keeping up, in the same app round (Prosody delivers slower there than in the bare round: it
//   shares the cores with Chromium and main): the server's delivery to Flint — Prosody's writes to
//   Flint's c2s socket, from the kernel's TCP counters sampled with `ss -tni` every 25 ms (first to
//   last byte written), or from strace with --trace-server; the socket's Recv-Q meanwhile (bytes
//   the kernel holds that main has not read: near zero when main keeps up); per message, when it
//   reached main's XML parser and when its transaction committed (loop-monitor.mjs) — the lag.
//
//   node bench/receive-flood/browser.mjs [--messages 20000] [--rounds 2] [--no-build] [--profile-main]
//       [--trace-server] [--ss-interval 25]
//   --trace-server: strace Prosody's writes (exact first/last write to Flint; slows Prosody).
//   --profile-main: a CPU profile of the main process per round (bench/.data/receive-flood-main-N.cpuprofile).
//   --profile-page: a CPU profile of the page during the flood (bench/.data/receive-flood-page-N.cpuprofile).
//
// Writes bench/.data/receive-flood-browser-results.json. The probes (the page's instrumentation, CPU per
// process, main's commits, TCP counters, strace) are in probes.mjs; this file runs the rounds and reports.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { argv, buildWeb, bundleAndImport, NODE_BUNDLE, opt, root } from '../lib/app.mjs';
import { fillLogin, launchChromium, raisePriority, webUrl, PAGE_PROBES } from '../lib/browser.mjs';
import { cpuByCommand, cpuDiff, instrument, sampleSockets, socketView, traceServerWrites, watchCommits } from './probes.mjs';

const dataDir = path.join(root, 'bench/.data');
mkdirSync(dataDir, { recursive: true });
const COUNT = Number(opt('messages', '20000'));
const ROUNDS = Number(opt('rounds', '2'));
const D = 'example.test';
const RESOURCE = 'bench';
const PROFILE_MAIN = argv.includes('--profile-main');
const PROFILE_PAGE = argv.includes('--profile-page');
const TRACE_SERVER = argv.includes('--trace-server');
const SS_INTERVAL = Number(opt('ss-interval', '25'));

// As bench/roster-scale: other work on this shared machine stretches wall-clock figures; raise our
// priority when allowed (root). Prosody, Flint and the sender inherit it; Chromium's renderers are
// given it once they exist.
const priority = raisePriority();

if (!argv.includes('--no-build')) buildWeb();
// flood.ts runs in its own process (sendFlood): bundled, not imported.
const floodFile = path.join(dataDir, 'receive-flood.bundle.mjs');
await build({ ...NODE_BUNDLE, entryPoints: [path.join(root, 'bench/receive-flood/flood.ts')], outfile: floodFile, external: ['better-sqlite3'] });
const { startProsody, connectRawClient } = await bundleAndImport('test/harness/index.ts', path.join(dataDir, 'receive-flood-harness.mjs'));

const server = await startProsody({ domain: D });
const prosodyPid = Number(readFileSync(path.join(server.dir, 'prosody.pid'), 'utf8').trim());
await server.registerMany(['sender', 'bare', 'flint'].map((user) => ({ user, pass: `${user}-pw` })));
await server.writeRoster('flint', [{ jid: `sender@${D}`, name: 'Sender', subscription: 'both' }]);

const { browser, reniceChromium } = await launchChromium({ priority });

function sendFlood(to, tag) {
  const args = { port: server.c2sPort, caPem: server.caCertPem, user: 'sender', to, count: COUNT, tag };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [floodFile, 'sender', JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited with ${code}`))));
  });
}

/** The server's delivery rate to a client that only counts (as flood.ts's bare round). */
async function bareRound(tag) {
  const bare = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'bare', pass: 'bare-pw', resource: 'count' });
  let got = 0;
  let firstAt = 0;
  const cpu0 = cpuByCommand();
  const sending = sendFlood(`bare@${D}/count`, tag);
  while (got < COUNT) {
    const chunk = await bare.readUntil(/[\s\S]*<\/message>/, 600_000);
    if (got === 0) firstAt = performance.now();
    got += chunk.split('</message>').length - 1;
  }
  const ms = performance.now() - firstAt;
  const cpu = cpuDiff(cpu0, cpuByCommand());
  await sending;
  await bare.close();
  return { receiver: 'bare', perSec: Math.round((COUNT / ms) * 1000), ms: Math.round(ms), cpuDuringFloodMs: cpu, load1: os.loadavg()[0] };
}

function startWeb(profile, round) {
  const prof = PROFILE_MAIN ? ['--cpu-prof', '--cpu-prof-dir', dataDir, '--cpu-prof-name', `receive-flood-main-${round}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...prof, '--import', pathToFileURL(path.join(root, 'bench/receive-flood/loop-monitor.mjs')).href, path.join(root, 'dist/main/web.cjs'), '--port', '0'], {
    env: { ...process.env, FLINT_DATA_DIR: profile, NODE_EXTRA_CA_CERTS: server.caCertPath, FLINT_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
  });
  const monitor = child.stdio[3];
  monitor.setEncoding('utf8');
  let lines = '';
  const waiters = [];
  monitor.on('data', (d) => {
    lines += d;
    for (let nl = lines.indexOf('\n'); nl >= 0; nl = lines.indexOf('\n')) {
      const line = lines.slice(0, nl);
      lines = lines.slice(nl + 1);
      waiters.shift()?.(line);
    }
  });
  const ask = (cmd) =>
    new Promise((resolve) => {
      waiters.push(resolve);
      monitor.write(`${cmd}\n`);
    });
  return webUrl(child).then((url) => ({ child, url, startMonitor: async (tag) => JSON.parse(await ask(`start ${tag}`)), stopMonitor: async () => JSON.parse(await ask('stop')) }));
}

async function appRound(tag, round) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'flint-bench-flood-'));
  const web = await startWeb(profile, round);
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();
  try {
    await page.addInitScript({ path: PAGE_PROBES });
    await page.addInitScript(instrument);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value * 1000;
    await page.goto(web.url);
    await reniceChromium();
    await fillLogin(page, { jid: `flint@${D}`, password: 'flint-pw', port: server.c2sPort, resource: RESOURCE });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tree', { name: 'Contacts' }).getByRole('treeitem', { name: /^Sender, / }).dblclick({ timeout: 30_000 });
    // Attached, not visible: an empty list has no height.
    await page.getByRole('log', { name: 'Messages with Sender' }).waitFor({ state: 'attached', timeout: 30_000 });
    // Let the login settle (catch-up of the empty archive, presence), then flood.
    await page.waitForTimeout(1500);
    await page.evaluate(
      ([t, total]) => {
        Object.assign(window.__bench, { tag: t, total, lastText: `flood ${t} ${total - 1} `, longtasks: [] });
      },
      [tag, COUNT],
    );
    const { localPort } = await web.startMonitor(tag);
    if (!localPort) throw new Error('the preload did not see the c2s socket');
    const stopTrace = TRACE_SERVER ? await traceServerWrites(prosodyPid, path.join(dataDir, `receive-flood-prosody-${round}.strace`)) : undefined;
    const sockets = sampleSockets(localPort, SS_INTERVAL);
    if (PROFILE_PAGE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const busy0 = await busy();
    const cpu0 = cpuByCommand();
    const commits = watchCommits(profile, tag, COUNT);
    await sendFlood(`flint@${D}/${RESOURCE}`, tag);
    const committed = await commits;
    const cpu = cpuDiff(cpu0, cpuByCommand());
    const kernel = socketView(await sockets.stop(), COUNT);
    const traced = stopTrace ? await stopTrace(localPort) : undefined;
    await page.waitForFunction(() => window.__bench.painted !== null, null, { timeout: 900_000, polling: 250 });
    const main = await web.stopMonitor();
    const pageBusyMs = (await busy()) - busy0;
    if (PROFILE_PAGE) writeFileSync(path.join(dataDir, `receive-flood-page-${round}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const r = await page.evaluate(() => {
      const b = window.__bench;
      const during = b.longtasks.filter((t) => t.start + t.duration >= b.first && t.start <= b.painted);
      return {
        receivedMs: b.last - b.first,
        paintedMs: b.painted - b.first,
        batches: b.batches,
        longestTask: Math.max(0, ...during.map((t) => t.duration)),
        tasksOver50: during.length,
        longTaskMs: during.reduce((s, t) => s + t.duration, 0),
        // When in the flood (ms after the first message reached the page) and how long.
        longTaskList: during.map((t) => [Math.round(t.start - b.first), Math.round(t.duration)]),
      };
    });
    const domItems = await page.getByRole('log', { name: 'Messages with Sender' }).getByRole('listitem').count();
    const committedMs = committed.last - committed.first;
    // Keeping up, measured in this round: the server's delivery to Flint (its writes to Flint's
    // socket, from the kernel's counters — or strace) against main's commits (the preload's clock).
    const f = main.flood;
    const storedPerSec = Math.round((COUNT / (f.lastCommitted - f.firstCommitted)) * 1000);
    const deliveryPerSec = traced?.firstWrite ? Math.round((COUNT / (traced.lastWrite - traced.firstWrite)) * 1000) : kernel?.deliveryPerSec;
    const keepingUp = {
      deliveryPerSec,
      deliverySource: traced?.firstWrite ? 'strace' : 'ss',
      ssDeliveryPerSec: kernel?.deliveryPerSec,
      straceDeliveryPerSec: traced?.firstWrite ? deliveryPerSec : undefined,
      storedPerSec,
      storedOverDelivery: Math.round((storedPerSec / deliveryPerSec) * 100) / 100,
      // Main's XML parser getting the flood: first to last message arriving (its read rate).
      arrivedAtMainPerSec: Math.round((COUNT / (f.lastArrived - f.firstArrived)) * 1000),
      lagP50Ms: f.lagP50,
      lagP99Ms: f.lagP99,
      lagMaxMs: f.lagMax,
      lagMaxByTenthMs: f.lagByTenth,
      maxArrivedNotCommitted: f.maxInMain,
      // The server's last write → the last commit: what was left to do once the server was done.
      tailAfterLastWriteMs: Math.round(f.lastCommitted - (traced?.lastWrite ?? kernel?.lastWrite)),
      // The server's first write → the first message at main's parser.
      firstWriteToArrivedMs: Math.round(f.firstArrived - (traced?.firstWrite ?? kernel?.firstWrite)),
      arrivedCount: f.arrived,
      committedCount: f.committed,
      kernel,
      strace: traced,
    };
    return {
      receiver: 'app',
      // Stored rate: committed in main's database, first to last (±50 ms polling).
      perSec: Math.round((COUNT / committedMs) * 1000),
      committedMs: Math.round(committedMs),
      // As the page saw it: message.received events (emitted after each commit) reaching it.
      pageReceivedPerSec: Math.round((COUNT / r.receivedMs) * 1000),
      ...r,
      pageBusyMs: Math.round(pageBusyMs),
      keepingUp,
      main,
      mainCpuUsPerMessage: Math.round((main.cpuMs * 1000) / COUNT),
      domItems,
      cpuDuringFloodMs: cpu,
      load1: os.loadavg()[0],
    };
  } finally {
    await context.close();
    web.child.kill('SIGTERM');
    await new Promise((r) => web.child.once('exit', r));
    rmSync(profile, { recursive: true, force: true });
  }
}

const rounds = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    const bare = await bareRound(`b${i}`);
    rounds.push(bare);
    console.log(`round ${i + 1} bare: ${bare.perSec} msg/s (load ${bare.load1.toFixed(1)}); CPU ms by process: ${JSON.stringify(bare.cpuDuringFloodMs)}`);
    const app = await appRound(`f${i}`, i + 1);
    rounds.push(app);
    console.log(
      `round ${i + 1} app: stored ${app.perSec} msg/s, events reached the page at ${app.pageReceivedPerSec} msg/s (last shown ${(app.paintedMs / 1000).toFixed(1)} s after the first), page: longest task ${app.longestTask.toFixed(0)} ms, ${app.tasksOver50} tasks > 50 ms (${(app.longTaskMs / 1000).toFixed(1)} s), busy ${(app.pageBusyMs / 1000).toFixed(1)} s, ${app.batches} event batches, ${app.domItems} list items; main: event-loop delay p50 ${app.main.p50} / p99 ${app.main.p99} / max ${app.main.max} ms, CPU ${app.mainCpuUsPerMessage} µs per message (load ${app.load1.toFixed(1)})`,
    );
    const k = app.keepingUp;
    console.log(
      `  keeping up (same round): server → Flint ${k.deliveryPerSec} msg/s (${k.deliverySource}${k.straceDeliveryPerSec ? `; ss ${k.ssDeliveryPerSec}` : ''}), main read ${k.arrivedAtMainPerSec} msg/s, stored ${k.storedPerSec} msg/s (÷ delivery ${k.storedOverDelivery}); lag arrived at main → committed p50 ${k.lagP50Ms} / p99 ${k.lagP99Ms} / max ${k.lagMaxMs} ms (max per tenth ${JSON.stringify(k.lagMaxByTenthMs)}), at most ${k.maxArrivedNotCommitted} arrived-not-committed; Recv-Q max ${k.kernel?.recvQMax} B (${k.kernel?.recvQMaxMessages} msgs) / p99 ${k.kernel?.recvQP99} / p50 ${k.kernel?.recvQP50} B, non-zero in ${k.kernel?.recvQNonZeroShare} of ${k.kernel?.samplesDuringFlood} samples (every ${k.kernel?.meanIntervalMs} ms); Prosody Send-Q max ${k.kernel?.prosodySendQMax} B, held back by Flint's window ${k.kernel?.prosodyRwndLimitedMs} ms; last write → last commit ${k.tailAfterLastWriteMs} ms`,
    );
    console.log(`  long tasks [at, ms]: ${JSON.stringify(app.longTaskList)}; CPU ms by process until the last commit: ${JSON.stringify(app.cpuDuringFloodMs)}`);
  }
} finally {
  await browser.close();
  await server.stop({ graceful: false });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const bare = rounds.filter((r) => r.receiver === 'bare');
const app = rounds.filter((r) => r.receiver === 'app');
const summary = {
  messages: COUNT,
  rounds: ROUNDS,
  serverDeliveryPerSec: median(bare.map((r) => r.perSec)),
  appStoredPerSec: median(app.map((r) => r.perSec)),
  pageReceivedPerSec: median(app.map((r) => r.pageReceivedPerSec)),
  storedOverDelivery: app.map((r, i) => Math.round((r.perSec / bare[i].perSec) * 100) / 100),
  lastShownAfterMs: median(app.map((r) => r.paintedMs)),
  pageLongestTaskMs: median(app.map((r) => r.longestTask)),
  pageTasksOver50: median(app.map((r) => r.tasksOver50)),
  pageBusyMs: median(app.map((r) => r.pageBusyMs)),
  mainLoopDelayP99Ms: median(app.map((r) => r.main.p99)),
  mainLoopDelayMaxMs: Math.max(...app.map((r) => r.main.max)),
  mainCpuUsPerMessage: median(app.map((r) => r.mainCpuUsPerMessage)),
  // Same round: the server's delivery to Flint, and Flint's stored rate against it.
  appDeliveryPerSec: app.map((r) => r.keepingUp.deliveryPerSec),
  appStoredByCommitPerSec: app.map((r) => r.keepingUp.storedPerSec),
  appStoredOverAppDelivery: app.map((r) => r.keepingUp.storedOverDelivery),
  lagP50Ms: app.map((r) => r.keepingUp.lagP50Ms),
  lagP99Ms: app.map((r) => r.keepingUp.lagP99Ms),
  lagMaxMs: app.map((r) => r.keepingUp.lagMaxMs),
  recvQMaxBytes: app.map((r) => r.keepingUp.kernel?.recvQMax),
  recvQP99Bytes: app.map((r) => r.keepingUp.kernel?.recvQP99),
  tailAfterLastWriteMs: app.map((r) => r.keepingUp.tailAfterLastWriteMs),
};
writeFileSync(
  path.join(dataDir, 'receive-flood-browser-results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, nice: priority, load: os.loadavg(), summary, rounds }, null, 1),
);
console.log(JSON.stringify(summary, null, 1));
