import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { createImModule, imModule, type ImApi } from '../rfc6121-im';
import { MAX_FUTURE_MS } from '../rfc6121-im/parse';
import { receiptsModule, type ReceiptsApi } from '../xep0184-receipts';
import { flush, ModuleTestBed, stanza, TEST_NOW, wire } from '../test-context';
import { CARBONS_MODULE, carbonsModule, type CarbonsApi } from '.';

const C = `xmlns='urn:xmpp:carbons:2'`;
const F = `xmlns='urn:xmpp:forward:0'`;

const setup = () => {
  const host = new ModuleTestBed([carbonsModule, receiptsModule(), imModule]);
  return { host, ctx: host.ctx, carbons: () => host.api<CarbonsApi>(CARBONS_MODULE), receipts: () => host.api<ReceiptsApi>('xep0184-receipts') };
};

/** A carbon as the server sends it: `<received/>` or `<sent/>` around a forwarded message. */
const carbon = (kind: 'received' | 'sent', inner: string, outerFrom: string | null = 'alice@example.org') =>
  stanza(
    `<message${outerFrom === null ? '' : ` from='${outerFrom}'`} to='alice@example.org/flint' type='chat'>` +
      `<${kind} ${C}><forwarded ${F}>${inner}</forwarded></${kind}></message>`,
  );

const fromBob = (body: string, extra = '') =>
  `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org/desktop' type='chat' id='b1'><body>${body}</body>${extra}</message>`;
const toBob = (body: string, extra = '') =>
  `<message xmlns='jabber:client' from='alice@example.org/desktop' to='bob@example.org' type='chat' id='a1'><body>${body}</body>${extra}</message>`;

describe('XEP-0280 carbons: enabling', () => {
  it('enables carbons when online, without making later modules wait', async () => {
    const { host, ctx, carbons } = setup();
    await host.online();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(`<iq type='set' id='id1'><enable ${C}/></iq>`);
    expect(carbons().enabled()).toBe(false);
    ctx.answerIq('id1', null);
    await flush();
    const api = carbons();
    expect(api.enabled()).toBe(true);
    host.offline(); // the host drops the module APIs with the stream: ask the one the stream had
    expect(api.enabled()).toBe(false);
  });

  it('goes on without carbons when the server lacks them', async () => {
    const { host, ctx, carbons } = setup();
    await host.online();
    ctx.answerIq('id1', new IqError('service-unavailable', 'cancel'));
    await flush();
    expect(carbons().enabled()).toBe(false);
    expect(ctx.logs.some((l) => l.msg === 'message carbons not enabled')).toBe(true);
  });

  it('keeps one message off our other devices with <private/> and <no-copy/>', () => {
    const host = new ModuleTestBed([carbonsModule, createImModule()]);
    const hints = host.api<CarbonsApi>(CARBONS_MODULE).privateHints();
    host.api<ImApi>('rfc6121-im').send('bob@example.org', 'just here', { extensions: hints });
    expect(wire(host.ctx.sent[0]!)).toContain(`<private ${C}/><no-copy xmlns='urn:xmpp:hints'/>`);
  });
});

