import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../../../shared/domain';
import { parseJid } from '../../../../shared/jid';
import { createImModule, type ImApi } from '../rfc6121-im';
import { ModuleTestBed, rosterWith, stanza, wire } from '../test-context';
import { RECEIPTS_MODULE, receiptsModule, type ReceiptsApi } from '.';

const setup = (subs: Record<string, Subscription> = { 'bob@example.org': 'both' }) => {
  const host = new ModuleTestBed([rosterWith(subs), receiptsModule(), createImModule({ decorators: [RECEIPTS_MODULE] })]);
  return { host, ctx: host.ctx, im: host.api<ImApi>('rfc6121-im'), receipts: host.api<ReceiptsApi>(RECEIPTS_MODULE) };
};

const ack = (from: string, id: string) => stanza(`<message from='${from}' id='ack-${id}'><received xmlns='urn:xmpp:receipts' id='${id}'/></message>`);

describe('XEP-0184 receipts: requesting', () => {
  it('asks for a receipt on every outgoing message and marks it delivered when the recipient acks', async () => {
    const { host, ctx, im } = setup();
    const m = im.send('bob@example.org/phone', 'hi');
    expect(wire(ctx.sent[0]!)).toBe(
      `<message type='chat' to='bob@example.org/phone' id='${m.id}'><body>hi</body><origin-id xmlns='urn:xmpp:sid:0' id='${m.id}'/><request xmlns='urn:xmpp:receipts'/></message>`,
    );
    // The ack may come from another resource of the same contact.
    await host.receive(ack('bob@example.org/laptop', m.id));
    expect(ctx.eventsOf('message.updated')).toEqual([{ type: 'message.updated', id: m.id, peer: 'bob@example.org', state: 'delivered' }]);
    // Delivered once: a repeated ack changes nothing.
    await host.receive(ack('bob@example.org/phone', m.id));
    expect(ctx.eventsOf('message.updated')).toHaveLength(1);
  });

  it('SPOOF: rejects an ack from someone the message was not sent to, and still takes the real one', async () => {
    const { host, ctx, im } = setup();
    const m = im.send('bob@example.org', 'secret plans');
    await host.receive(ack('mallory@evil.example/x', m.id));
    expect(ctx.eventsOf('message.updated')).toEqual([]);
    expect(ctx.eventsOf('security.rejected')).toEqual([expect.objectContaining({ from: 'mallory@evil.example/x' })]);
    await host.receive(ack('bob@example.org/phone', m.id));
    expect(ctx.eventsOf('message.updated')).toEqual([{ type: 'message.updated', id: m.id, peer: 'bob@example.org', state: 'delivered' }]);
  });

  it('SPOOF: still rejects an ack from someone else after the real one arrived', async () => {
    const { host, ctx, im } = setup();
    const m = im.send('bob@example.org', 'hi');
    await host.receive(ack('bob@example.org/phone', m.id));
    await host.receive(ack('mallory@evil.example/x', m.id));
    expect(ctx.eventsOf('message.updated')).toHaveLength(1);
    expect(ctx.eventsOf('security.rejected')).toHaveLength(1);
  });

  it('drops an ack for an id it never sent', async () => {
    const { host, ctx } = setup();
    await host.receive(ack('bob@example.org/phone', 'never-sent'));
    expect(ctx.events).toEqual([]);
  });

  it('waits for a receipt it is told about (a message from an earlier run), across streams', async () => {
    const { host, ctx, receipts } = setup();
    receipts.expect('old-1', 'Bob@Example.org/phone');
    host.offline();
    host.startStream();
    await host.receive(ack('bob@example.org/tablet', 'old-1'));
    expect(ctx.eventsOf('message.updated')).toEqual([{ type: 'message.updated', id: 'old-1', peer: 'bob@example.org', state: 'delivered' }]);
  });

  it('reads an ack without an id on <received/> by the ack message id (older senders)', async () => {
    const { host, ctx, receipts } = setup();
    receipts.expect('m7', 'bob@example.org');
    await host.receive(stanza(`<message from='bob@example.org/a' id='m7'><received xmlns='urn:xmpp:receipts'/></message>`));
    expect(ctx.eventsOf('message.updated')).toEqual([{ type: 'message.updated', id: 'm7', peer: 'bob@example.org', state: 'delivered' }]);
  });

  it('accepts an ack for an unknown id only through a carbon (a message another of our devices sent)', () => {
    const { ctx, receipts } = setup();
    receipts.acknowledged('from-phone', parseJid('bob@example.org/a'), true);
    receipts.acknowledged('unknown', parseJid('bob@example.org/a'), false);
    expect(ctx.eventsOf('message.updated')).toEqual([{ type: 'message.updated', id: 'from-phone', peer: 'bob@example.org', state: 'delivered' }]);
  });

  it('forgets the oldest awaited ids beyond the limit', async () => {
    const { host, ctx, receipts } = setup();
    for (let i = 0; i <= 10_000; i++) receipts.expect(`m${i}`, 'bob@example.org');
    await host.receive(ack('bob@example.org/a', 'm0'));
    await host.receive(ack('bob@example.org/a', 'm10000'));
    expect(ctx.eventsOf('message.updated').map((e) => e.id)).toEqual(['m10000']);
  });
});

