// Issue 4 through the app's own surface (AccountService and its `profile`, the same calls the IPC
// handlers make) against real servers: roster management (rename, move, copy, group rename and
// delete, remove), "accept" vs "accept and add", blocking with the list in the snapshot,
// per-resource details, vCards, avatars (lazy fetch, disk cache by hash, data: URLs), auto-away
// with XEP-0319 idle, password change; the user directory and account creation on ejabberd (vjud),
// account creation on Prosody too.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../electron/core/events';
import type { VCardApi } from '../electron/core/modules';
import type { FormValues, RegistrationForm } from '../shared/forms';
import { startEjabberd, type EjabberdServer } from './harness/ejabberd';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { TestAccount } from './support/client';

type Ev<T extends CoreEvent['type']> = Extract<CoreEvent, { type: T }>;
const is =
  <T extends CoreEvent['type']>(type: T, pred: (e: Ev<T>) => boolean = () => true) =>
  (e: CoreEvent): e is Ev<T> =>
    e.type === type && pred(e as Ev<T>);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// A real 1×1 PNG (within 192 px, as the renderer would send it after scaling).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

/** A PNG header claiming `size`×`size` (imageSize reads only IHDR), for the size check. */
function pngClaiming(size: number): Buffer {
  const b = Buffer.from(PNG);
  b.writeUInt32BE(size, 16);
  b.writeUInt32BE(size, 20);
  return b;
}

function fill(form: RegistrationForm, user: string, pass: string): FormValues {
  const values: FormValues = {};
  for (const f of form.form.fields) {
    if (f.var === 'username') values.username = [user];
    else if (f.var === 'password') values.password = [pass];
    else if (f.var && f.required && f.type !== 'hidden' && f.type !== 'fixed') values[f.var] = ['x'];
  }
  return values;
}

