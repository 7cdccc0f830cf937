import { describe, expect, it } from 'vitest';
import { NS } from '../../module';
import { JidError } from '../../../../shared/jid';
import { ModuleTestBed, stanza, TEST_NOW, wire } from '../test-context';
import { defineModule } from '../../module';
import { x } from '../../xml/element';
import { createImModule, imModule, type ImApi, type OutgoingMessageDecorator } from '.';
import { MAX_FUTURE_MS } from './parse';

const IM_NAME = 'rfc6121-im';

const setup = () => {
  const host = new ModuleTestBed([imModule]);
  return { host, ctx: host.ctx, api: host.api<ImApi>('rfc6121-im') };
};

const receive = async (xml: string) => {
  const s = setup();
  await s.host.receive(stanza(xml));
  return s;
};

const received = async (xml: string) => {
  const { ctx } = await receive(xml);
  const events = ctx.eventsOf('message.received');
  expect(events).toHaveLength(1);
  return events[0]!.message;
};

describe('RFC 6121 IM: receiving', () => {
  it('turns a chat message into a ChatMessage', async () => {
    const m = await received(
      `<message type='chat' id='m1' from='Bob@Example.org/phone' to='alice@example.org/flint'>` +
        `<body>Hi 👋 &lt;3</body><thread>t-1</thread><subject>Plans</subject></message>`,
    );
    expect(m).toEqual({
      id: 'm1',
      peer: 'bob@example.org',
      from: 'bob@example.org/phone',
      to: 'alice@example.org/flint',
      direction: 'in',
      type: 'chat',
      body: 'Hi 👋 <3',
      thread: 't-1',
      subject: 'Plans',
      timestamp: TEST_NOW,
      state: 'delivered',
    });
  });

  it('treats a missing or unknown type as normal (§5.2.2), and picks the body without xml:lang', async () => {
    expect((await received(`<message from='bob@example.org/a'><body>x</body></message>`)).type).toBe('normal');
    const m = await received(`<message type='fancy' from='bob@example.org/a'><body xml:lang='de'>Hallo</body><body>Hello</body></message>`);
    expect([m.type, m.body]).toEqual(['normal', 'Hello']);
  });

  it('gives a message without id a fresh local id', async () => {
    expect((await received(`<message type='chat' from='bob@example.org/a'><body>x</body></message>`)).id).toBe('id1');
  });

  it.each([
    ['groupchat', `<message type='groupchat' from='room@muc.example.org/bob'><body>x</body></message>`],
    ['headline', `<message type='headline' from='example.org'><body>x</body></message>`],
    ['no body (chat state)', `<message type='chat' from='bob@example.org/a'><active xmlns='http://jabber.org/protocol/chatstates'/></message>`],
    ['no from (RFC 6120 §8.1.2.1)', `<message type='chat'><body>x</body></message>`],
    ['an invalid from', `<message type='chat' from='a@@b'><body>x</body></message>`],
  ])('emits nothing for %s', async (_label, xml) => {
    const { ctx } = await receive(xml);
    expect(ctx.events).toEqual([]);
  });

  it('leaves groupchat and headline to later modules (not consumed)', () => {
    const { host, ctx } = setup();
    const def = imModule;
    expect(def.message!(stanza(`<message type='groupchat' from='r@m/x'><body>x</body></message>`), ctx, host.state(def.name))).toBe(false);
  });
});

