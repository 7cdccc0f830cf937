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

export interface RoundResult {
  receiver: 'bare' | 'flint';
  perSec: number;
  ms: number;
  /** Flint only: event-loop delay during the flood (ms). */
  maxDelayMs?: number;
  p99DelayMs?: number;
  /** Flint only: messages of this round found in the history store afterwards. */
  storedRows?: number;
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
async function flintRound(flint: AccountService, server: ProsodyServer, bundle: string, count: number, tag: string): Promise<RoundResult> {
  let stored = 0;
  let start = 0;
  let doneAt = 0;
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = flint.subscribe((e) => {
      if (e.type !== 'message.received' || !e.message.id.startsWith(`${tag}-`)) return;
      if (stored === 0) start = performance.now();
      if (++stored === count) {
        doneAt = performance.now();
        resolve();
      }
    });
  });
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  await Promise.all([startSender(bundle, { port: server.c2sPort, caPem: server.caCertPem, user: 'sender', to: `flint@${D}/bench`, count, tag }), done]);
  lag.disable();
  stop();
  const ms = doneAt - start;
  // Read back what was stored: every message of this round, once.
  let storedRows = 0;
  let page = await flint.historyPage(`sender@${D}`, { limit: 500 });
  for (;;) {
    storedRows += page.messages.filter((m) => m.id.startsWith(`${tag}-`)).length;
    if (!page.older) break;
    page = await flint.historyPage(`sender@${D}`, { before: page.older, limit: 500 });
  }
  return { receiver: 'flint', perSec: Math.round((count / ms) * 1000), ms: Math.round(ms), maxDelayMs: Math.round(lag.max / 1e6), p99DelayMs: Math.round(lag.percentile(99) / 1e6), storedRows };
}

/** Alternating rounds (bare, flint, bare, flint…) against one Prosody, so both see the same server state and machine load. */
export async function runBench(opts: { bundle: string; count: number; rounds: number }): Promise<RoundResult[]> {
  const server: ProsodyServer = await startProsody({ domain: D });
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
      results.push(await flintRound(f, server, opts.bundle, opts.count, `f${i}`));
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