describe('issue 4 app operations against Prosody', () => {
  const D = 'example.test';
  let server: ProsodyServer;
  const accounts: TestAccount[] = [];

  async function login(user: string, resource: string, password = `${user}-pw`, opts: { testHooks?: boolean; remember?: boolean; dataDir?: string } = {}): Promise<TestAccount> {
    const a = new TestAccount({ caPem: server.caCertPem, testHooks: opts.testHooks, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
    accounts.push(a);
    await a.service.login({ settings: { jid: `${user}@${D}`, resource, host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' }, password, remember: opts.remember ?? false });
    await a.waitStatus('online');
    await a.waitFor(is('roster.changed', (r) => r.replace === true));
    return a;
  }
  const roster = (a: TestAccount) => a.service.snapshot().roster;
  const contact = (a: TestAccount, jid: string) => roster(a).find((c) => c.jid === jid);

  beforeAll(async () => {
    server = await startProsody({ domain: D, allowRegistration: true });
    await server.registerMany(['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon'].map((u) => ({ user: u, pass: `${u}-pw` })));
    await server.writeRoster('ann', [
      { jid: `ben@${D}`, name: 'Ben', groups: ['Friends'] },
      { jid: `cat@${D}`, name: 'Cat', groups: ['Friends', 'Work'] },
      { jid: `dan@${D}`, groups: ['Work'] },
      { jid: `x1@${D}`, groups: ['Old'] },
      { jid: `x2@${D}`, groups: ['Old', 'Keep'] },
      { jid: `x3@${D}`, groups: ['Gone'] },
      { jid: `x4@${D}`, groups: ['Gone', 'Keep'] },
    ]);
    // Mutual contacts (PEP avatars reach contacts; presence flows both ways).
    await server.writeRoster('eve', [{ jid: `fay@${D}`, name: 'Fay', subscription: 'both' }]);
    await server.writeRoster('fay', [{ jid: `eve@${D}`, name: 'Eve', subscription: 'both' }]);
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  it('renames, moves and copies a contact, renames and deletes groups (RFC 6121 §2.3, §2.5)', async () => {
    const ann = await login('ann', 'pc');
    const p = ann.service.profile;
    const pushed = (jid: string, pred: (c: NonNullable<ReturnType<typeof contact>>) => boolean) =>
      ann.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === jid && pred(c))), 10_000, false);

    // Rename, then remove the name again.
    let w = pushed(`dan@${D}`, (c) => c.name === 'Daniel');
    await p.updateContact(`dan@${D}`, { name: 'Daniel' });
    await w;
    expect(contact(ann, `dan@${D}`)).toMatchObject({ name: 'Daniel', groups: ['Work'] });
    w = pushed(`dan@${D}`, (c) => c.name === undefined);
    await p.updateContact(`dan@${D}`, { name: '' });
    await w;

    // Move (groups replaced) and copy (a group added); the name stays.
    w = pushed(`ben@${D}`, (c) => c.groups.join() === 'Work');
    await p.updateContact(`ben@${D}`, { groups: ['Work'] });
    await w;
    expect(contact(ann, `ben@${D}`)).toMatchObject({ name: 'Ben', groups: ['Work'] });
    w = pushed(`ben@${D}`, (c) => c.groups.length === 2);
    await p.updateContact(`ben@${D}`, { groups: ['Work', 'Friends'] });
    await w;
    expect(contact(ann, `ben@${D}`)?.groups.sort()).toEqual(['Friends', 'Work']);

    // Rename "Work" → "Office": every member moves, other groups stay; into an existing group merges.
    await p.renameGroup('Work', 'Office');
    await sleep(300);
    expect(contact(ann, `cat@${D}`)?.groups.sort()).toEqual(['Friends', 'Office']);
    expect(contact(ann, `dan@${D}`)?.groups).toEqual(['Office']);
    expect(roster(ann).some((c) => c.groups.includes('Work'))).toBe(false);
    await p.renameGroup('Office', 'Friends');
    await sleep(300);
    expect(contact(ann, `cat@${D}`)?.groups).toEqual(['Friends']);
    await expect(p.renameGroup('Nope', 'X')).rejects.toThrow(/no group/);

    // Delete "Old" keeping contacts (x1 becomes ungrouped); delete "Gone" with its contacts
    // (x3 goes, x4 is also in Keep and stays there).
    await p.deleteGroup('Old', false);
    await sleep(300);
    expect(contact(ann, `x1@${D}`)?.groups).toEqual([]);
    expect(contact(ann, `x2@${D}`)?.groups).toEqual(['Keep']);
    const removed = ann.waitFor(is('roster.changed', (r) => r.removed.includes(`x3@${D}`)), 10_000, false);
    await p.deleteGroup('Gone', true);
    await removed;
    await sleep(300);
    expect(contact(ann, `x3@${D}`)).toBeUndefined();
    expect(contact(ann, `x4@${D}`)?.groups).toEqual(['Keep']);

    // What the server stored, seen from a fresh session.
    await ann.service.logout();
    const again = await login('ann', 'again');
    expect(contact(again, `cat@${D}`)?.groups).toEqual(['Friends']);
    expect(contact(again, `x3@${D}`)).toBeUndefined();

    // Updating someone not in the roster is refused before anything is sent.
    await expect(again.service.profile.updateContact(`stranger@${D}`, { name: 'X' })).rejects.toThrow(/not in your contact list/);
  });

  it('"accept" lets them see us without asking back; "accept and add" asks back; remove unsubscribes both ways', async () => {
    const gus = await login('gus', 'pc');
    const hal = await login('hal', 'pc');
    const ida = await login('ida', 'pc');

    // hal asks gus; gus accepts only.
    await hal.service.addContact(`gus@${D}`);
    await gus.waitFor(is('subscription.request', (s) => s.from === `hal@${D}` && s.kind === 'subscribe'));
    gus.service.answerSubscription(`hal@${D}`, true, false);
    await hal.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === `gus@${D}` && c.subscription === 'to')));
    await gus.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === `hal@${D}` && c.subscription === 'from')));
    await sleep(300);
    expect(hal.events.some((e) => e.type === 'subscription.request' && e.from === `gus@${D}` && e.kind === 'subscribe')).toBe(false);
    // One-way: gus sees no presence of hal.
    expect(contact(gus, `hal@${D}`)).toMatchObject({ subscription: 'from' });

    // ida asks gus; gus accepts and adds: gus asks ida back.
    await ida.service.addContact(`gus@${D}`);
    await gus.waitFor(is('subscription.request', (s) => s.from === `ida@${D}` && s.kind === 'subscribe'));
    gus.service.answerSubscription(`ida@${D}`, true, true);
    await ida.waitFor(is('subscription.request', (s) => s.from === `gus@${D}` && s.kind === 'subscribe'));
    ida.service.answerSubscription(`gus@${D}`, true);
    await gus.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === `ida@${D}` && c.subscription === 'both')));

    // Removing ida: both subscriptions end; ida's roster shows it.
    await gus.service.removeContact(`ida@${D}`);
    await ida.waitFor(is('roster.changed', (r) => r.upserted.some((c) => c.jid === `gus@${D}` && c.subscription === 'none')));
    expect(contact(gus, `ida@${D}`)).toBeUndefined();
  });

  it('blocks and unblocks; the blocklist is in the snapshot (XEP-0191)', async () => {
    const jon = await login('jon', 'pc');
    await jon.waitFor(is('blocklist.changed', (e) => e.replace === true));
    expect(jon.service.snapshot().profile.blocked).toEqual([]);
    await jon.service.profile.block([`Spammer@${D}`, `bot@${D}`]);
    await jon.waitFor(is('blocklist.changed', (e) => e.blocked.includes(`bot@${D}`)), 10_000);
    expect(jon.service.snapshot().profile.blocked.sort()).toEqual([`bot@${D}`, `spammer@${D}`]);
    await jon.service.profile.unblock([`spammer@${D}`]);
    await jon.waitFor(is('blocklist.changed', (e) => e.unblocked.includes(`spammer@${D}`)));
    expect(jon.service.snapshot().profile.blocked).toEqual([`bot@${D}`]);
    await expect(jon.service.profile.block(['not a jid@'])).rejects.toThrow();
  });

  it('a blocked contact’s presence is dropped at once, and is back after unblocking (XEP-0191 §3.3, §3.4)', async () => {
    const eve = await login('eve', 'blocker');
    const fay = await login('fay', 'blocked');
    const online = () => eve.service.snapshot().presence.some((u) => u.jid === `fay@${D}` && u.resource === 'blocked');
    await eve.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === `fay@${D}` && u.resource === 'blocked' && u.presence !== null)));
    const gone = eve.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === `fay@${D}` && u.presence === null)), 10_000, false);
    await eve.service.profile.block([`fay@${D}`]);
    await gone;
    expect(online()).toBe(false);
    const back = eve.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === `fay@${D}` && u.resource === 'blocked' && u.presence !== null)), 10_000, false);
    await eve.service.profile.unblock([`fay@${D}`]);
    await back;
    expect(online()).toBe(true);
    await Promise.all([eve.service.logout(), fay.service.logout()]);
  });

  it('sets and reads vCards; avatars are published both ways, fetched lazily, cached on disk by hash', async () => {
    const eve = await login('eve', 'pc');
    const fay = await login('fay', 'pc');
    // (No ORGUNIT: Prosody 0.12 keeps vCards as vCard4 (mod_vcard_legacy) and drops it.)
    await eve.service.profile.setProfile({ fn: 'Eve Example', nickname: 'eve', email: ['eve@example.org'], tel: ['+1 555 0101'], org: { name: 'Example Inc.' }, title: 'Engineer' });
    await expect(fay.service.profile.getProfile(`eve@${D}`)).resolves.toEqual({
      vcard: { fn: 'Eve Example', nickname: 'eve', email: ['eve@example.org'], tel: ['+1 555 0101'], org: { name: 'Example Inc.' }, title: 'Engineer' },
      photo: null,
    });

    // Own avatar: checked, published, cached; the contact learns the hash and fetches it on demand.
    await expect(eve.service.profile.setOwnAvatar({ type: 'image/jpeg', data: PNG.toString('base64') })).rejects.toThrow(/not a image\/jpeg/);
    await expect(eve.service.profile.setOwnAvatar({ type: 'image/png', data: pngClaiming(1024).toString('base64') })).rejects.toThrow(/192/);
    const updated = eve.waitFor(is('avatar.updated', (e) => e.jid === `eve@${D}`), 10_000, false);
    await eve.service.profile.setOwnAvatar({ type: 'image/png', data: PNG.toString('base64') });
    const dataUrl = `data:image/png;base64,${PNG.toString('base64')}`;
    expect(await updated).toMatchObject({ hash: sha1(PNG), dataUrl });
    expect(existsSync(join(eve.dataDir, 'avatars', sha1(PNG)))).toBe(true);

    await fay.waitFor(is('avatar.changed', (e) => e.jid === `eve@${D}` && e.hash === sha1(PNG)));
    expect(fay.service.snapshot().profile.avatars[`eve@${D}`]).toBe(sha1(PNG));
    expect(existsSync(join(fay.dataDir, 'avatars', sha1(PNG)))).toBe(false); // lazily: nothing fetched yet
    const told = fay.waitFor(is('avatar.updated', (e) => e.jid === `eve@${D}`), 10_000, false);
    await expect(fay.service.profile.avatar(`eve@${D}`)).resolves.toBe(dataUrl);
    expect((await told).dataUrl).toBe(dataUrl);
    expect(readFileSync(join(fay.dataDir, 'avatars', sha1(PNG)))).toEqual(PNG);
    // The vCard side got the photo too (XEP-0153), visible in the contact's profile.
    await expect(fay.service.profile.getProfile(`eve@${D}`)).resolves.toMatchObject({ photo: dataUrl });
    // Someone without an avatar: null, nothing fetched.
    await expect(fay.service.profile.avatar(`nobody@${D}`)).resolves.toBeNull();

    // The disk cache answers without the network: a new session that knows the hash reads the file.
    await fay.service.logout();
    const fay2 = await login('fay', 'again', 'fay-pw', { dataDir: fay.dataDir });
    await fay2.waitFor(is('avatar.changed', (e) => e.jid === `eve@${D}`));
    await expect(fay2.service.profile.avatar(`eve@${D}`)).resolves.toBe(dataUrl);

    // Removing it: the contact hears "no avatar".
    // The notice can come before setOwnAvatar resolves: counted from before the call.
    const beforeRemoval = fay2.mark();
    await eve.service.profile.setOwnAvatar(null);
    await fay2.waitFor(is('avatar.changed', (e) => e.jid === `eve@${D}` && e.hash === null), 10_000, beforeRemoval);
    expect(fay2.service.snapshot().profile.avatars[`eve@${D}`]).toBeUndefined();
    const eveCard = await (eve.service as unknown as { session: { connection: { api<T>(n: string): T } } }).session.connection.api<VCardApi>('xep0054-vcard').get();
    expect(eveCard.photo).toBeUndefined();
    expect(eveCard.fn).toBe('Eve Example');
  });

  it('auto-away: away after N idle minutes with XEP-0319 idle since, extended away after M, back on return', async () => {
    const eve = await login('eve', 'idle', 'eve-pw', { testHooks: true });
    const fay = await login('fay', 'watch');
    const seen = (pred: (p: NonNullable<Ev<'presence.changed'>['updates'][number]['presence']>) => boolean) =>
      fay.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === `eve@${D}` && u.resource === 'idle' && u.presence !== null && pred(u.presence))), 10_000, false);
    eve.service.setPresence('available', 'at my desk');
    eve.service.profile.setAutoAway({ enabled: true, awayMinutes: 1, xaMinutes: 3 });
    expect(eve.service.snapshot().profile.autoAway).toEqual({ enabled: true, awayMinutes: 1, xaMinutes: 3 });

    let w = seen((p) => p.show === 'away');
    const before = Date.now();
    eve.service.profile.setDebugIdleSeconds(90);
    const away = await w;
    const pres = away.updates.find((u) => u.resource === 'idle')!.presence!;
    expect(pres.status).toBe('at my desk');
    expect(Math.abs(Date.parse(pres.idleSince!) - (before - 90_000))).toBeLessThan(3000);

    w = seen((p) => p.show === 'xa');
    eve.service.profile.setDebugIdleSeconds(200);
    const xa = await w;
    // Extended away keeps the moment the user left.
    expect(xa.updates.find((u) => u.resource === 'idle')!.presence!.idleSince).toBe(pres.idleSince);

    w = seen((p) => p.show === 'available' && p.idleSince === undefined);
    eve.service.profile.setDebugIdleSeconds(0);
    await w;

    // Off switch: idle as long as you like, nothing changes.
    eve.service.profile.setAutoAway({ enabled: false, awayMinutes: 1, xaMinutes: 3 });
    eve.service.profile.setDebugIdleSeconds(5000);
    await sleep(500);
    expect(fay.service.snapshot().presence.find((u) => u.jid === `eve@${D}` && u.resource === 'idle')?.presence?.show).toBe('available');
    // Without test hooks the debug command is refused.
    expect(() => fay.service.profile.setDebugIdleSeconds(1)).toThrow(/FLINT_TEST_HOOKS/);
  });

  it('describes a contact’s resources (client name and version, idle)', async () => {
    const eve = await login('eve', 'card');
    const fay = await login('fay', 'card');
    await eve.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === `fay@${D}` && u.resource === 'card')));
    const details = await eve.service.profile.describeContact(`fay@${D}`);
    const card = details.find((d) => d.resource === 'card');
    expect(card).toMatchObject({ jid: `fay@${D}/card`, client: { name: 'Flint', version: '0.0.0-test' } });
    expect(card!.features).toEqual(expect.arrayContaining(['urn:xmpp:idle:1']));
    void fay;
  });

  it('changes the password; the remembered password follows', async () => {
    const dan = await login('dan', 'pc', 'dan-pw', { remember: true });
    await dan.service.profile.changePassword('dan-new-pw');
    await dan.service.logout();
    // resume() signs in with the remembered (now new) password.
    expect(await dan.service.resume()).toBe(true);
    await dan.waitStatus('online', 20_000, false);
  });

  it('creates an account from the login screen’s runner; a taken name is refused and the form stays open', async () => {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    const form = await a.service.profile.registerStart({ domain: D, host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' });
    expect(form.form.fields.map((f) => f.var)).toEqual(expect.arrayContaining(['username', 'password']));
    await expect(a.service.profile.registerSubmit(fill(form, 'ann', 'x'))).resolves.toMatchObject({ status: 'rejected', condition: 'conflict' });
    await expect(a.service.profile.registerSubmit(fill(form, 'kim', 'kim-pw'))).resolves.toEqual({ status: 'registered', jid: `kim@${D}` });
    await expect(a.service.profile.registerSubmit(fill(form, 'kim2', 'x'))).rejects.toThrow(/No registration in progress/);
    const kim = await login('kim', 'first', 'kim-pw');
    expect(kim.state().status).toBe('online');
  });
});

