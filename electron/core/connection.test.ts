// The stream state machine without sockets or timers: the test plays the server, feeding XML
// through the real parser and reading the Connection's effects.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../main/crypto';
import { Connection, type Effect } from './connection';
import { defineModule, NS } from './module';
import { silentLogger } from './ports';
import { x } from './xml/element';
import { StreamParser } from './xml/stream-parser';

const JID = 'juliet@example.test';
const PASSWORD = 'r0m30myr0m30';

class FakeServer {
  effects: Effect[] = [];
  written = '';
  parser?: StreamParser;
  now = 1_000_000;
  conn: Connection;
  clientFirstBare = '';
  serverFirst = '';
  salt = randomBytes(16);
  iterations = 4096;

  constructor(opts: Partial<ConstructorParameters<typeof Connection>[0]> = {}) {
    this.conn = new Connection(
      {
        jid: JID,
        password: PASSWORD,
        tlsMode: 'starttls',
        modules: [],
        crypto: nodeCrypto,
        clock: { now: () => this.now },
        log: silentLogger,
        ...opts,
      },
      (e) => this.onEffect(e),
    );
  }

  private onEffect(e: Effect): void {
    this.effects.push(e);
    if (e.t === 'open') {
      this.written += e.header;
      this.parser = new StreamParser({
        streamOpen: (a) => this.conn.streamOpened(a),
        stanza: (el) => this.conn.stanza(el),
        streamClose: () => this.conn.streamClosed(),
        error: (err) => this.conn.parseError(err.condition, err.text),
      });
    }
    if (e.t === 'write') this.written += e.data;
  }

  /** Server → client bytes. */
  feed(xml: string): void {
    this.parser!.write(xml);
  }

