// Receive-flood benchmark body (bundled by run.mjs). Two roles:
//   node flood.bundle.mjs sender <json>   — a raw client in its own process that blasts N chat
//                                           messages at the receiver as fast as its socket takes them;
//   runBench(opts)                        — the orchestrator: Prosody, then two rounds with the same
//                                           sender: (1) a bare socket receiver that only counts
//                                           </message> (Prosody's delivery rate: the baseline),
//                                           (2) Flint's AccountService, counting message.received
//                                           events, which main emits only once a message is
//                                           committed to SQLite (the stored rate).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { AccountService } from '../../electron/main/accounts/account-service';
import type { KeyStore } from '../../electron/main/accounts/keystore';
import { connectRawClient } from '../../test/harness/raw-client';
import { startProsody, type ProsodyServer } from '../../test/harness/prosody';

const D = 'example.test';
const keyStore: KeyStore = { isAvailable: () => true, encrypt: (s) => new TextEncoder().encode(s), decrypt: (b) => new TextDecoder().decode(b) };

interface SenderArgs {
  port: number;
  caPem: string;
  user: string;
  to: string;
  count: number;
  tag: string;
}

/** The sender process: logs in, sends `count` messages in batches, then closes after a round trip. */
export async function runSender(a: SenderArgs): Promise<void> {
  const c = await connectRawClient({ port: a.port, domain: D, caPem: a.caPem, user: a.user, pass: `${a.user}-pw`, resource: 'flood', presence: false });
  const BATCH = 500;
  for (let i = 0; i < a.count; i += BATCH) {
    let xml = '';
    for (let j = i; j < Math.min(a.count, i + BATCH); j++) xml += `<message type='chat' to='${a.to}' id='${a.tag}-${j}'><body>flood ${a.tag} ${j} — 洪水 message body of ordinary length</body></message>`;
    c.send(xml);
    await new Promise((r) => setImmediate(r));
  }
  c.send("<iq type='get' id='done'><ping xmlns='urn:xmpp:ping'/></iq>");
  await c.readUntil(/id=["']done["']/, 600_000);
  await c.close();
}

function startSender(bundle: string, a: SenderArgs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, 'sender', JSON.stringify(a)], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited with ${code}`))));
  });
}

/**
 * The store's commit policy for a Flint round: 'app' is what the app does (write-queue.ts);
 * 'count-only' is the policy before it (up to 1,000 writes per transaction, one transaction per
 * event-loop turn, no time bound, no minimum interval), for a same-run comparison.
 */
export type QueuePolicy = 'app' | 'count-only';

type Policy = { maxBatch: number; budgetMs: number; minIntervalMs: number };
type Writes = Policy & { queue: unknown[]; commitBatch(): void };
const commitStats = new WeakMap<object, { commits: number; writes: number; longestMs: number; mostCpuMs: number }>();

/** Counts the store's transactions and their writes and duration (wraps a private method: bench only). */
function commitCounter(flint: AccountService) {
  const writes = (flint as unknown as { history: { store: { writes: Writes } } }).history.store.writes;
  let stats = commitStats.get(writes);
  if (!stats) {
    const st = { commits: 0, writes: 0, longestMs: 0, mostCpuMs: 0 };
    commitStats.set(writes, st);
    const commit = writes.commitBatch.bind(writes);
    writes.commitBatch = () => {
      const before = writes.queue.length;
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      commit();
      const ms = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      if (before === writes.queue.length) return;
      st.commits++;
      st.writes += before - writes.queue.length;
      st.longestMs = Math.max(st.longestMs, ms);
      st.mostCpuMs = Math.max(st.mostCpuMs, (cpu.user + cpu.system) / 1000);
    };
    stats = st;
  }
  const s = stats;
  s.longestMs = 0;
  s.mostCpuMs = 0;
  const start = { ...s };
  return () => ({
    commits: s.commits - start.commits,
    writesPerCommit: Math.round(((s.writes - start.writes) / Math.max(1, s.commits - start.commits)) * 10) / 10,
    longestCommitMs: Math.round(s.longestMs),
    mostCpuInOneCommitMs: Math.round(s.mostCpuMs),
  });
}
const appPolicy = new WeakMap<object, Policy>();

/** Sets the fields of the store's WriteQueue (private: a bench-only switch). */
function setQueuePolicy(flint: AccountService, policy: QueuePolicy): void {
  const writes = (flint as unknown as { history: { store: { writes: Policy } } }).history.store.writes;
  if (!appPolicy.has(writes)) appPolicy.set(writes, { maxBatch: writes.maxBatch, budgetMs: writes.budgetMs, minIntervalMs: writes.minIntervalMs });
  Object.assign(writes, policy === 'app' ? appPolicy.get(writes)! : { maxBatch: 1_000, budgetMs: Number.POSITIVE_INFINITY, minIntervalMs: 0 });
}

export interface RoundResult {
  receiver: 'bare' | 'flint';
  policy?: QueuePolicy;
  perSec: number;
  ms: number;
  /** Flint only: event-loop delay during the flood (ms). */
  maxDelayMs?: number;
  p99DelayMs?: number;
  /** Flint only: messages of this round found in the history store afterwards. */
  storedRows?: number;
  /**
   * Flint only: the store's transactions during the round, their mean size, the longest (wall ms,
   * work + commit) and the most CPU time one took (ms): wall far above CPU is the machine (waiting
   * for a core or for the disk), not the store's work.
   */
  commits?: number;
  writesPerCommit?: number;
  longestCommitMs?: number;
  mostCpuInOneCommitMs?: number;
  /** Flint only: arrival rate at Flint's store (first → last message handed to it by the engine, same round). */
  arrivedPerSec?: number;
  /** Flint only: per message, arrival at the store → committed and reported (ms): bounded = keeping up. */
  lagP50Ms?: number;
  lagP99Ms?: number;
  lagMaxMs?: number;
  /** Flint only: CPU time of Flint's process per message (µs), parsing to commit — less sensitive to machine load than the rates. */
  cpuUsPerMessage?: number;
}

/** Round with the bare receiver: the server's delivery rate to a client that does nothing but count. */
async function bareRound(server: ProsodyServer, bundle: string, count: number, tag: string): Promise<RoundResult> {
  const bare = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'bare', pass: 'bare-pw', resource: 'count' });
  let got = 0;
  let firstAt = 0;
  const sending = startSender(bundle, { port: server.c2sPort, caPem: server.caCertPem, user: 'sender', to: `bare@${D}/count`, count, tag });
  while (got < count) {
    // Everything up to the last complete </message> in the buffer, at once: O(n) overall.
    const chunk = await bare.readUntil(/[\s\S]*<\/message>/, 600_000);
    if (got === 0) firstAt = performance.now();
    got += chunk.split('</message>').length - 1;
  }
  const ms = performance.now() - firstAt;
  await sending;
  await bare.close();
  return { receiver: 'bare', perSec: Math.round((count / ms) * 1000), ms: Math.round(ms) };
}

/** Round with Flint's account service: counted once committed (message.received comes after the commit). */
async function flintRound(flint: AccountService, server: ProsodyServer, bundle: string, count: number, tag: string, policy: QueuePolicy): Promise<RoundResult> {
  setQueuePolicy(flint, policy);
  const commits = commitCounter(flint);
  // When each message reached the store (the engine's event, before the commit), to see in the
  // same round whether storing keeps pace with arrival: the lag stays bounded, or grows.
  const arrived = new Map<string, number>();
  const bridge = (flint as unknown as { history: { handle(e: { type: string; message?: { id: string } }): boolean } }).history;
  const handle = bridge.handle.bind(bridge);
  bridge.handle = (e) => {
    if (e.type === 'message.received' && e.message!.id.startsWith(`${tag}-`)) arrived.set(e.message!.id, performance.now());
    return handle(e);
  };
  const lags: number[] = [];
  let stored = 0;
  let start = 0;
  let doneAt = 0;
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = flint.subscribe((e) => {
      if (e.type !== 'message.received' || !e.message.id.startsWith(`${tag}-`)) return;
      const now = performance.now();
      lags.push(now - arrived.get(e.message.id)!);
      if (stored === 0) start = now;
      if (++stored === count) {
        doneAt = performance.now();
        resolve();
      }
    });
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const cpu0 = process.cpuUsage();
  await Promise.all([startSender(bundle, { port: server.c2sPort, caPem: server.caCertPem, user: 'sender', to: `flint@${D}/bench`, count, tag }), done]);
  loopDelay.disable();
  const cpu = process.cpuUsage(cpu0);
  const c = commits();
  stop();
  bridge.handle = handle;
  const arrivals = [...arrived.values()];
  const arrivedMs = Math.max(...arrivals) - Math.min(...arrivals);
  lags.sort((a, b) => a - b);
  const ms = doneAt - start;
  // Read back what was stored: every message of this round, once.
  let storedRows = 0;
  let page = await flint.historyPage(`sender@${D}`, { limit: 500 });
  for (;;) {
    storedRows += page.messages.filter((m) => m.id.startsWith(`${tag}-`)).length;
    if (!page.older) break;
    page = await flint.historyPage(`sender@${D}`, { before: page.older, limit: 500 });
  }
  return { receiver: 'flint', policy, perSec: Math.round((count / ms) * 1000), ms: Math.round(ms), maxDelayMs: Math.round(loopDelay.max / 1e6), p99DelayMs: Math.round(loopDelay.percentile(99) / 1e6), storedRows,
    arrivedPerSec: Math.round((count / arrivedMs) * 1000),
    lagP50Ms: Math.round(lags[Math.floor(lags.length / 2)]!),
    lagP99Ms: Math.round(lags[Math.floor(lags.length * 0.99)]!),
    lagMaxMs: Math.round(lags[lags.length - 1]!),
    cpuUsPerMessage: Math.round((cpu.user + cpu.system) / count),
    ...c,
  };
}

/** Alternating rounds (bare, flint, bare, flint…) against one Prosody, so both see the same server state and machine load. */
export async function runBench(opts: { bundle: string; count: number; rounds: number; compareQueue?: boolean; noMam?: boolean }): Promise<RoundResult[]> {
  // Without MAM Prosody relays ≈ 5× faster (TEST-SERVERS.md): a flood the client must buffer.
  const server: ProsodyServer = await startProsody({ domain: D, ...(opts.noMam ? { withoutModules: ['mam'] } : {}) });
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-flood-'));
  let flint: AccountService | undefined;
  try {
    await server.registerMany(['sender', 'bare', 'flint'].map((user) => ({ user, pass: `${user}-pw` })));
    flint = new AccountService({ dataDir, keyStore, appVersion: 'bench', extraCa: [server.caCertPem] });
    const f = flint;
    const online = new Promise<void>((resolve) => f.subscribe((e) => e.type === 'connection.changed' && e.state.status === 'online' && resolve()));
    await f.login({ settings: { jid: `flint@${D}`, resource: 'bench', host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' }, password: 'flint-pw', remember: false });
    await online;
    await new Promise((r) => setTimeout(r, 500)); // the first login's archive anchor
    const results: RoundResult[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      results.push(await bareRound(server, opts.bundle, opts.count, `b${i}`));
      results.push(await flintRound(f, server, opts.bundle, opts.count, `f${i}`, 'app'));
      if (opts.compareQueue) results.push(await flintRound(f, server, opts.bundle, opts.count, `c${i}`, 'count-only'));
    }
    return results;
  } finally {
    await flint?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
    await server.stop({ graceful: false });
  }
}

if (process.argv[2] === 'sender') {
  runSender(JSON.parse(process.argv[3]!) as SenderArgs).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
