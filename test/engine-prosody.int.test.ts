// Issue 2 against a real Prosody on loopback: login paths, certificate trust, roster, presence,
// messages and reconnect — the real engine, sockets and TLS, no mocks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHostileServer } from './harness/hostile-server';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { TestAccount, is } from './support/client';

describe('Flint engine against Prosody (STARTTLS, test CA)', () => {
  let server: ProsodyServer;
  const accounts: TestAccount[] = [];
  const account = () => {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    return a;
  };
  const where = () => ({ host: '127.0.0.1', port: server.c2sPort });

  beforeAll(async () => {
    server = await startProsody({ domain: 'example.test' });
    await server.registerMany([
      { user: 'alice', pass: 'alice-pw' },
      { user: 'bob', pass: 'bob-pw' },
      { user: 'big', pass: 'big-pw' },
      { user: 'carol', pass: 'carol-pw' },
    ]);
    const items = Array.from({ length: 5000 }, (_, i) => ({
      jid: `contact${i}@example.test`,
      name: `Contact ${i}`,
      groups: [`Group ${i % 100}`],
      subscription: 'both',
    }));
    await server.writeRoster('big', items);
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  it('signs in with STARTTLS + SCRAM and binds a resource', async () => {
    const a = account();
    await a.login({ jid: 'alice@example.test', ...where() }, 'alice-pw');
    const st = await a.waitStatus('online');
    expect(st.jid).toMatch(/^alice@example\.test\/.+/);
    const saved = a.service.savedAccounts()[0]!;
    expect(saved.strongestMechanism).toMatch(/^SCRAM-SHA-1/);
    await a.service.logout();
    expect(a.state().status).toBe('offline');
  });

  it('says “wrong password” and does not retry on its own', async () => {
    const a = account();
    await a.login({ jid: 'alice@example.test', ...where() }, 'not-the-password');
    const st = await a.waitStatus('failed');
    expect(st.error?.code).toBe('wrong-password');
    await new Promise((r) => setTimeout(r, 1500));
    expect(a.state().status).toBe('failed');
  });

  it('fetches a 5,000-contact roster', async () => {
    const a = account();
    await a.login({ jid: 'big@example.test', ...where() }, 'big-pw');
    const e = await a.waitFor(is('roster.changed', (r) => r.replace === true));
    expect(e.upserted).toHaveLength(5000);
    expect(e.upserted.find((c) => c.jid === 'contact4999@example.test')).toMatchObject({ name: 'Contact 4999', groups: ['Group 99'], subscription: 'both' });
  });

  it('sees presence across accounts and exchanges 1,000 messages in order', async () => {
    const a = account();
    const b = account();
    await a.login({ jid: 'alice@example.test', resource: 'pc', ...where() }, 'alice-pw');
    await b.login({ jid: 'bob@example.test', resource: 'laptop', ...where() }, 'bob-pw');
    await Promise.all([a.waitStatus('online'), b.waitStatus('online')]);

    // Mutual subscription the way people do it: a asks, b accepts (and asks back), a accepts.
    await a.service.addContact('bob@example.test', 'Bob', ['Friends']);
    await b.waitFor(is('subscription.request', (s) => s.from === 'alice@example.test' && s.kind === 'subscribe'));
    b.service.answerSubscription('alice@example.test', true);
    await a.waitFor(is('subscription.request', (s) => s.from === 'bob@example.test' && s.kind === 'subscribe'));
    a.service.answerSubscription('bob@example.test', true);
    await a.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === 'bob@example.test' && c.subscription === 'both')));

    // b changes presence with a status message; a sees it on b's resource
    b.service.setPresence('away', 'at lunch');
    const seen = await a.waitFor(
      is('presence.changed', (p) => p.updates.some((u) => u.jid === 'bob@example.test' && u.presence?.show === 'away' && u.presence.status === 'at lunch')),
    );
    expect(seen.updates.find((u) => u.jid === 'bob@example.test')?.resource).toBe('laptop');

    const N = 1000;
    const got: string[] = [];
    const done = new Promise<void>((resolve) => {
      b.service.subscribe((e) => {
        if (e.type === 'message.received' && e.message.peer === 'alice@example.test') {
          got.push(e.message.body);
          if (got.length === N) resolve();
        }
      });
    });
    for (let i = 0; i < N; i++) a.service.sendChat('bob@example.test', `message ${i} — 你好 <&>`);
    await done;
    expect(got).toEqual(Array.from({ length: N }, (_, i) => `message ${i} — 你好 <&>`));

    // and the other way, one message, to check direction and sender
    b.service.sendChat('alice@example.test/pc', 'reply');
    const r = await a.waitFor(is('message.received', (m) => m.message.body === 'reply'));
    expect(r.message).toMatchObject({ peer: 'bob@example.test', direction: 'in', type: 'chat' });
    expect(r.message.from).toBe('bob@example.test/laptop');
  });

  it('answers ping and disco#info from another client, with caps in its presence', async () => {
    const a = account();
    const c = account();
    await a.login({ jid: 'carol@example.test', resource: 'one', ...where() }, 'carol-pw');
    await c.login({ jid: 'carol@example.test', resource: 'two', ...where() }, 'carol-pw');
    await Promise.all([a.waitStatus('online'), c.waitStatus('online')]);
    // Own other resource shows up with entity capabilities (XEP-0115)
    const p = await a.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === 'carol@example.test' && u.resource === 'two' && !!u.presence?.caps)));
    const caps = p.updates.find((u) => u.resource === 'two')!.presence!.caps!;
    expect(caps.hash).toBe('sha-1');
    const conn = (a.service as unknown as { session?: { connection?: { api<T>(n: string): T } } }).session!.connection!;
    const disco = conn.api<{ info(jid: string, node?: string): Promise<{ features: string[] }> }>('xep0030-disco');
    const info = await disco.info('carol@example.test/two');
    expect(info.features).toEqual(expect.arrayContaining(['urn:xmpp:ping', 'http://jabber.org/protocol/caps', 'jabber:iq:version']));
    const capsApi = conn.api<{ featuresOf(ver: string, jid: string): Promise<string[]> }>('xep0115-caps');
    expect(await capsApi.featuresOf(caps.ver, 'carol@example.test/two')).toEqual(expect.arrayContaining(['urn:xmpp:ping']));
    const rtt = await conn.api<{ ping(to?: string): Promise<number> }>('xep0199-ping').ping('carol@example.test/two');
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  it('detects a dead connection (server frozen: no bytes, ping unanswered) and reconnects when it is back', async () => {
    const a = new TestAccount({ caPem: server.caCertPem, keepalive: { pingAfterMs: 1_000, deadAfterMs: 3_000 }, backoff: { baseMs: 200, capMs: 1_000, stableMs: 60_000 } });
    accounts.push(a);
    await a.login({ jid: 'alice@example.test', resource: 'frozen', ...where() }, 'alice-pw');
    await a.waitStatus('online');
    const pid = Number(readFileSync(join(server.dir, 'prosody.pid'), 'utf8').trim());
    const t0 = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await a.waitStatus('reconnecting', 10_000, false);
      // keepalive scaled down 25× (the production values, 40 s ping and 70 s dead, detect within
      // 75 s): up to 4 s here, with room for a loaded machine's late timers.
      expect(Date.now() - t0).toBeLessThan(8_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await a.waitStatus('online', 30_000, false);
  });

  it('stops with “signed in elsewhere” on a resource conflict, without a reconnect loop', async () => {
    const a = account();
    const b = account();
    await a.login({ jid: 'alice@example.test', resource: 'same', ...where() }, 'alice-pw');
    await a.waitStatus('online');
    await b.login({ jid: 'alice@example.test', resource: 'same', ...where() }, 'alice-pw');
    await b.waitStatus('online');
    const st = await a.waitStatus('failed');
    expect(st.error?.code).toBe('conflict');
    expect(st.error?.message).toMatch(/signed in elsewhere/i);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(a.state().status).toBe('failed');
    expect(b.state().status).toBe('online');
  });

  it('follows see-other-host to the server it names', async () => {
    const redirector = await startHostileServer(async (c) => {
      await c.readUntil(/<stream:stream[^>]*>/);
      c.write(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='r' from='example.test' version='1.0'><stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>127.0.0.1:${server.c2sPort}</see-other-host></stream:error></stream:stream>`);
      await c.waitClosed(5_000).catch(() => undefined);
    });
    try {
      const a = account();
      await a.login({ jid: 'alice@example.test', resource: 'redirected', host: '127.0.0.1', port: redirector.port }, 'alice-pw');
      const st = await a.waitStatus('online');
      expect(st.jid).toBe('alice@example.test/redirected');
      expect(redirector.connectionCount()).toBe(1);
    } finally {
      await redirector.close();
    }
  });

  it('reconnects by itself after the server restarts', async () => {
    const a = account();
    // Short backoff so the test does not wait minutes; the policy itself is unit-tested.
    (a.service as unknown as { opts: { backoff: unknown } }).opts.backoff = { baseMs: 300, capMs: 2_000, stableMs: 60_000 };
    await a.login({ jid: 'alice@example.test', resource: 'restart', ...where() }, 'alice-pw');
    await a.waitStatus('online');
    const before = a.mark();
    await server.restart();
    // With a 300 ms backoff the client can be back before restart() has seen the server ready.
    const lost = await a.waitFor(is('connection.changed', (e) => e.state.status === 'reconnecting'), 20_000, before);
    const st = await a.waitStatus('online', 30_000, { at: a.events.indexOf(lost) + 1 });
    expect(st.jid).toBe('alice@example.test/restart');
  });
});

describe('Flint engine against Prosody: TLS variants', () => {
  const accounts: TestAccount[] = [];
  const servers: ProsodyServer[] = [];
  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('refuses an untrusted certificate before any SASL byte, then trusts exactly that pinned certificate', async () => {
    const server = await startProsody({ domain: 'example.test', cert: 'self-signed' });
    servers.push(server);
    await server.register('alice', 'alice-pw');
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: 'alice@example.test', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
    const st = await a.waitStatus('failed');
    expect(st.error?.code).toBe('cert-untrusted');
    expect(st.error?.cert?.fingerprint256).toBe(server.certFingerprint256);
    expect(st.error?.cert?.subject).toBeTruthy();
    expect(st.error?.cert?.validTo).toBeTruthy();
    // Pinning some other fingerprint is refused: only the presented certificate can be trusted.
    await expect(a.service.trustCertificate('00:'.repeat(31) + '00')).rejects.toThrow();
    await a.service.trustCertificate(server.certFingerprint256);
    await a.waitStatus('online');
    expect(a.service.savedAccounts()[0]!.pinnedFingerprint256).toBe(server.certFingerprint256);
  });

  it('connects with direct TLS (XEP-0368) and SCRAM-SHA-256', async () => {
    const server = await startProsody({ domain: 'example.test', passwordHash: 'SHA-256' });
    servers.push(server);
    await server.register('dave', 'dave-pw');
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: 'dave@example.test', host: '127.0.0.1', port: server.directTlsPort, tlsMode: 'directtls' }, 'dave-pw');
    await a.waitStatus('online');
    expect(a.service.savedAccounts()[0]!.strongestMechanism).toMatch(/^SCRAM-SHA-256/);
  });

  it('uses SCRAM-SHA-1-PLUS with tls-unique channel binding over TLS 1.2 (Prosody 0.12 offers -PLUS only there)', async () => {
    const server = await startProsody({ domain: 'example.test' });
    servers.push(server);
    await server.register('erin', 'erin-pw');
    const a = new TestAccount({ caPem: server.caCertPem, tlsMaxVersion: 'TLSv1.2' });
    accounts.push(a);
    await a.login({ jid: 'erin@example.test', host: '127.0.0.1', port: server.c2sPort }, 'erin-pw');
    await a.waitStatus('online');
    expect(a.service.savedAccounts()[0]!.strongestMechanism).toBe('SCRAM-SHA-1-PLUS');
  });
});