  header(): void {
    this.feed(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' from='example.test' version='1.0'>`);
  }

  take(): string {
    const w = this.written;
    this.written = '';
    return w;
  }

  last<T extends Effect['t']>(t: T): Extract<Effect, { t: T }> | undefined {
    return [...this.effects].reverse().find((e) => e.t === t) as Extract<Effect, { t: T }> | undefined;
  }

  /** Play a SCRAM-SHA-1 server (RFC 5802) for the client's <auth/>. */
  scramChallenge(authXml: string): string {
    const payload = /<auth[^>]*>([^<]*)<\/auth>/.exec(authXml)![1]!;
    const clientFirst = Buffer.from(payload, 'base64').toString('utf8');
    expect(clientFirst.startsWith('n,,') || clientFirst.startsWith('y,,')).toBe(true);
    this.clientFirstBare = clientFirst.slice(3);
    const cnonce = /r=([^,]+)/.exec(this.clientFirstBare)![1]!;
    this.serverFirst = `r=${cnonce}srvNonce,s=${this.salt.toString('base64')},i=${this.iterations}`;
    return Buffer.from(this.serverFirst).toString('base64');
  }

  scramVerify(responseXml: string, password = PASSWORD): { ok: boolean; serverFinal: string } {
    const payload = /<response[^>]*>([^<]*)<\/response>/.exec(responseXml)![1]!;
    const clientFinal = Buffer.from(payload, 'base64').toString('utf8');
    const withoutProof = clientFinal.slice(0, clientFinal.indexOf(',p='));
    const proof = Buffer.from(clientFinal.slice(clientFinal.indexOf(',p=') + 3), 'base64');
    const salted = pbkdf2Sync(password, this.salt, this.iterations, 20, 'sha1');
    const clientKey = createHmac('sha1', salted).update('Client Key').digest();
    const storedKey = createHash('sha1').update(clientKey).digest();
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSig = createHmac('sha1', storedKey).update(authMessage).digest();
    const recovered = Buffer.from(proof.map((b, i) => b ^ clientSig[i]!));
    const ok = createHash('sha1').update(recovered).digest().equals(storedKey);
    const serverKey = createHmac('sha1', salted).update('Server Key').digest();
    const serverSig = createHmac('sha1', serverKey).update(authMessage).digest('base64');
    return { ok, serverFinal: Buffer.from(`v=${serverSig}`).toString('base64') };
  }
}

const FEATURES_TLS = `<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`;
const FEATURES_SASL = `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>`;
const FEATURES_BIND = `<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><ver xmlns='urn:xmpp:features:rosterver'/></stream:features>`;

/** Run the whole negotiation up to the bind request; returns the server. */
function toBind(s: FakeServer): string {
  s.conn.start({ secure: false });
  expect(s.take()).toContain(`to='example.test'`);
  s.header();
  s.feed(FEATURES_TLS);
  expect(s.take()).toBe(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  s.feed(`<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  expect(s.last('startTls')).toBeDefined();
  s.conn.tlsStarted({ protocol: 'TLSv1.3', channelBindings: {} });
  s.take();
  s.header();
  s.feed(FEATURES_SASL);
  const auth = s.take();
  expect(auth).toContain(`mechanism='SCRAM-SHA-1'`);
  s.feed(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${s.scramChallenge(auth)}</challenge>`);
  const { ok, serverFinal } = s.scramVerify(s.take());
  expect(ok).toBe(true);
  s.feed(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${serverFinal}</success>`);
  expect(s.last('authenticated')).toEqual({ t: 'authenticated', mechanism: 'SCRAM-SHA-1' });
  s.take();
  s.header();
  s.feed(FEATURES_BIND);
  const bind = s.take();
  expect(bind).toContain(`<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'`);
  return /id='([^']+)'/.exec(bind)![1]!;
}

describe('Connection negotiation', () => {
  it('goes plaintext → STARTTLS → SCRAM → bind → online, proving the password to a real SCRAM check', () => {
    const s = new FakeServer();
    const id = toBind(s);
    s.feed(`<iq type='result' id='${id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>${JID}/balcony</jid></bind></iq>`);
    expect(s.last('online')).toEqual({ t: 'online', jid: `${JID}/balcony` });
    expect(s.conn.online).toBe(true);
    expect(s.conn.features?.child('ver', NS.rosterver)).toBeDefined();
  });

  it('sends no credentials when STARTTLS is required but not offered', () => {
    const s = new FakeServer();
    s.conn.start({ secure: false });
    s.header();
    s.feed(FEATURES_SASL);
    const out = s.take();
    expect(out).not.toContain('<auth');
    expect(s.last('closed')?.error?.code).toBe('no-tls');
  });

  it('uses plaintext only when the account allows it', () => {
    const s = new FakeServer({ tlsMode: 'plaintext' });
    s.conn.start({ secure: false });
    s.header();
    s.feed(`<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>`);
    const out = s.take();
    // PLAIN is never used without TLS, even when plaintext is allowed
    expect(out).toContain(`mechanism='SCRAM-SHA-1'`);
  });

  it('stops when the server signature is wrong', () => {
    const s = new FakeServer();
    s.conn.start({ secure: true, tls: { protocol: 'TLSv1.3', channelBindings: {} } });
    s.header();
    s.feed(FEATURES_SASL);
    const auth = s.take();
    s.feed(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${s.scramChallenge(auth)}</challenge>`);
    s.take();
    const bogus = Buffer.from(`v=${Buffer.alloc(20, 7).toString('base64')}`).toString('base64');
    s.feed(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${bogus}</success>`);
    expect(s.last('authenticated')).toBeUndefined();
    expect(s.last('closed')?.error?.code).toBe('server-signature');
  });

  it('maps not-authorized to “wrong password”', () => {
    const s = new FakeServer();
    s.conn.start({ secure: true, tls: { protocol: 'TLSv1.3', channelBindings: {} } });
    s.header();
    s.feed(FEATURES_SASL);
    s.take();
    s.feed(`<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>`);
    const err = s.last('closed')?.error;
    expect(err?.code).toBe('wrong-password');
    expect(err?.message).toMatch(/wrong password/i);
  });

  it('refuses a weaker mechanism than the account used before (possible downgrade)', () => {
    const s = new FakeServer({ strongestMechanism: 'SCRAM-SHA-256' });
    s.conn.start({ secure: true, tls: { protocol: 'TLSv1.3', channelBindings: {} } });
    s.header();
    s.feed(FEATURES_SASL);
    expect(s.take()).not.toContain('<auth');
    const err = s.last('closed')?.error;
    expect(err?.code).toBe('downgrade');
  });

  it('retries bind with another resource on conflict', () => {
    const s = new FakeServer({ resource: 'balcony' });
    const id = toBind(s);
    s.feed(`<iq type='error' id='${id}'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    const again = s.take();
    expect(again).toMatch(/<resource>balcony-[0-9a-f]{6}<\/resource>/);
  });

  it('times out a stalled negotiation on the clock tick', () => {
    const s = new FakeServer();
    s.conn.start({ secure: false });
    s.now += 31_000;
    s.conn.tick(s.now);
    expect(s.last('closed')?.error?.code).toBe('timeout');
  });

  it('treats restricted XML from the server as fatal', () => {
    const s = new FakeServer();
    s.conn.start({ secure: false });
    s.feed(`<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY a 'b'>]><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`);
    expect(s.last('closed')?.error).toBeDefined();
    expect(s.written).toContain('<stream:error>');
  });
});

describe('Connection online', () => {
  function online(modules = [] as Parameters<typeof defineModule>[0][]): FakeServer {
    const s = new FakeServer({ modules });
    const id = toBind(s);
    s.feed(`<iq type='result' id='${id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>${JID}/r</jid></bind></iq>`);
    s.take();
    return s;
  }

  it('answers an unknown iq get with service-unavailable and ignores unknown results', () => {
    const s = online();
    s.feed(`<iq type='get' id='q1' from='romeo@example.test/x'><query xmlns='urn:example:nothing'/></iq>`);
    const out = s.take();
    expect(out).toContain(`type='error'`);
    expect(out).toContain(`id='q1'`);
    expect(out).toContain('<service-unavailable');
    s.feed(`<iq type='result' id='never-asked'/>`);
    expect(s.take()).toBe('');
  });

  it('routes iq gets to the module that registered them', () => {
    const ping = defineModule({ name: 'p', features: [NS.ping], iq: [{ type: 'get', ns: NS.ping, child: 'ping', handle: () => null }] });
    const s = online([ping]);
    s.feed(`<iq type='get' id='p1' from='example.test'><ping xmlns='urn:xmpp:ping'/></iq>`);
    expect(s.take()).toBe(`<iq type='result' id='p1' to='example.test'/>`);
  });

  it('matches iq responses by sender: a third party cannot answer our query', async () => {
    const s = online();
    const seen: string[] = [];
    const mod = defineModule({
      name: 'asker',
      online(ctx) {
        ctx.iq(x('iq', { type: 'get', to: 'romeo@example.test/x', id: 'ask1' }, x('query', { xmlns: NS.version }))).then(
          (r) => seen.push(`ok:${r.attr('from')}`),
          (e: Error) => seen.push(`err:${e.message}`),
        );
      },
    });
    const s2 = online([mod]);
    s2.feed(`<iq type='result' id='ask1' from='mallory@evil.test/x'><query xmlns='jabber:iq:version'/></iq>`);
    await Promise.resolve();
    expect(seen).toEqual([]);
    s2.feed(`<iq type='result' id='ask1' from='romeo@example.test/x'><query xmlns='jabber:iq:version'/></iq>`);
    await Promise.resolve();
    expect(seen).toEqual(['ok:romeo@example.test/x']);
    void s;
  });

  it('runs the online steps up to the first that waits before the shell hears online, the rest in order after it', async () => {
    const first = defineModule({ name: 'first', online: (ctx) => ctx.send(x('presence', { id: 'step-a' })) });
    const waits = defineModule({
      name: 'waits',
      online: async (ctx) => {
        await ctx.iq(x('iq', { type: 'get', id: 'step-b' }, x('query', { xmlns: NS.roster })));
      },
    });
    const last = defineModule({ name: 'last', online: (ctx) => ctx.send(x('presence', { id: 'step-c' })) });
    const s = new FakeServer({ modules: [first, waits, last] });
    const id = toBind(s);
    const before = s.effects.length;
    s.feed(`<iq type='result' id='${id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>${JID}/r</jid></bind></iq>`);
    const order = s.effects.slice(before).map((e) => (e.t === 'write' ? (/id='(step-[abc])'/.exec(e.data)?.[1] ?? 'write') : e.t));
    // RFC 6121 §2.2 order, and the roster get leaves before the shell's own 'online' work.
    expect(order).toEqual(['step-a', 'step-b', 'online']);
    s.take();
    s.feed(`<iq type='result' id='step-b'/>`);
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(s.take()).toBe(`<presence id='step-c'/>`);
  });

  it('maps conflict to “signed in elsewhere” and see-other-host to a redirect', () => {
    const s = online();
    s.feed(`<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`);
    const err = s.last('closed')?.error;
    expect(err?.code).toBe('conflict');
    expect(err?.message).toMatch(/signed in elsewhere/i);

    const t = online();
    t.feed(`<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>[2001:db8::1]:5223</see-other-host></stream:error>`);
    expect(t.last('redirect')).toEqual({ t: 'redirect', host: '2001:db8::1', port: 5223 });
  });

  it('closes cleanly with </stream:stream>', () => {
    const s = online();
    s.conn.close();
    expect(s.take()).toBe('</stream:stream>');
    expect(s.last('closed')).toEqual({ t: 'closed', error: undefined });
  });
});

describe('stream prefixes', () => {
  it('reads features under any prefix bound to the streams namespace', () => {
    const s = new FakeServer();
    s.conn.start({ secure: false });
    s.take();
    s.feed(`<?xml version='1.0'?><s:stream xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams' id='p' version='1.0'>`);
    s.feed(`<s:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></s:features>`);
    expect(s.take()).toBe(`<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`);
  });
});