describe('XEP-0280 carbons: receiving copies', () => {
  it('shows a message someone sent to our other device, once', async () => {
    const { host, ctx } = setup();
    await host.receive(carbon('received', fromBob('hi there', `<stanza-id xmlns='urn:xmpp:sid:0' by='alice@example.org' id='arch-1'/>`)));
    expect(ctx.events).toEqual([
      {
        type: 'message.received',
        message: {
          id: 'b1',
          peer: 'bob@example.org',
          from: 'bob@example.org/phone',
          to: 'alice@example.org/desktop',
          direction: 'in',
          type: 'chat',
          body: 'hi there',
          timestamp: TEST_NOW,
          stanzaId: 'arch-1',
          state: 'delivered',
        },
      },
    ]);
  });

  it('shows a message our other device sent, in the conversation with its recipient, keeping its id', async () => {
    const { host, ctx } = setup();
    await host.receive(carbon('sent', toBob('from my phone', `<origin-id xmlns='urn:xmpp:sid:0' id='a1'/>`)));
    expect(ctx.eventsOf('message.received').map((e) => e.message)).toEqual([
      {
        id: 'a1',
        peer: 'bob@example.org',
        from: 'alice@example.org/desktop',
        to: 'bob@example.org',
        direction: 'out',
        type: 'chat',
        body: 'from my phone',
        timestamp: TEST_NOW,
        state: 'sent',
      },
    ]);
  });

  it('falls back to the origin-id when the copied message has no id', async () => {
    const { host, ctx } = setup();
    await host.receive(carbon('sent', `<message xmlns='jabber:client' to='bob@example.org' type='chat'><body>x</body><origin-id xmlns='urn:xmpp:sid:0' id='o-9'/></message>`));
    expect(ctx.eventsOf('message.received')[0]!.message.id).toBe('o-9');
  });

  it('clamps an absurd delay stamp on a copied message', async () => {
    const { host, ctx } = setup();
    await host.receive(carbon('received', fromBob('late', `<delay xmlns='urn:xmpp:delay' stamp='9999-01-01T00:00:00Z'/>`)));
    expect(ctx.eventsOf('message.received')[0]!.message.timestamp).toBe(TEST_NOW + MAX_FUTURE_MS);
  });

  it.each<[string, string | null]>([
    ['another user (CVE-2017-5589)', 'bob@example.org'],
    ['another user, resource and all', 'bob@example.org/phone'],
    ['one of our own resources, not the bare JID', 'alice@example.org/other'],
    ['our server', 'example.org'],
    ['no one (no from)', null],
  ])('SPOOF: rejects a carbon from %s and shows nothing', async (_label, outerFrom) => {
    const { host, ctx } = setup();
    await host.receive(carbon('sent', toBob('I owe Mallory 100 €'), outerFrom));
    await host.receive(carbon('received', fromBob('fake'), outerFrom));
    expect(ctx.eventsOf('message.received')).toEqual([]);
    expect(ctx.eventsOf('security.rejected')).toHaveLength(2);
    expect(ctx.eventsOf('security.rejected')[0]!.what).toMatch(/CVE-2017-5589/);
  });

  it.each([
    ['a received copy addressed to someone else', 'received', `<message xmlns='jabber:client' from='bob@example.org/a' to='carol@example.org' type='chat'><body>x</body></message>`],
    ['a sent copy from someone else', 'sent', `<message xmlns='jabber:client' from='bob@example.org/a' to='carol@example.org' type='chat'><body>x</body></message>`],
    ['a sent copy without a recipient', 'sent', `<message xmlns='jabber:client' from='alice@example.org/a' type='chat'><body>x</body></message>`],
    ['a received copy without a sender', 'received', `<message xmlns='jabber:client' to='alice@example.org' type='chat'><body>x</body></message>`],
    ['a copy of a groupchat message', 'received', `<message xmlns='jabber:client' from='r@muc.example.org/n' to='alice@example.org' type='groupchat'><body>x</body></message>`],
    ['a forwarded element in the wrong namespace', 'received', `<message from='bob@example.org/a' to='alice@example.org' type='chat'><body>x</body></message>`],
  ] as const)('ignores %s', async (_label, kind, inner) => {
    const { host, ctx } = setup();
    await host.receive(carbon(kind, inner));
    expect(ctx.events).toEqual([]);
  });

  it('passes on a correction, from either side', async () => {
    const { host, ctx } = setup();
    await host.receive(carbon('received', fromBob('fixed', `<replace xmlns='urn:xmpp:message-correct:0' id='b0'/>`)));
    await host.receive(carbon('sent', toBob('mine fixed', `<replace xmlns='urn:xmpp:message-correct:0' id='a0'/>`)));
    expect(ctx.events).toEqual([
      { type: 'message.corrected', peer: 'bob@example.org', id: 'b0', body: 'fixed', from: 'bob@example.org/phone' },
      { type: 'message.corrected', peer: 'bob@example.org', id: 'a0', body: 'mine fixed', from: 'alice@example.org/desktop' },
    ]);
  });

  it("passes on the contact's chat states, receipts and markers, not our own device's", async () => {
    const { host, ctx, receipts } = setup();
    receipts().expect('a1', 'bob@example.org');
    const bob = (payload: string) => `<message xmlns='jabber:client' from='bob@example.org/phone' to='alice@example.org/desktop' type='chat' id='x'>${payload}</message>`;
    const mine = (payload: string) => `<message xmlns='jabber:client' from='alice@example.org/desktop' to='bob@example.org/phone' type='chat' id='y'>${payload}</message>`;
    for (const payload of [
      `<composing xmlns='http://jabber.org/protocol/chatstates'/>`,
      `<received xmlns='urn:xmpp:receipts' id='a1'/>`,
      `<displayed xmlns='urn:xmpp:chat-markers:0' id='a1'/>`,
    ]) {
      await host.receive(carbon('sent', mine(payload)));
      await host.receive(carbon('received', bob(payload)));
    }
    expect(ctx.events).toEqual([
      { type: 'chat.state', peer: 'bob@example.org', resource: 'phone', state: 'composing' },
      { type: 'message.updated', id: 'a1', peer: 'bob@example.org', state: 'delivered' },
      { type: 'message.displayed', peer: 'bob@example.org', id: 'a1' },
    ]);
  });

  it('SPOOF: rejects a copied receipt from someone other than the recipient', async () => {
    const { host, ctx, receipts } = setup();
    receipts().expect('a1', 'bob@example.org');
    await host.receive(carbon('received', `<message xmlns='jabber:client' from='mallory@evil.example/x' to='alice@example.org' id='z'><received xmlns='urn:xmpp:receipts' id='a1'/></message>`));
    expect(ctx.eventsOf('message.updated')).toEqual([]);
    expect(ctx.eventsOf('security.rejected')).toHaveLength(1);
  });
});
