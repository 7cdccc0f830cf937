// Issue 5: archive catch-up and scroll-back against Prosody keeping its archive in SQL
// (mod_storage_sql on SQLite, Debian lua-dbi-sqlite3) — the store deployments with large archives
// use. Its archive ids and paging differ from the file store's (an ordering key, LIMIT per page),
// so a catch-up spanning several pages of its stock 50 must heal the gap exactly once, in order.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { TestAccount } from './support/client';
import { bridgeOf, collect, onlineSynced, scrollBack, sleep } from './support/history';

const D = 'example.test';

describe('archive catch-up against Prosody with the SQL archive store', () => {
  let server: ProsodyServer;
  const accounts: TestAccount[] = [];
  const account = () => {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    return a;
  };
  const online = async (a: TestAccount, user: string, resource: string) => {
    await a.login({ jid: `${user}@${D}`, resource, host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online', 30_000, false);
  };

  beforeAll(async () => {
    server = await startProsody({ domain: D, archiveStorage: 'sql' });
    await server.registerMany(['alice', 'bob'].map((user) => ({ user, pass: `${user}-pw` })));
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop({ graceful: false });
  });

  it('heals a gap of several archive pages once, in order, and scrolls back through it', async () => {
    const pc = account();
    const phone = account(); // another device of ours that stays online
    const bob = account();
    await Promise.all([onlineSynced(pc, () => online(pc, 'alice', 'pc')), online(phone, 'alice', 'phone'), online(bob, 'bob', 'desk')]);
    const first = collect(pc, `bob@${D}`, 1);
    bob.service.sendChat(`alice@${D}`, 'before');
    await first.done;

    await pc.service.logout();
    const away = Array.from({ length: 140 }, (_, i) => `away ${i} · 归档`);
    const onPhone = collect(phone, `bob@${D}`, away.length);
    for (const b of away) bob.service.sendChat(`alice@${D}`, b);
    await onPhone.done;

    const back = collect(pc, `bob@${D}`, away.length, 30_000);
    await onlineSynced(pc, () => online(pc, 'alice', 'pc'));
    expect(await back.done).toEqual(away);
    await sleep(300);
    expect(back.bodies).toHaveLength(away.length); // nothing reported twice
    const all = await scrollBack(pc, `bob@${D}`, 45);
    expect(all.map((m) => m.body)).toEqual(['before', ...away]);
    expect(new Set(all.map((m) => m.stanzaId)).size).toBe(away.length + 1);
    expect(bridgeOf(pc).catchUpsDone).toBeGreaterThanOrEqual(2);
    // The archive really is the SQL one (not the file store): its rows for alice are all there.
    const db = new Database(join(server.dataDir, 'prosody.sqlite'), { readonly: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM prosodyarchive WHERE store = 'archive' AND user = 'alice'").get() as { n: number };
      expect(row.n).toBeGreaterThanOrEqual(away.length + 1);
    } finally {
      db.close();
    }
  });
});
