// Issue 4 protocol modules against real servers: vCards (XEP-0054), avatars both ways (XEP-0084
// PEP and XEP-0153 vCard hash), blocking (XEP-0191), idle (XEP-0319) and last activity (XEP-0012),
// per-resource details, password change and in-band registration (XEP-0077) on Prosody; the user
// directory (XEP-0055, ejabberd's vjud), a full vCard round trip, registration and last activity on
// ejabberd. Registration before login is driven by a tiny shell (node:net/tls + StreamParser) around
// electron/core/register-session.ts, the way electron/main would drive it.
import { createHash } from 'node:crypto';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormValues, RegistrationForm } from '../shared/forms';
import type { BlockingApi, IdleApi, PepAvatarApi, RegisterApi, ResourceInfoApi, SearchApi, VCardApi, VCardAvatarApi } from '../electron/core/modules';
import { METADATA_NOTIFY } from '../electron/core/modules';
import { silentLogger } from '../electron/core/ports';
import { RegisterSession, type RegisterEffect } from '../electron/core/register-session';
import { StreamParser } from '../electron/core/xml/stream-parser';
import { startEjabberd, type EjabberdServer } from './harness/ejabberd';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { connectRawClient } from './harness/raw-client';
import { TestAccount, is, moduleApi } from './support/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

interface RegistrationRun {
  forms: RegistrationForm[];
  rejected: { condition: string; message: string }[];
  registered?: string;
  error?: string;
}

/**
 * The shell a main-side driver needs around RegisterSession: a socket, STARTTLS with the server's
 * certificate checked, a fresh StreamParser per stream, a UTF-8 decoder per socket, and the effects
 * carried out. `answer` fills in each form the server sends (it is asked again after a rejection).
 */
function registerInBand(o: { port: number; domain: string; caPem: string; answer: (form: RegistrationForm, attempt: number) => FormValues }): Promise<RegistrationRun> {
  return new Promise((resolve) => {
    const run: RegistrationRun = { forms: [], rejected: [] };
    let sock: net.Socket = net.connect({ port: o.port, host: '127.0.0.1' });
    let decoder = new StringDecoder('utf8');
    let parser: StreamParser | undefined;
    const timer = setInterval(() => session.tick(Date.now()), 1000);
    const finish = () => {
      clearInterval(timer);
      sock.end();
      resolve(run);
    };
    const onData = (chunk: Buffer) => parser?.write(decoder.write(chunk));
    const session: RegisterSession = new RegisterSession({ domain: o.domain, tlsMode: 'starttls', clock: { now: () => Date.now() }, log: silentLogger }, (e: RegisterEffect) => {
      switch (e.t) {
        case 'open':
          parser = new StreamParser({
            streamOpen: (attrs) => session.streamOpened(attrs),
            stanza: (el) => session.stanza(el),
            streamClose: () => session.streamClosed(),
            error: (err) => session.parseError(err.condition, err.text),
          });
          sock.write(e.header);
          return;
        case 'write':
          sock.write(e.data);
          return;
        case 'startTls': {
          parser = undefined;
          sock.removeListener('data', onData);
          const secure = tls.connect({ socket: sock, servername: o.domain, ca: o.caPem, rejectUnauthorized: true });
          secure.once('secureConnect', () => {
            sock = secure;
            decoder = new StringDecoder('utf8');
            secure.on('data', onData);
            session.tlsStarted();
          });
          secure.once('error', (err) => {
            run.error = `tls: ${err.message}`;
            finish();
          });
          return;
        }
        case 'form':
          run.forms.push(e.form);
          session.submit(o.answer(e.form, run.forms.length + run.rejected.length));
          return;
        case 'rejected':
          run.rejected.push({ condition: e.condition, message: e.message });
          session.submit(o.answer(run.forms.at(-1)!, run.forms.length + run.rejected.length));
          return;
        case 'registered':
          run.registered = e.jid;
          return;
        case 'closed':
          if (e.error) run.error = `${e.error.code}: ${e.error.message}`;
          finish();
          return;
      }
    });
    sock.on('data', onData);
    sock.once('connect', () => session.start({ secure: false }));
    sock.once('error', (err) => {
      run.error = `socket: ${err.message}`;
      session.transportClosed(err.message);
    });
  });
}

/** Username and password go wherever the form asks for them (legacy fields or a data form). */
function fill(form: RegistrationForm, username: string, password: string): FormValues {
  const values: FormValues = {};
  for (const f of form.form.fields) {
    if (f.var === 'username') values.username = [username];
    else if (f.var === 'password') values.password = [password];
    else if (f.var && f.required && f.type !== 'hidden') values[f.var] = [`${username}@example.org`];
  }
  return values;
}

