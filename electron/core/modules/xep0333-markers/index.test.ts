import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../../../shared/domain';
import { createImModule, type ImApi } from '../rfc6121-im';
import { ModuleTestBed, rosterWith, stanza, wire } from '../test-context';
import { MARKERS_MODULE, markersModule, type MarkersApi } from '.';

const M = `xmlns='urn:xmpp:chat-markers:0'`;

const setup = (subs: Record<string, Subscription> = { 'bob@example.org': 'both' }) => {
  const host = new ModuleTestBed([rosterWith(subs), markersModule(), createImModule({ decorators: [MARKERS_MODULE] })]);
  return { host, ctx: host.ctx, im: host.api<ImApi>('rfc6121-im'), markers: host.api<MarkersApi>(MARKERS_MODULE) };
};

describe('XEP-0333 displayed markers', () => {
  it('makes our chat messages markable', () => {
    const { ctx, im } = setup();
    const m = im.send('bob@example.org', 'hi');
    expect(wire(ctx.sent[0]!)).toBe(
      `<message type='chat' to='bob@example.org' id='${m.id}'><body>hi</body><origin-id xmlns='urn:xmpp:sid:0' id='${m.id}'/><markable ${M}/></message>`,
    );
  });

  it('reports a displayed marker from the peer, leaving the stanza to later modules', async () => {
    const { host, ctx } = setup();
    await host.receive(stanza(`<message type='chat' from='Bob@example.org/phone' id='x'><displayed ${M} id='id9'/></message>`));
    expect(ctx.events).toEqual([{ type: 'message.displayed', peer: 'bob@example.org', id: 'id9' }]);
  });

  it.each([
    ['groupchat', `<message type='groupchat' from='room@muc.example.org/bob'><displayed ${M} id='a'/></message>`],
    ['an error', `<message type='error' from='bob@example.org/a'><displayed ${M} id='a'/></message>`],
    ['a marker without id', `<message type='chat' from='bob@example.org/a'><displayed ${M}/></message>`],
  ])('ignores %s', async (_label, xml) => {
    const { host, ctx } = setup();
    await host.receive(stanza(xml));
    expect(ctx.events).toEqual([]);
  });

  it('marks a markable message as displayed', async () => {
    const { host, ctx, markers } = setup();
    await host.receive(stanza(`<message type='chat' from='bob@example.org/phone' id='m1'><body>hi</body><markable ${M}/></message>`));
    expect(markers.displayed('bob@example.org/phone', 'm1')).toBe(true);
    expect(wire(ctx.sent[0]!)).toBe(`<message to='bob@example.org/phone' id='id1' type='chat'><displayed ${M} id='m1'/></message>`);
  });

  it('does not mark a message that arrived without <markable/>', async () => {
    const { host, ctx, markers } = setup();
    await host.receive(stanza(`<message type='chat' from='bob@example.org/phone' id='m2'><body>hi</body></message>`));
    expect(markers.displayed('bob@example.org', 'm2')).toBe(false);
    expect(ctx.sent).toEqual([]);
  });

  it('marks a message it never saw arrive (fetched from the archive)', () => {
    const { ctx, markers } = setup();
    expect(markers.displayed('bob@example.org', 'from-archive')).toBe(true);
    expect(ctx.sent).toHaveLength(1);
  });

  it.each<[string, Record<string, Subscription>]>([
    ['a stranger', {}],
    ["a contact with subscription 'to'", { 'bob@example.org': 'to' }],
  ])('tells %s nothing (Security Considerations: markers reveal presence)', (_label, subs) => {
    const { ctx, markers } = setup(subs);
    expect(markers.displayed('bob@example.org', 'm1')).toBe(false);
    expect(ctx.sent).toEqual([]);
  });
});