describe('issue 4 app operations against ejabberd (directory, registration)', () => {
  const D = 'example.test';
  let server: EjabberdServer;
  const accounts: TestAccount[] = [];

  beforeAll(async () => {
    server = await startEjabberd({ domain: D });
    await server.registerMany(['mia', 'ned'].map((u) => ({ user: u, pass: `${u}-pw` })));
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  async function login(user: string): Promise<TestAccount> {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: `${user}@${D}`, resource: 'pc', host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online');
    return a;
  }

  it('finds the directory, draws its form, and searches it (XEP-0055)', async () => {
    const ned = await login('ned');
    await ned.service.profile.setProfile({ fn: 'Ned Nobody', nickname: 'ned', email: [], tel: [] });
    const mia = await login('mia');
    const services = await mia.service.profile.directoryServices();
    expect(services.map((s) => s.jid)).toContain(server.vjudDomain);
    const form = await mia.service.profile.directoryFields(server.vjudDomain);
    expect(form.form.fields.some((f) => f.var === 'fn')).toBe(true);
    const result = await mia.service.profile.directorySearch(server.vjudDomain, { fn: ['Ned Nobody'] });
    expect(result.items).toEqual([expect.objectContaining({ jid: [`ned@${D}`] })]);
  });

  it('creates an account (XEP-0077)', async () => {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    const form = await a.service.profile.registerStart({ domain: D, host: '127.0.0.1', port: server.c2sPort, tlsMode: 'starttls' });
    await expect(a.service.profile.registerSubmit(fill(form, 'oli', 'oli-pw'))).resolves.toEqual({ status: 'registered', jid: `oli@${D}` });
    const oli = new TestAccount({ caPem: server.caCertPem });
    accounts.push(oli);
    await oli.login({ jid: `oli@${D}`, resource: 'pc', host: '127.0.0.1', port: server.c2sPort }, 'oli-pw');
    await oli.waitStatus('online');
  });
});
