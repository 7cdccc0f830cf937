import { describe, expect, it } from 'vitest';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { capsModule, type CapsApi } from '../xep0115-caps';
import { discoModule } from '../xep0030-disco';
import { presenceModule, type PresenceApi, type PresenceContributor } from '.';
import { defineModule } from '../../module';
import { x } from '../../xml/element';

const setup = (opts: { caps?: boolean; presence?: ReturnType<typeof presenceModule> } = {}) => {
  const presence = opts.presence ?? presenceModule();
  const host = new ModuleTestBed(opts.caps === false ? [presence] : [discoModule, capsModule(), presence]);
  return { host, ctx: host.ctx, api: () => host.api<PresenceApi>('rfc6121-presence') };
};

const online = async (s: ReturnType<typeof setup>) => {
  await s.host.online();
  s.ctx.clear();
};

describe('RFC 6121 presence: our own', () => {
  it('sends initial presence with our caps on online (§4.2.1)', async () => {
    const { host, ctx } = setup();
    await host.online();
    const ver = host.api<CapsApi>('xep0115-caps').ver();
    expect(ctx.sent.map(wire)).toEqual([`<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://flint.im' ver='${ver}'/></presence>`]);
  });

  it('sends plain initial presence when caps is not registered', async () => {
    const { host, ctx } = setup({ caps: false });
    await host.online();
    expect(ctx.sent.map(wire)).toEqual([`<presence/>`]);
  });

  it('remembers set() before online and across streams; clamps priority', async () => {
    const s = setup({ caps: false });
    s.api().set('away', 'Lunch', 500);
    expect(s.ctx.sent).toEqual([]);
    await s.host.online();
    expect(s.ctx.sent.map(wire)).toEqual([`<presence><show>away</show><status>Lunch</status><priority>127</priority></presence>`]);
    s.host.offline();
    s.host.startStream();
    s.ctx.clear();
    await s.host.online();
    expect(s.ctx.sent.map(wire)).toEqual([`<presence><show>away</show><status>Lunch</status><priority>127</priority></presence>`]);
  });

  it('broadcasts set() while online; keeps priority when not given, drops status when not given', async () => {
    const s = setup({ caps: false });
    await online(s);
    s.api().set('dnd', 'Busy', -5);
    s.api().set('available');
    s.api().set('chat', undefined, -200);
    expect(s.ctx.sent.map(wire)).toEqual([
      `<presence><show>dnd</show><status>Busy</status><priority>-5</priority></presence>`,
      `<presence><priority>-5</priority></presence>`,
      `<presence><show>chat</show><priority>-128</priority></presence>`,
    ]);
  });

  it('reports the server echo of our own presence as presence.own (§4.2.2)', async () => {
    const s = setup();
    await online(s);
    await s.host.receive(stanza(`<presence from='alice@example.org/flint' to='alice@example.org/flint'><show>xa</show><status>gone</status></presence>`));
    await s.host.receive(stanza(`<presence from='alice@example.org/flint' type='unavailable'/>`));
    expect(s.ctx.events).toEqual([
      { type: 'presence.own', show: 'xa', status: 'gone' },
      { type: 'presence.own', show: 'offline' },
    ]);
  });
});