describe('XEP-0184 receipts: answering', () => {
  const request = (from: string, extra = '', attrs = `type='chat' id='m1'`) =>
    stanza(`<message ${attrs} from='${from}' to='alice@example.org/flint'><body>hello</body><request xmlns='urn:xmpp:receipts'/>${extra}</message>`);

  it('acks a message from a contact who may see our presence, and leaves the message to im', async () => {
    const { host, ctx } = setup();
    await host.receive(request('bob@example.org/phone'));
    expect(ctx.sent.map(wire)).toEqual([`<message to='bob@example.org/phone' id='id1' type='chat'><received xmlns='urn:xmpp:receipts' id='m1'/></message>`]);
    expect(ctx.eventsOf('message.received')).toHaveLength(1);
  });

  it("acks our own account's other resources", async () => {
    const { host, ctx } = setup({});
    await host.receive(request('alice@example.org/phone'));
    expect(ctx.sent).toHaveLength(1);
  });

  it('keeps the type of a normal message (no type attribute)', async () => {
    const { host, ctx } = setup();
    await host.receive(request('bob@example.org/phone', '', `id='m1'`));
    expect(wire(ctx.sent[0]!)).toBe(`<message to='bob@example.org/phone' id='id1'><received xmlns='urn:xmpp:receipts' id='m1'/></message>`);
  });

  it.each<[string, Record<string, Subscription>, string, string?, string?]>([
    ['a stranger (not in the roster)', {}, 'stranger@example.net/x'],
    ["a contact who may not see our presence (subscription 'to')", { 'carol@example.org': 'to' }, 'carol@example.org/x'],
    ["a contact with subscription 'none'", { 'dave@example.org': 'none' }, 'dave@example.org/x'],
    ['a message without id', { 'bob@example.org': 'both' }, 'bob@example.org/x', '', `type='chat'`],
    ['a groupchat message', { 'room@muc.example.org': 'both' }, 'room@muc.example.org/nick', '', `type='groupchat' id='m1'`],
    ['an error', { 'bob@example.org': 'both' }, 'bob@example.org/x', '', `type='error' id='m1'`],
    ['an ack that (wrongly) asks for an ack', { 'bob@example.org': 'both' }, 'bob@example.org/x', `<received xmlns='urn:xmpp:receipts' id='z'/>`],
  ])('sends no receipt to %s', async (_label, subs, from, extra, attrs) => {
    const { host, ctx } = setup(subs);
    await host.receive(request(from, extra, attrs));
    expect(ctx.sentOf('message')).toEqual([]);
  });

  it('sends no receipt without a roster module (fails closed)', async () => {
    const host = new ModuleTestBed([receiptsModule()]);
    await host.receive(request('bob@example.org/phone'));
    expect(host.ctx.sent).toEqual([]);
  });
});
