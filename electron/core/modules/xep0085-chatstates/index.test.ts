import { describe, expect, it } from 'vitest';
import { JidError } from '../../../../shared/jid';
import { createImModule, type ImApi } from '../rfc6121-im';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { CHATSTATES_MODULE, chatStatesModule, type ChatStatesApi } from '.';

const CS = `xmlns='http://jabber.org/protocol/chatstates'`;

const setup = () => {
  const host = new ModuleTestBed([chatStatesModule(), createImModule({ decorators: [CHATSTATES_MODULE] })]);
  return { host, ctx: host.ctx, im: host.api<ImApi>('rfc6121-im'), states: () => host.api<ChatStatesApi>(CHATSTATES_MODULE) };
};

const standalone = (from: string, state: string, type = 'chat') => stanza(`<message type='${type}' from='${from}'><${state} ${CS}/></message>`);

describe('XEP-0085 chat states: receiving', () => {
  it.each(['active', 'composing', 'paused', 'inactive', 'gone'])('reports <%s/> with the peer and resource', async (state) => {
    const { host, ctx } = setup();
    await host.receive(standalone('Bob@Example.org/phone', state));
    expect(ctx.events).toEqual([{ type: 'chat.state', peer: 'bob@example.org', resource: 'phone', state }]);
  });

  it('reports the <active/> of a content message and still lets im show the message', async () => {
    const { host, ctx } = setup();
    await host.receive(stanza(`<message type='chat' from='bob@example.org/phone' id='m1'><body>hi</body><active ${CS}/></message>`));
    expect(ctx.events.map((e) => e.type)).toEqual(['chat.state', 'message.received']);
  });

  it("gives '' as the resource of a bare JID", async () => {
    const { host, ctx } = setup();
    await host.receive(standalone('bob@example.org', 'composing'));
    expect(ctx.eventsOf('chat.state')[0]!.resource).toBe('');
  });

  it.each([
    ['groupchat (the MUC module’s)', standalone('room@muc.example.org/bob', 'composing', 'groupchat')],
    ['an error', standalone('bob@example.org/a', 'composing', 'error')],
    ['an unknown element in the namespace', stanza(`<message type='chat' from='bob@example.org/a'><typing ${CS}/></message>`)],
    ['no from', stanza(`<message type='chat'><composing ${CS}/></message>`)],
  ])('ignores %s', async (_label, el) => {
    const { host, ctx } = setup();
    await host.receive(el);
    expect(ctx.events).toEqual([]);
  });
});

describe('XEP-0085 chat states: sending', () => {
  it('puts <active/> in every chat message, also before support is known (Generation of Notifications, rule 1)', () => {
    const { ctx, im } = setup();
    im.send('bob@example.org', 'hello');
    expect(ctx.sent[0]!.child('active', 'http://jabber.org/protocol/chatstates')).toBeDefined();
    im.send('bob@example.org', 'note', { type: 'normal' });
    expect(ctx.sent[1]!.child('active', 'http://jabber.org/protocol/chatstates')).toBeUndefined();
  });

  it('sends no standalone notification before the contact has shown support (rule 2)', () => {
    const { ctx, states } = setup();
    expect(states().supports('bob@example.org')).toBeUndefined();
    expect(states().set('bob@example.org', 'composing')).toBe(false);
    expect(ctx.sent).toEqual([]);
  });

  it('sends standalone notifications once the contact sent one, never the same twice in a row (Repetition)', async () => {
    const { host, ctx, states, im } = setup();
    await host.receive(standalone('bob@example.org/phone', 'active'));
    expect(states().supports('bob@example.org')).toBe(true);
    expect(states().set('bob@example.org/phone', 'composing')).toBe(true);
    expect(states().set('bob@example.org/phone', 'composing')).toBe(false);
    expect(states().set('bob@example.org/phone', 'paused')).toBe(true);
    expect(ctx.sent.map(wire)).toEqual([
      `<message type='chat' to='bob@example.org/phone' id='id1'><composing ${CS}/></message>`,
      `<message type='chat' to='bob@example.org/phone' id='id2'><paused ${CS}/></message>`,
    ]);
    // A content message says <active/>, so a following <active/> would be a repetition; composing is not.
    im.send('bob@example.org/phone', 'done');
    expect(states().set('bob@example.org/phone', 'active')).toBe(false);
    expect(states().set('bob@example.org/phone', 'composing')).toBe(true);
  });

  it('stops when the contact replies without a chat state (rule 3), and starts again when it sends one (rule 4)', async () => {
    const { host, ctx, states, im } = setup();
    await host.receive(standalone('bob@example.org/phone', 'composing'));
    await host.receive(stanza(`<message type='chat' from='bob@example.org/old-client'><body>hi</body></message>`));
    expect(states().supports('bob@example.org')).toBe(false);
    expect(states().set('bob@example.org', 'composing')).toBe(false);
    im.send('bob@example.org', 'reply');
    expect(ctx.sent[0]!.child('active', 'http://jabber.org/protocol/chatstates')).toBeUndefined();
    await host.receive(standalone('bob@example.org/new-client', 'active'));
    expect(states().set('bob@example.org', 'composing')).toBe(true);
  });

  it('remembers support across streams and says the current state again on a new stream', async () => {
    const { host, states } = setup();
    await host.receive(standalone('bob@example.org/phone', 'active'));
    expect(states().set('bob@example.org', 'composing')).toBe(true);
    host.offline();
    host.startStream();
    expect(states().set('bob@example.org', 'composing')).toBe(true);
  });

  it('sends nothing, not even <active/>, when the user turned chat states off, and still reports incoming ones', async () => {
    let on = false;
    const host = new ModuleTestBed([chatStatesModule({ send: () => on }), createImModule({ decorators: [CHATSTATES_MODULE] })]);
    await host.receive(standalone('bob@example.org/phone', 'composing'));
    expect(host.ctx.eventsOf('chat.state')).toHaveLength(1);
    host.api<ImApi>('rfc6121-im').send('bob@example.org', 'hi');
    expect(host.ctx.sent[0]!.child('active', 'http://jabber.org/protocol/chatstates')).toBeUndefined();
    expect(host.api<ChatStatesApi>(CHATSTATES_MODULE).set('bob@example.org', 'composing')).toBe(false);
    on = true;
    expect(host.api<ChatStatesApi>(CHATSTATES_MODULE).set('bob@example.org', 'composing')).toBe(true);
  });

  it('throws on an invalid address', () => {
    const { states } = setup();
    expect(() => states().set('bob@@example.org', 'composing')).toThrow(JidError);
  });
});