describe('RFC 6121 presence: others', () => {
  it('reports an available resource with show, status, priority, caps and idle', async () => {
    const s = setup();
    await online(s);
    await s.host.receive(
      stanza(
        `<presence from='Bob@Example.org/phone'><show>away</show><status xml:lang='de'>Weg</status><status>Away</status><priority>5</priority>` +
          `<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='http://psi-im.org' ver='q07IKJEyjvHSyhy//CH0CxmKi8w='/>` +
          `<idle xmlns='urn:xmpp:idle:1' since='2023-11-14T21:00:00+01:00'/></presence>`,
      ),
    );
    expect(s.ctx.events).toEqual([
      {
        type: 'presence.changed',
        updates: [
          {
            jid: 'bob@example.org',
            resource: 'phone',
            presence: {
              resource: 'phone',
              show: 'away',
              status: 'Away',
              priority: 5,
              caps: { node: 'http://psi-im.org', ver: 'q07IKJEyjvHSyhy//CH0CxmKi8w=', hash: 'sha-1' },
              idleSince: '2023-11-14T20:00:00.000Z',
            },
          },
        ],
      },
    ]);
  });

  it.each([
    ['<priority>1000</priority>', 127],
    ['<priority>-1000</priority>', -128],
    ['<priority>abc</priority>', 0],
    ['<priority>1.5</priority>', 0],
    ['', 0],
  ])('reads %s as priority %d', async (child, priority) => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='bob@example.org/a'>${child}</presence>`));
    const [e] = s.ctx.eventsOf('presence.changed');
    expect(e!.updates[0]!.presence!.priority).toBe(priority);
  });

  it('reads an unknown show as available, and drops caps without hash and unparseable idle', async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(
      stanza(
        `<presence from='bob@example.org/a'><show>sleeping</show><c xmlns='http://jabber.org/protocol/caps' node='n' ver='v'/>` +
          `<idle xmlns='urn:xmpp:idle:1' since='yesterday'/></presence>`,
      ),
    );
    expect(s.ctx.eventsOf('presence.changed')[0]!.updates[0]!.presence).toEqual({ resource: 'a', show: 'available', priority: 0 });
  });

  it('reports unavailable and error (§4.7.2) as that resource going offline', async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='bob@example.org/a' type='unavailable'/>`));
    await s.host.receive(
      stanza(`<presence from='carol@example.net/b' type='error'><error type='cancel'><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`),
    );
    expect(s.ctx.eventsOf('presence.changed').map((e) => e.updates)).toEqual([
      [{ jid: 'bob@example.org', resource: 'a', presence: null }],
      [{ jid: 'carol@example.net', resource: 'b', presence: null }],
    ]);
  });

  it('clears every known resource on an unavailable or error from the bare JID', async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='bob@example.org/a'/>`));
    await s.host.receive(stanza(`<presence from='bob@example.org/b'/>`));
    s.ctx.clear();
    await s.host.receive(stanza(`<presence from='bob@example.org' type='error'><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>`));
    expect(s.ctx.eventsOf('presence.changed')[0]!.updates).toEqual([
      { jid: 'bob@example.org', resource: 'a', presence: null },
      { jid: 'bob@example.org', resource: 'b', presence: null },
    ]);
  });

  it("reports our own account's other resources under our bare JID", async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='alice@example.org/laptop'><show>away</show></presence>`));
    expect(s.ctx.events).toEqual([
      { type: 'presence.changed', updates: [{ jid: 'alice@example.org', resource: 'laptop', presence: { resource: 'laptop', show: 'away', priority: 0 } }] },
    ]);
  });

  it.each([`<presence/>`, `<presence from='a@@b/c'/>`, `<presence from=''/>`])('ignores presence without a valid from: %s', async (xml) => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(xml));
    expect(s.ctx.events).toEqual([]);
  });

  it('ignores probes', async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='bob@example.org' type='probe'/>`));
    expect(s.ctx.events).toEqual([]);
  });
});

describe('RFC 6121 presence: subscriptions (§3)', () => {
  it('reports a subscribe request with its XEP-0172 nick and never answers it by itself', async () => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(
      stanza(`<presence from='Bob@Example.org/phone' type='subscribe'><nick xmlns='http://jabber.org/protocol/nick'>Bobby</nick><status>Hi, it's Bob</status></presence>`),
    );
    expect(s.ctx.events).toEqual([{ type: 'subscription.request', from: 'bob@example.org', kind: 'subscribe', nick: 'Bobby', status: "Hi, it's Bob" }]);
    expect(s.ctx.sent).toEqual([]);
  });

  it.each(['subscribed', 'unsubscribe', 'unsubscribed'] as const)('reports %s', async (kind) => {
    const s = setup({ caps: false });
    await online(s);
    await s.host.receive(stanza(`<presence from='bob@example.org' type='${kind}'/>`));
    expect(s.ctx.events).toEqual([{ type: 'subscription.request', from: 'bob@example.org', kind }]);
    expect(s.ctx.sent).toEqual([]);
  });

  it('sends subscribe (with nick), subscribed, unsubscribed and unsubscribe to bare JIDs', async () => {
    const s = setup({ caps: false });
    await online(s);
    s.api().subscribe('Bob@Example.org/phone', 'Alice');
    s.api().approve('bob@example.org');
    s.api().deny('carol@example.net');
    s.api().unsubscribe('dave@example.org');
    expect(s.ctx.sent.map(wire)).toEqual([
      `<presence to='bob@example.org' type='subscribe'><nick xmlns='http://jabber.org/protocol/nick'>Alice</nick></presence>`,
      `<presence to='bob@example.org' type='subscribed'/>`,
      `<presence to='carol@example.net' type='unsubscribed'/>`,
      `<presence to='dave@example.org' type='unsubscribe'/>`,
    ]);
  });

  it('throws on an invalid JID', () => {
    const s = setup({ caps: false });
    expect(() => s.api().subscribe('@@')).toThrow();
  });
});

describe('RFC 6121 presence: children contributed by other modules', () => {
  const contributor = (name: string, child: () => ReturnType<PresenceContributor['presenceChild']>) =>
    defineModule<undefined, PresenceContributor>({ name, api: () => ({ presenceChild: child }) });

  it('adds the contributors’ children in the order named, skips absent modules and undefined children', async () => {
    let idle: string | undefined = '2023-11-14T22:00:00Z';
    const host = new ModuleTestBed([
      contributor('b', () => (idle ? x('idle', { xmlns: 'urn:xmpp:idle:1', since: idle }) : undefined)),
      contributor('a', () => x('x', { xmlns: 'vcard-temp:x:update' }, x('photo', {}, 'abc'))),
      presenceModule({ contributors: ['a', 'missing', 'b'] }),
    ]);
    const api = host.api<PresenceApi>('rfc6121-presence');
    api.rebroadcast(); // offline: nothing
    expect(host.ctx.sent).toEqual([]);
    await host.online();
    idle = undefined;
    api.rebroadcast();
    api.set('away');
    expect(host.ctx.sent.map(wire)).toEqual([
      `<presence><x xmlns='vcard-temp:x:update'><photo>abc</photo></x><idle xmlns='urn:xmpp:idle:1' since='2023-11-14T22:00:00Z'/></presence>`,
      `<presence><x xmlns='vcard-temp:x:update'><photo>abc</photo></x></presence>`,
      `<presence><show>away</show><x xmlns='vcard-temp:x:update'><photo>abc</photo></x></presence>`,
    ]);
  });
});