describe('RFC 6121 IM: XEP-0203 delay', () => {
  const at = async (stamps: string[]) =>
    (await received(`<message type='chat' from='bob@example.org/a'><body>x</body>${stamps.map((s) => `<delay xmlns='urn:xmpp:delay' from='example.org' stamp='${s}'/>`).join('')}</message>`))
      .timestamp;

  it('uses a valid stamp', async () => {
    expect(await at(['2002-09-10T23:08:25Z'])).toBe(Date.UTC(2002, 8, 10, 23, 8, 25));
  });

  it('uses the earliest of several stamps', async () => {
    expect(await at(['2020-01-02T00:00:00Z', '2020-01-01T00:00:00Z'])).toBe(Date.UTC(2020, 0, 1));
  });

  it('clamps year 9999 to a day ahead of now', async () => {
    expect(await at(['9999-12-31T23:59:59Z'])).toBe(TEST_NOW + MAX_FUTURE_MS);
  });

  it('clamps year 0 to the epoch', async () => {
    expect(await at(['0000-01-01T00:00:00Z'])).toBe(0);
  });

  it.each([
    ['a six-digit year', '+275760-09-13T00:00:00Z', TEST_NOW],
    ['a negative year', '-0001-01-01T00:00:00Z', TEST_NOW],
    ['an hour 25', '2020-01-01T25:00:00Z', TEST_NOW],
    ['a 10,000-digit fraction', `2020-01-01T00:00:00.${'9'.repeat(10_000)}Z`, Date.UTC(2020, 0, 1, 0, 0, 0, 999)],
    ['an offset that lands before the epoch', '1970-01-01T00:00:00+14:00', 0],
    ['an empty stamp', '', TEST_NOW],
  ])('survives %s', async (_label, stamp, expected) => {
    expect(await at([stamp])).toBe(expected);
  });

  it('uses now for a garbage stamp, and ignores garbage next to a valid one', async () => {
    expect(await at(['not a date'])).toBe(TEST_NOW);
    expect(await at(['2002-02-30T00:00:00Z'])).toBe(TEST_NOW);
    expect(await at(['junk', '2010-05-05T05:05:05Z'])).toBe(Date.UTC(2010, 4, 5, 5, 5, 5));
  });
});

describe('RFC 6121 IM: XEP-0359 stanza-id', () => {
  const sid = async (ids: string) => (await received(`<message type='chat' from='bob@example.org/a'><body>x</body>${ids}</message>`)).stanzaId;

  it('takes the stanza-id added by our own bare JID', async () => {
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org' id='srv-1'/>`)).toBe('srv-1');
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='ALICE@example.org' id='srv-2'/>`)).toBe('srv-2');
  });

  it("ignores anyone else's (the sender could forge it)", async () => {
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='bob@example.org' id='forged'/>`)).toBeUndefined();
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='example.org' id='server'/>`)).toBeUndefined();
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org/flint' id='full'/>`)).toBeUndefined();
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' id='no-by'/>`)).toBeUndefined();
  });

  it('finds ours among several', async () => {
    expect(await sid(`<stanza-id xmlns='urn:xmpp:sid:0' by='bob@example.org' id='forged'/><stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org' id='real'/>`)).toBe('real');
  });
});

describe('RFC 6121 IM: errors', () => {
  it('ties an error message to the id of the message it answers', async () => {
    const { ctx } = await receive(
      `<message type='error' id='id7' from='bob@example.org'><body>original</body>` +
        `<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>User is offline</text></error></message>`,
    );
    expect(ctx.events).toEqual([{ type: 'message.updated', id: 'id7', peer: 'bob@example.org', state: 'error', error: 'Service unavailable: User is offline' }]);
  });

  it('describes an error without text by its condition', async () => {
    const { ctx } = await receive(`<message type='error' id='id8' from='x@y'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`);
    expect(ctx.eventsOf('message.updated')[0]!.error).toBe('Resource constraint');
  });

  it('ignores an error without id', async () => {
    const { ctx } = await receive(`<message type='error' from='x@y'><error type='cancel'><gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`);
    expect(ctx.events).toEqual([]);
  });
});

