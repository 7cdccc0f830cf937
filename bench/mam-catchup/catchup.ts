// Archive catch-up benchmark body (bundled by run.mjs): N messages land in the reader's XEP-0313
// archive while Flint is signed out (another resource of the reader stays online, so nothing is
// held as an offline message: the archive is the only way back). Then, against the same archive:
//   Flint   — AccountService login; timed from login() until the login's catch-up has stored every
//             message (HistoryBridge.catchUp: RSM pages forward from the last id stored, each page
//             committed before the next is asked for);
//   slixmpp — slixmpp_mam.py: connect and iterate the whole archive (count only, nothing stored).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AccountService } from '../../electron/main/accounts/account-service';
import type { HistoryBridge } from '../../electron/main/accounts/history-bridge';
import type { KeyStore } from '../../electron/main/accounts/keystore';
import { connectRawClient } from '../../test/harness/raw-client';
import { startProsody } from '../../test/harness/prosody';

const D = 'example.test';
const keyStore: KeyStore = { isAvailable: () => true, encrypt: (s) => new TextEncoder().encode(s), decrypt: (b) => new TextDecoder().decode(b) };
const PYTHON = '/usr/bin/python3';

export interface CatchUpResult {
  messages: number;
  flint: { ms: number; perSec: number; stored: number }[];
  slixmpp: { ms: number; perSec: number; count: number }[];
}

const bridgeOf = (a: AccountService) => (a as unknown as { history: HistoryBridge }).history;

export async function runBench(opts: { count: number; runs: number; slixmppScript: string }): Promise<CatchUpResult> {
  const server = await startProsody({ domain: D });
  const tmp = mkdtempSync(join(tmpdir(), 'flint-mam-'));
  try {
    await server.registerMany(['sender', 'reader'].map((user) => ({ user, pass: `${user}-pw` })));
    const caPath = join(tmp, 'ca.pem');
    writeFileSync(caPath, server.caCertPem);
    const login = (flint: AccountService) =>
      flint.login({ settings: { jid: `reader@${D}`, resource: 'bench', host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' }, password: 'reader-pw', remember: false });
    const waitCatchUp = async (flint: AccountService, before: number) => {
      while (bridgeOf(flint).catchUpsDone === before) await new Promise((r) => setTimeout(r, 2));
    };

    // Each Flint run starts from a profile that anchored on the empty archive (its first login).
    const profiles: string[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const dir = join(tmp, `profile-${i}`);
      profiles.push(dir);
      const flint = new AccountService({ dataDir: dir, keyStore, appVersion: 'bench', extraCa: [server.caCertPem] });
      await login(flint);
      await waitCatchUp(flint, 0);
      await flint.dispose();
    }

    // Fill the archive; the reader's keeper resource is online, so the server delivers and archives.
    const keeper = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'reader', pass: 'reader-pw', resource: 'keeper' });
    const sender = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'sender', pass: 'sender-pw', resource: 'fill', presence: false });
    for (let i = 0; i < opts.count; i += 500) {
      let xml = '';
      for (let j = i; j < Math.min(opts.count, i + 500); j++) xml += `<message type='chat' to='reader@${D}' id='a-${j}'><body>archived ${j} — 归档消息</body></message>`;
      sender.send(xml);
      // Drain the keeper as we go, so its socket does not back the server up.
      await keeper.readUntil(/[\s\S]*<\/message>/, 600_000).catch(() => '');
    }
    sender.send("<iq type='get' id='done'><ping xmlns='urn:xmpp:ping'/></iq>");
    await sender.readUntil(/id=["']done["']/, 600_000);
    await sender.close();
    await keeper.close();

    const result: CatchUpResult = { messages: opts.count, flint: [], slixmpp: [] };
    for (let i = 0; i < opts.runs; i++) {
      // Flint: from login() to every archived message committed.
      const flint = new AccountService({ dataDir: profiles[i]!, keyStore, appVersion: 'bench', extraCa: [server.caCertPem] });
      const done = bridgeOf(flint).catchUpsDone;
      const t0 = performance.now();
      await login(flint);
      await waitCatchUp(flint, done);
      const ms = performance.now() - t0;
      const stored = flint.searchHistory('归档消息', 500).length > 0 ? countStored(bridgeOf(flint)) : 0;
      await flint.dispose();
      result.flint.push({ ms: Math.round(ms), perSec: Math.round((opts.count / ms) * 1000), stored });

      // slixmpp: the same archive, fetched whole.
      const s = await new Promise<{ ms: number; count: number }>((resolve, reject) => {
        const cfg = { host: '127.0.0.1', port: server.c2sPort, domain: D, user: 'reader', pass: 'reader-pw', caPath, resource: `slix${i}` };
        const child = spawn(PYTHON, [opts.slixmppScript], { env: { ...process.env, BENCH_CONFIG: JSON.stringify(cfg) }, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { ms: number; count: number }) : reject(new Error(`slixmpp exited with ${code}`))));
      });
      result.slixmpp.push({ ms: Math.round(s.ms), perSec: Math.round((s.count / s.ms) * 1000), count: s.count });
    }
    return result;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await server.stop({ graceful: false });
  }
}

function countStored(bridge: HistoryBridge): number {
  return bridge.store.db.prepare("SELECT count(*) FROM messages WHERE body LIKE 'archived %'").pluck().get() as number;
}
