import { describe, expect, it } from 'vitest';
import { silentLogger } from './ports';
import { FormInvalidError, RegisterSession, type RegisterEffect, type RegisterSessionOptions } from './register-session';
import { stanza } from './modules/test-context';

const FEATURES_TLS = `<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>`;
const FEATURES_REGISTER =
  `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>SCRAM-SHA-1</mechanism></mechanisms>` +
  `<register xmlns='http://jabber.org/features/iq-register'/></stream:features>`;
const LEGACY_FORM = `<query xmlns='jabber:iq:register'><instructions>Choose a username and password.</instructions><username/><password/></query>`;

function setup(opts: Partial<RegisterSessionOptions> = {}) {
  let now = 0;
  const effects: RegisterEffect[] = [];
  const s = new RegisterSession({ domain: 'example.org', tlsMode: 'starttls', clock: { now: () => now }, log: silentLogger, ...opts }, (e) => effects.push(e));
  return { s, effects, advance: (ms: number) => (now += ms), take: () => effects.splice(0) };
}

/** Through STARTTLS to the features after TLS. */
function toFeatures(t: ReturnType<typeof setup>, features = FEATURES_REGISTER) {
  t.s.start({ secure: false });
  t.s.streamOpened({ version: '1.0' });
  t.s.stanza(stanza(FEATURES_TLS));
  t.s.stanza(stanza(`<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`));
  t.s.tlsStarted();
  t.s.streamOpened({ version: '1.0' });
  t.take();
  t.s.stanza(stanza(features));
}

describe('RegisterSession (XEP-0077 before login)', () => {
  it('opens, upgrades with STARTTLS, asks for the form, submits it, and closes once registered', () => {
    const t = setup();
    t.s.start({ secure: false });
    expect(t.take()).toEqual([{ t: 'open', header: `<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='example.org' xml:lang='en'>` }]);
    t.s.streamOpened({ version: '1.0' });
    t.s.stanza(stanza(FEATURES_TLS));
    expect(t.take()).toEqual([{ t: 'write', data: `<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>` }]);
    t.s.stanza(stanza(`<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`));
    expect(t.take()).toEqual([{ t: 'startTls' }]);
    t.s.tlsStarted();
    expect(t.take().map((e) => e.t)).toEqual(['open']);
    t.s.streamOpened({ version: '1.0' });
    t.s.stanza(stanza(FEATURES_REGISTER));
    expect(t.take()).toEqual([{ t: 'write', data: `<iq type='get' to='example.org' id='reg1'><query xmlns='jabber:iq:register'/></iq>` }]);
    t.s.stanza(stanza(`<iq type='result' id='reg1' from='example.org'>${LEGACY_FORM}</iq>`));
    const [form] = t.take();
    expect(form).toMatchObject({ t: 'form', form: { kind: 'legacy', registered: false } });
    expect(t.s.status).toBe('form');

    expect(() => t.s.submit({ username: ['juliet'] })).toThrow(FormInvalidError);
    expect(t.take()).toEqual([]);
    t.s.submit({ username: ['juliet'], password: ['s3cret'] });
    expect(t.take()).toEqual([
      { t: 'write', data: `<iq type='set' to='example.org' id='reg2'><query xmlns='jabber:iq:register'><username>juliet</username><password>s3cret</password></query></iq>` },
    ]);
    // §3.1 Example 7: the name is taken; the form stays open for another try.
    t.s.stanza(stanza(`<iq type='error' id='reg2'><error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`));
    expect(t.take()).toEqual([{ t: 'rejected', condition: 'conflict', message: 'That user name is already taken.' }]);
    t.s.submit({ username: ['juliet2'], password: ['s3cret'] });
    t.take();
    t.s.stanza(stanza(`<iq type='result' id='reg3'/>`));
    expect(t.take()).toEqual([{ t: 'registered', jid: 'juliet2@example.org' }, { t: 'write', data: '</stream:stream>' }, { t: 'closed' }]);
  });

  it('ignores answers from anyone but the server, and answers to ids it did not send', () => {
    const t = setup();
    toFeatures(t);
    t.take();
    t.s.stanza(stanza(`<iq type='result' id='reg1' from='mallory@evil.example'>${LEGACY_FORM}</iq>`));
    t.s.stanza(stanza(`<iq type='result' id='other' from='example.org'>${LEGACY_FORM}</iq>`));
    expect(t.take()).toEqual([]);
    expect(t.s.status).toBe('fetch');
  });

  it('stops when the server offers no registration, or refuses to send a form', () => {
    const t = setup();
    toFeatures(t, `<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`);
    expect(t.take()).toEqual([
      { t: 'write', data: '</stream:stream>' },
      { t: 'closed', error: { code: 'protocol', condition: 'feature-not-implemented', message: 'This server does not offer creating accounts from the app (in-band registration).' } },
    ]);
    const u = setup();
    toFeatures(u);
    u.take();
    u.s.stanza(stanza(`<iq type='error' id='reg1'><error type='cancel'><not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`));
    expect(u.take().at(-1)).toEqual({ t: 'closed', error: { code: 'protocol', condition: 'not-allowed', message: 'This server does not allow creating accounts.' } });
  });

  it('sends nothing without TLS unless plaintext was allowed (RFC 7590)', () => {
    const t = setup();
    t.s.start({ secure: false });
    t.s.stanza(stanza(FEATURES_REGISTER));
    expect(t.effects.at(-1)).toMatchObject({ t: 'closed', error: { code: 'no-tls' } });
    expect(t.effects.some((e) => e.t === 'write' && e.data.includes('jabber:iq:register'))).toBe(false);
    const p = setup({ tlsMode: 'plaintext' });
    p.s.start({ secure: false });
    p.s.stanza(stanza(FEATURES_REGISTER));
    expect(p.effects.at(-1)).toMatchObject({ t: 'write', data: expect.stringContaining('jabber:iq:register') });
  });

  it('times out while the server is silent, never while the user fills in the form', () => {
    const t = setup();
    toFeatures(t);
    t.s.stanza(stanza(`<iq type='result' id='reg1'>${LEGACY_FORM}</iq>`));
    t.take();
    t.advance(10 * 60_000);
    t.s.tick(10 * 60_000);
    expect(t.take()).toEqual([]);
    t.s.submit({ username: ['a'], password: ['b'] });
    t.take();
    t.advance(31_000);
    t.s.tick(10 * 60_000 + 31_000);
    expect(t.take().at(-1)).toMatchObject({ t: 'closed', error: { code: 'timeout' } });
  });

  it('reports a stream error and a closed transport, and close() says goodbye once', () => {
    const t = setup();
    toFeatures(t);
    t.take();
    t.s.stanza(stanza(`<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`));
    expect(t.take()).toEqual([{ t: 'write', data: '</stream:stream>' }, { t: 'closed', error: expect.objectContaining({ code: 'stream-error', condition: 'policy-violation' }) }]);
    const u = setup();
    toFeatures(u);
    u.s.transportClosed('reset');
    u.s.close();
    expect(u.effects.filter((e) => e.t === 'closed')).toEqual([{ t: 'closed', error: { code: 'closed', message: 'Connection lost: reset' } }]);
  });

  it('submit() outside the form phase is a programming error', () => {
    const t = setup();
    expect(() => t.s.submit({})).toThrow(/no registration form/);
  });
});