describe('RFC 6121 IM: sending', () => {
  it('sends a chat message with an origin-id equal to its id and returns it as sent', () => {
    const { ctx, api } = setup();
    const m = api.send('Bob@Example.org', 'Hello <world> & 🌍');
    expect(ctx.sent.map(wire)).toEqual([
      `<message type='chat' to='bob@example.org' id='id1'><body>Hello &lt;world&gt; &amp; 🌍</body><origin-id xmlns='urn:xmpp:sid:0' id='id1'/></message>`,
    ]);
    expect(m).toEqual({
      id: 'id1',
      peer: 'bob@example.org',
      from: 'alice@example.org/flint',
      to: 'bob@example.org',
      direction: 'out',
      type: 'chat',
      body: 'Hello <world> & 🌍',
      timestamp: TEST_NOW,
      state: 'sent',
    });
  });

  it('gives every message its own id', () => {
    const { api } = setup();
    const ids = [api.send('bob@example.org', 'a'), api.send('bob@example.org', 'b')].map((m) => m.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('honours type, thread and a given id; the peer of a full JID is its bare JID', () => {
    const { ctx, api } = setup();
    const m = api.send('bob@example.org/phone', 'x', { type: 'normal', thread: 'th', id: 'queued-9' });
    const el = ctx.sent[0]!;
    expect([el.attr('type'), el.attr('id'), el.childText('thread'), el.child('origin-id', NS.sid)!.attr('id')]).toEqual(['normal', 'queued-9', 'th', 'queued-9']);
    expect([m.peer, m.to, m.thread]).toEqual(['bob@example.org', 'bob@example.org/phone', 'th']);
  });

  it('keeps a long multi-line body whole', () => {
    const { ctx, api } = setup();
    const body = 'line 1\nline 2\r\n\t' + 'ü'.repeat(10_000);
    api.send('bob@example.org', body);
    expect(ctx.sent[0]!.childText('body')).toBe(body);
  });

  it('throws on an invalid recipient and sends nothing', () => {
    const { ctx, api } = setup();
    expect(() => api.send('bob@@example.org', 'x')).toThrow(JidError);
    expect(ctx.sent).toEqual([]);
  });
});

describe('RFC 6121 IM: payload from other modules', () => {
  const decorator = (name: string, child: string, calls: string[] = []) =>
    defineModule<undefined, OutgoingMessageDecorator>({
      name,
      api: () => ({
        decorateOutgoing(el, message) {
          calls.push(`${name}:${message.id}:${message.peer}`);
          el.append(x(child, { xmlns: `urn:test:${child}` }));
        },
      }),
    });

  it('appends extensions given to send(), then asks the decorators in the order named', () => {
    const calls: string[] = [];
    const host = new ModuleTestBed([decorator('b', 'second', calls), decorator('a', 'first', calls), createImModule({ decorators: ['a', 'b'] })]);
    const m = host.api<ImApi>(IM_NAME).send('bob@example.org/phone', 'hi', { extensions: [x('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 'old' })] });
    expect(wire(host.ctx.sent[0]!)).toBe(
      `<message type='chat' to='bob@example.org/phone' id='id1'><body>hi</body><origin-id xmlns='urn:xmpp:sid:0' id='id1'/>` +
        `<replace xmlns='urn:xmpp:message-correct:0' id='old'/><first xmlns='urn:test:first'/><second xmlns='urn:test:second'/></message>`,
    );
    expect(calls).toEqual(['a:id1:bob@example.org', 'b:id1:bob@example.org']);
    expect(m.id).toBe('id1');
  });

  it('skips a decorator that is not registered', () => {
    const host = new ModuleTestBed([createImModule({ decorators: ['missing'] })]);
    host.api<ImApi>(IM_NAME).send('bob@example.org', 'hi');
    expect(host.ctx.sent).toHaveLength(1);
  });

  it('still sends the message when a decorator throws, and logs it', () => {
    const broken = defineModule<undefined, OutgoingMessageDecorator>({
      name: 'broken',
      api: () => ({
        decorateOutgoing() {
          throw new Error('bug');
        },
      }),
    });
    const host = new ModuleTestBed([broken, createImModule({ decorators: ['broken'] })]);
    host.api<ImApi>(IM_NAME).send('bob@example.org', 'hi');
    expect(host.ctx.sent.map((e) => e.childText('body'))).toEqual(['hi']);
    expect(host.ctx.logs).toEqual([expect.objectContaining({ level: 'warn', msg: 'outgoing message decorator failed' })]);
  });

  it('the plain imModule decorates nothing', () => {
    const host = new ModuleTestBed([decorator('a', 'first'), imModule]);
    host.api<ImApi>(IM_NAME).send('bob@example.org', 'hi');
    expect(host.ctx.sent[0]!.child('first', 'urn:test:first')).toBeUndefined();
  });
});