describe('issue 4 modules against Prosody', () => {
  const D = 'example.test';
  let server: ProsodyServer;
  const accounts: TestAccount[] = [];

  async function login(user: string, resource: string, password = `${user}-pw`): Promise<TestAccount> {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: `${user}@${D}`, resource, host: '127.0.0.1', port: server.c2sPort }, password);
    await a.waitStatus('online');
    await a.waitFor(is('roster.changed', (r) => r.replace === true));
    return a;
  }

  beforeAll(async () => {
    server = await startProsody({ domain: D, allowRegistration: true });
    await server.registerMany(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'].map((u) => ({ user: u, pass: `${u}-pw` })));
    // Alice and Bob are mutual contacts: PEP avatars with the default access model go to contacts.
    await server.writeRoster('alice', [{ jid: `bob@${D}`, name: 'Bob', subscription: 'both' }]);
    await server.writeRoster('bob', [{ jid: `alice@${D}`, name: 'Alice', subscription: 'both' }]);
    await server.writeRoster('carol', [{ jid: `dave@${D}`, name: 'Dave', subscription: 'both' }]);
    await server.writeRoster('dave', [{ jid: `carol@${D}`, name: 'Carol', subscription: 'both' }]);
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  it('writes our vCard, reads it back, and another account reads it (XEP-0054)', async () => {
    const erin = await login('erin', 'pc');
    const frank = await login('frank', 'pc');
    await moduleApi<VCardApi>(erin, 'xep0054-vcard').set({
      fn: 'Erin Example',
      nickname: 'erin',
      email: ['erin@work.example', 'erin@home.example'],
      tel: ['+1 555 0100'],
      org: { name: 'Example Corp' },
      title: 'Engineer',
    });
    const expected = { fn: 'Erin Example', nickname: 'erin', email: ['erin@work.example', 'erin@home.example'], tel: ['+1 555 0100'], org: { name: 'Example Corp' }, title: 'Engineer' };
    await expect(moduleApi<VCardApi>(erin, 'xep0054-vcard').get()).resolves.toEqual(expected);
    await expect(moduleApi<VCardApi>(frank, 'xep0054-vcard').get(`erin@${D}`)).resolves.toEqual(expected);
    // An edit keeps what it does not touch; a user without a vCard reads as an empty card.
    await moduleApi<VCardApi>(erin, 'xep0054-vcard').set({ ...expected, title: 'Lead', email: ['erin@work.example'] });
    await expect(moduleApi<VCardApi>(frank, 'xep0054-vcard').get(`erin@${D}`)).resolves.toEqual({ ...expected, title: 'Lead', email: ['erin@work.example'] });
    await expect(moduleApi<VCardApi>(frank, 'xep0054-vcard').get(`grace@${D}`)).resolves.toEqual({ email: [], tel: [] });
  });

  it('publishes an avatar both ways; a contact is told and fetches identical bytes by either way (XEP-0084, XEP-0153)', async () => {
    const bob = await login('bob', 'laptop');
    const alice = await login('alice', 'pc');
    const image = PNG;
    const hash = sha1(image);
    await expect(moduleApi<PepAvatarApi>(alice, 'xep0084-avatar').publishOwn(new Uint8Array(image))).resolves.toBe(hash);

    const pep = await bob.waitFor(is('avatar.changed', (e) => e.jid === `alice@${D}` && e.source === 'pep' && e.hash === hash));
    expect(pep.mediaType).toBe('image/png');
    const fromPep = await moduleApi<PepAvatarApi>(bob, 'xep0084-avatar').fetch(`alice@${D}`, hash);
    expect(Buffer.from(fromPep.data, 'base64').equals(image)).toBe(true);
    expect(fromPep.type).toBe('image/png');

    // Alice's presence now carries the hash (vcard-temp:x:update), and her vCard holds the image.
    await bob.waitFor(is('avatar.changed', (e) => e.jid === `alice@${D}` && e.source === 'vcard' && e.hash === hash));
    expect(moduleApi<VCardAvatarApi>(alice, 'xep0153-vcard-avatar').ownHash()).toBe(hash);
    const fromVCard = await moduleApi<VCardAvatarApi>(bob, 'xep0153-vcard-avatar').fetch(`alice@${D}`, hash);
    expect(Buffer.from(fromVCard.data, 'base64').equals(image)).toBe(true);

    // A hash that is not the image's is refused, not returned.
    await expect(moduleApi<PepAvatarApi>(bob, 'xep0084-avatar').fetch(`alice@${D}`, sha1(Buffer.from('not this image')))).rejects.toThrow();
  });

  it('blocks a user (their messages stop arriving) and unblocks them; the other resource hears the push (XEP-0191)', async () => {
    const carol = await login('carol', 'one');
    const carol2 = await login('carol', 'two');
    const dave = await login('dave', 'pc');
    await carol.waitFor(is('blocklist.changed', (e) => e.replace === true));
    await carol2.waitFor(is('blocklist.changed', (e) => e.replace === true));

    await moduleApi<BlockingApi>(carol, 'xep0191-blocking').block([`Dave@${D}`]);
    const push = await carol2.waitFor(is('blocklist.changed', (e) => e.blocked.includes(`dave@${D}`)));
    expect(push).toEqual({ type: 'blocklist.changed', blocked: [`dave@${D}`], unblocked: [] });
    await expect(moduleApi<BlockingApi>(carol2, 'xep0191-blocking').list()).resolves.toEqual([`dave@${D}`]);

    dave.service.sendChat(`carol@${D}`, 'while blocked');
    await dave.waitFor(is('message.updated', (e) => e.state === 'error'));
    await sleep(500);
    expect(carol.events.some((e) => e.type === 'message.received' && e.message.body === 'while blocked')).toBe(false);

    await moduleApi<BlockingApi>(carol2, 'xep0191-blocking').unblock([`dave@${D}`]);
    await carol.waitFor(is('blocklist.changed', (e) => e.unblocked.includes(`dave@${D}`)));
    expect(moduleApi<BlockingApi>(carol, 'xep0191-blocking').current()).toEqual([]);
    dave.service.sendChat(`carol@${D}`, 'after unblock');
    await carol.waitFor(is('message.received', (e) => e.message.body === 'after unblock'));

    // A "push" from anyone but our server is refused: Dave cannot rewrite Carol's list.
    const raw = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user: 'dave', pass: 'dave-pw', resource: 'raw' });
    try {
      raw.send(`<iq type='set' id='spoof1' to='carol@${D}/one'><block xmlns='urn:xmpp:blocking'><item jid='erin@${D}'/></block></iq>`);
      const answer = await raw.readUntil(/<iq[^>]*id=["']spoof1["'][\s\S]*?<\/iq>/);
      expect(answer).toContain('service-unavailable');
      await carol.waitFor(is('security.rejected', (e) => e.from === `dave@${D}/raw`));
      expect(moduleApi<BlockingApi>(carol, 'xep0191-blocking').current()).toEqual([]);
    } finally {
      await raw.close();
    }
  });

  it('tells contacts when the user went idle, describes a contact’s resource (XEP-0319, caps/disco/version)', async () => {
    const alice = await login('alice', 'idle');
    const bob = await login('bob', 'desk');
    const since = Date.now() - 5 * 60_000;
    moduleApi<IdleApi>(bob, 'xep0319-idle').setIdleSince(since);
    const seen = await alice.waitFor(is('presence.changed', (p) => p.updates.some((u) => u.resource === 'desk' && u.presence?.idleSince !== undefined)));
    const idleSince = seen.updates.find((u) => u.resource === 'desk')!.presence!.idleSince!;
    expect(Date.parse(idleSince)).toBe(Math.floor(since / 1000) * 1000);

    const info = await moduleApi<ResourceInfoApi>(alice, 'resource-info').describeResource(`bob@${D}/desk`);
    expect(info.client).toEqual({ name: 'Flint', version: '0.0.0-test' });
    expect(info.capsNode).toBe('https://flint.im');
    expect(info.features).toEqual(expect.arrayContaining([METADATA_NOTIFY, 'urn:xmpp:idle:1', 'jabber:iq:version']));
  });

  it('changes the password; the next login needs the new one (XEP-0077 §3.3)', async () => {
    const frank = await login('frank', 'pw-change');
    await moduleApi<RegisterApi>(frank, 'xep0077-register').changePassword('frank-new-pw');
    await frank.service.logout();
    const fresh = await login('frank', 'after', 'frank-new-pw');
    expect(fresh.state().jid).toBe(`frank@${D}/after`);
    const old = new TestAccount({ caPem: server.caCertPem });
    accounts.push(old);
    await old.login({ jid: `frank@${D}`, resource: 'old', host: '127.0.0.1', port: server.c2sPort }, 'frank-pw');
    expect((await old.waitStatus('failed')).error?.code).toBe('wrong-password');
  });

  it('creates an account before login (XEP-0077 §3.1); a taken name is refused and the form stays open', async () => {
    const run = await registerInBand({
      port: server.c2sPort,
      domain: D,
      caPem: server.caCertPem,
      answer: (form, attempt) => fill(form, attempt === 1 ? 'alice' : 'newbie', 'newbie-pw'),
    });
    expect(run.error).toBeUndefined();
    expect(run.forms[0]!.form.fields.map((f) => f.var)).toEqual(expect.arrayContaining(['username', 'password']));
    expect(run.rejected).toEqual([{ condition: 'conflict', message: expect.stringMatching(/^That user name is already taken\./) }]);
    expect(run.registered).toBe(`newbie@${D}`);
    const newbie = await login('newbie', 'first', 'newbie-pw');
    expect(newbie.state().status).toBe('online');
  });
});

describe('issue 4 modules against ejabberd', () => {
  const D = 'example.test';
  let server: EjabberdServer;
  const accounts: TestAccount[] = [];

  async function login(user: string, resource: string): Promise<TestAccount> {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: `${user}@${D}`, resource, host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online');
    return a;
  }

  beforeAll(async () => {
    server = await startEjabberd({ domain: D });
    await server.registerMany(['juliet', 'romeo', 'nurse'].map((u) => ({ user: u, pass: `${u}-pw` })));
    // mod_last answers only those subscribed to the user's presence.
    await server.writeRoster('romeo', [{ jid: `nurse@${D}`, name: 'Nurse', subscription: 'both' }]);
    await server.writeRoster('nurse', [{ jid: `romeo@${D}`, name: 'Romeo', subscription: 'both' }]);
  });

  afterAll(async () => {
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop();
  });

  it('round-trips every vCard field, the photo included (XEP-0054)', async () => {
    const juliet = await login('juliet', 'balcony');
    const romeo = await login('romeo', 'orchard');
    const card = {
      fn: 'Juliet Capulet',
      nickname: 'Jules',
      email: ['juliet@capulet.example'],
      tel: ['+39 045 800'],
      org: { name: 'House Capulet', unit: 'Balcony' },
      title: 'Heiress',
      photo: { type: 'image/png', data: PNG.toString('base64') },
    };
    await moduleApi<VCardApi>(juliet, 'xep0054-vcard').set(card);
    await expect(moduleApi<VCardApi>(romeo, 'xep0054-vcard').get(`juliet@${D}`)).resolves.toEqual(card);
  });

  it('finds a user in the directory by name (XEP-0055 via vjud)', async () => {
    const nurse = await login('nurse', 'pc');
    await moduleApi<VCardApi>(nurse, 'xep0054-vcard').set({ fn: 'Angelica Nurse', nickname: 'nurse', email: [], tel: [] });
    const romeo = accounts.find((a) => a.state().jid?.startsWith('romeo@')) ?? (await login('romeo', 'search'));
    const search = moduleApi<SearchApi>(romeo, 'xep0055-search');
    const services = await search.services();
    expect(services.map((s) => s.jid)).toContain(server.vjudDomain);
    const form = await search.fields(server.vjudDomain);
    expect(form.kind).toBe('form');
    const nameField = form.form.fields.find((f) => f.var === 'fn')!;
    expect(nameField).toBeDefined();
    const result = await search.search(server.vjudDomain, form, { fn: ['Angelica Nurse'] });
    expect(result.columns.map((c) => c.var)).toEqual(expect.arrayContaining(['jid', 'fn']));
    expect(result.items).toHaveLength(1);
    expect(result.items[0]).toMatchObject({ jid: [`nurse@${D}`], fn: ['Angelica Nurse'] });
  });

  it('asks when a user was last online (XEP-0012)', async () => {
    const nurse = accounts.find((a) => a.state().jid?.startsWith('nurse@'))!;
    await nurse.service.logout();
    const romeo = accounts.find((a) => a.state().jid?.startsWith('romeo@'))!;
    await sleep(1100);
    const last = await moduleApi<IdleApi>(romeo, 'xep0319-idle').lastActivity(`nurse@${D}`);
    expect(last.seconds).toBeGreaterThanOrEqual(1);
    expect(last.seconds).toBeLessThan(60);
  });

  it('creates an account before login (XEP-0077 §3.1)', async () => {
    const run = await registerInBand({ port: server.c2sPort, domain: D, caPem: server.caCertPem, answer: (form) => fill(form, 'tybalt', 'tybalt-pw') });
    expect(run.error).toBeUndefined();
    expect(run.registered).toBe(`tybalt@${D}`);
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push(a);
    await a.login({ jid: `tybalt@${D}`, resource: 'first', host: '127.0.0.1', port: server.c2sPort }, 'tybalt-pw');
    await a.waitStatus('online');
  });
});
