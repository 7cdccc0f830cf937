// Issue 2 cross-server: the same engine against ejabberd (login, wrong password, roster with
// versioning, presence, messages in order), so we do not only speak Prosody's dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEjabberd, type EjabberdServer } from './harness/ejabberd';
import { TestAccount, is, type Ev } from './support/client';

describe('Flint engine against ejabberd', () => {
  let server: EjabberdServer;
  const accounts: TestAccount[] = [];
  const account = () => {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    return a;
  };

  beforeAll(async () => {
    server = await startEjabberd({ domain: 'example.test' });
    await server.registerMany([
      { user: 'alice', pass: 'alice-pw' },
      { user: 'bob', pass: 'bob-pw' },
    ]);
    await server.writeRoster('alice', [
      { jid: 'bob@example.test', name: 'Bob', groups: ['Friends', 'Work'], subscription: 'both' },
      { jid: 'zed@example.test', name: 'Zed', groups: [], subscription: 'none' },
    ]);
    await server.writeRoster('bob', [{ jid: 'alice@example.test', name: 'Alice', groups: ['Friends'], subscription: 'both' }]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  it('signs in (STARTTLS + SCRAM), fetches the roster, and uses the version on the next login', async () => {
    const a = account();
    await a.login({ jid: 'alice@example.test', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
    await a.waitStatus('online', 30_000);
    const roster = await a.waitFor(is('roster.changed', (r) => r.replace === true));
    expect(roster.upserted.find((c) => c.jid === 'bob@example.test')).toMatchObject({ name: 'Bob', subscription: 'both' });
    expect(roster.upserted.find((c) => c.jid === 'bob@example.test')?.groups.sort()).toEqual(['Friends', 'Work']);
    expect(a.service.savedAccounts()[0]!.strongestMechanism).toMatch(/^SCRAM-/);
    // Second login on the same profile: the cached roster and its version are reused (XEP-0237).
    await a.service.logout();
    const before = a.events.length;
    await a.login({ jid: 'alice@example.test', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
    await a.waitStatus('online', 30_000, false);
    const again = await a.waitFor((e) => a.events.indexOf(e) >= before && e.type === 'roster.changed' && !!(e as Ev<'roster.changed'>).replace);
    expect((again as Ev<'roster.changed'>).upserted.map((c) => c.jid).sort()).toEqual(['bob@example.test', 'zed@example.test']);
  });

  it('says “wrong password”', async () => {
    const a = account();
    await a.login({ jid: 'bob@example.test', host: '127.0.0.1', port: server.c2sPort }, 'nope');
    const st = await a.waitStatus('failed', 30_000);
    expect(st.error?.code).toBe('wrong-password');
  });

  it('sees presence and exchanges 200 messages in order', async () => {
    const a = account();
    const b = account();
    await a.login({ jid: 'alice@example.test', resource: 'desk', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
    await b.login({ jid: 'bob@example.test', resource: 'phone', host: '127.0.0.1', port: server.c2sPort }, 'bob-pw');
    await Promise.all([a.waitStatus('online', 30_000), b.waitStatus('online', 30_000)]);
    b.service.setPresence('dnd', 'in a meeting');
    await a.waitFor(is('presence.changed', (p) => p.updates.some((u) => u.jid === 'bob@example.test' && u.presence?.show === 'dnd' && u.presence.status === 'in a meeting')));
    const N = 200;
    const got: string[] = [];
    const done = new Promise<void>((resolve) =>
      b.service.subscribe((e) => {
        if (e.type === 'message.received' && e.message.peer === 'alice@example.test' && got.push(e.message.body) === N) resolve();
      }),
    );
    for (let i = 0; i < N; i++) a.service.sendChat('bob@example.test', `m${i} ✓`);
    await done;
    expect(got).toEqual(Array.from({ length: N }, (_, i) => `m${i} ✓`));
  });
});
