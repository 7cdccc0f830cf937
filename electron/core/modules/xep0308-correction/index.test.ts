import { describe, expect, it } from 'vitest';
import { createImModule } from '../rfc6121-im';
import { chatStatesModule, CHATSTATES_MODULE } from '../xep0085-chatstates';
import { ModuleTestBed, stanza, wire } from '../test-context';
import { CORRECTION_MODULE, correctionModule, type CorrectionApi } from '.';

const R = `xmlns='urn:xmpp:message-correct:0'`;

const setup = () => {
  const host = new ModuleTestBed([chatStatesModule(), correctionModule, createImModule({ decorators: [CHATSTATES_MODULE] })]);
  return { host, ctx: host.ctx, correction: host.api<CorrectionApi>(CORRECTION_MODULE) };
};

describe('XEP-0308 last message correction', () => {
  it('reports a correction with the original id and the real sender, and does not show it as a new message', async () => {
    const { host, ctx } = setup();
    await host.receive(stanza(`<message type='chat' from='Bob@example.org/phone' id='good1'><body>window</body><replace ${R} id='bad1'/></message>`));
    expect(ctx.events).toEqual([{ type: 'message.corrected', peer: 'bob@example.org', id: 'bad1', body: 'window', from: 'bob@example.org/phone' }]);
  });

  it('names whoever sent the correction, so a forged one cannot pass as the original sender', async () => {
    const { host, ctx } = setup();
    // Mallory knows the id of Bob's message; the event says the correction is Mallory's, in Mallory's conversation.
    await host.receive(stanza(`<message type='chat' from='mallory@evil.example/x' id='c'><body>forged</body><replace ${R} id='bobs-message'/></message>`));
    expect(ctx.eventsOf('message.corrected')).toEqual([{ type: 'message.corrected', peer: 'mallory@evil.example', id: 'bobs-message', body: 'forged', from: 'mallory@evil.example/x' }]);
  });

  it.each([
    ['without a body', `<message type='chat' from='bob@example.org/a'><replace ${R} id='x'/></message>`, []],
    ['without an id to replace', `<message type='chat' from='bob@example.org/a'><body>b</body><replace ${R}/></message>`, ['message.received']],
    ['in a groupchat (the MUC module’s)', `<message type='groupchat' from='r@muc.example.org/n'><body>b</body><replace ${R} id='x'/></message>`, []],
  ])('is not a correction %s', async (_label, xml, events) => {
    const { host, ctx } = setup();
    await host.receive(stanza(xml));
    expect(ctx.events.map((e) => e.type)).toEqual(events);
  });

  it('sends a correction as a new message with a new id, going through im (origin-id, decorators)', () => {
    const { ctx, correction } = setup();
    const m = correction.correct('bob@example.org', 'orig-1', 'fixed text');
    expect(m).toMatchObject({ peer: 'bob@example.org', body: 'fixed text', direction: 'out', state: 'sent' });
    expect(m.id).not.toBe('orig-1');
    expect(wire(ctx.sent[0]!)).toBe(
      `<message type='chat' to='bob@example.org' id='${m.id}'><body>fixed text</body><origin-id xmlns='urn:xmpp:sid:0' id='${m.id}'/>` +
        `<replace ${R} id='orig-1'/><active xmlns='http://jabber.org/protocol/chatstates'/></message>`,
    );
  });
});
