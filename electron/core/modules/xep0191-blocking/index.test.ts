import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { blockingModule, type BlockingApi } from '.';

const setup = () => {
  const host = new ModuleTestBed([blockingModule()]);
  return { host, ctx: host.ctx, api: () => host.api<BlockingApi>('xep0191-blocking') };
};
const list = (...jids: string[]) => stanza(`<blocklist xmlns='urn:xmpp:blocking'>${jids.map((j) => `<item jid='${j}'/>`).join('')}</blocklist>`);
const push = (kind: 'block' | 'unblock', jids: string[], from?: string) =>
  stanza(`<iq type='set' id='push1'${from ? ` from='${from}'` : ''}><${kind} xmlns='urn:xmpp:blocking'>${jids.map((j) => `<item jid='${j}'/>`).join('')}</${kind}></iq>`);

describe('XEP-0191 blocking', () => {
  it('fetches the list when online (so the server sends us pushes, §3.2) and reports it whole', async () => {
    const s = setup();
    await s.host.online();
    expect(s.ctx.sent.map(wire)).toEqual([`<iq type='get' id='id1'><blocklist xmlns='urn:xmpp:blocking'/></iq>`]);
    s.ctx.answerIq('id1', list('Romeo@Montague.net', 'iago@shakespeare.lit/evil', 'not@@valid', 'romeo@montague.net'));
    await flush();
    expect(s.ctx.eventsOf('blocklist.changed')).toEqual([{ type: 'blocklist.changed', blocked: ['romeo@montague.net', 'iago@shakespeare.lit/evil'], unblocked: [], replace: true }]);
    expect(s.api().current()).toEqual(['romeo@montague.net', 'iago@shakespeare.lit/evil']);
  });

  it('list() shares the running fetch; a later list() asks again', async () => {
    const s = setup();
    await s.host.online();
    const a = s.api().list();
    expect(s.ctx.pendingIqs()).toHaveLength(1);
    s.ctx.answerIq('id1', list('a@b'));
    await expect(a).resolves.toEqual(['a@b']);
    const b = s.api().list();
    s.ctx.answerIq('id2', list());
    await expect(b).resolves.toEqual([]);
    expect(s.ctx.eventsOf('blocklist.changed').at(-1)).toEqual({ type: 'blocklist.changed', blocked: [], unblocked: ['a@b'], replace: true });
  });

  it('a server without blocking only means no list', async () => {
    const s = setup();
    s.ctx.responder = () => new IqError('service-unavailable', 'cancel');
    await s.host.online();
    await flush();
    expect(s.api().current()).toBeUndefined();
    expect(s.ctx.events).toEqual([]);
  });

  it('block / unblock / unblockAll send §3.3 / §3.4 sets with normalized JIDs; nothing for an empty list', async () => {
    const s = setup();
    s.ctx.responder = (iq) => (iq.attr('type') === 'get' ? list() : null);
    await s.host.online();
    s.ctx.clear();
    await s.api().block(['Romeo@Montague.NET', 'romeo@montague.net', 'example.com']);
    await s.api().unblock(['romeo@montague.net']);
    await s.api().unblock([]);
    await s.api().block([]);
    await s.api().unblockAll();
    expect(s.ctx.sent.map(wire)).toEqual([
      `<iq type='set' id='id2'><block xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/><item jid='example.com'/></block></iq>`,
      `<iq type='set' id='id3'><unblock xmlns='urn:xmpp:blocking'><item jid='romeo@montague.net'/></unblock></iq>`,
      `<iq type='set' id='id4'><unblock xmlns='urn:xmpp:blocking'/></iq>`,
    ]);
    await expect(s.api().block(['@@'])).rejects.toThrow();
  });

  it('applies pushes from our account as deltas; an empty unblock clears everything', async () => {
    const s = setup();
    s.ctx.responder = () => list('a@x');
    await s.host.online();
    await flush();
    s.ctx.clear();
    expect(wire((await s.host.receive(push('block', ['b@x', 'a@x'])))!)).toBe(`<iq type='result' id='push1'/>`);
    await s.host.receive(push('unblock', ['a@x'], 'alice@example.org'));
    await s.host.receive(push('block', ['a@x'], 'ALICE@example.org'));
    await s.host.receive(push('unblock', []));
    expect(s.ctx.eventsOf('blocklist.changed')).toEqual([
      { type: 'blocklist.changed', blocked: ['b@x'], unblocked: [] },
      { type: 'blocklist.changed', blocked: [], unblocked: ['a@x'] },
      { type: 'blocklist.changed', blocked: ['a@x'], unblocked: [] },
      { type: 'blocklist.changed', blocked: [], unblocked: ['b@x', 'a@x'], replace: true },
    ]);
    expect(s.api().current()).toEqual([]);
  });

  it('rejects pushes from anyone else, even another resource of ours (§3.5: pushes come from the server)', async () => {
    const s = setup();
    s.ctx.responder = () => list();
    await s.host.online();
    await flush();
    s.ctx.clear();
    for (const from of ['mallory@evil.example', 'alice@example.org/other', 'example.org']) {
      const res = await s.host.receive(push('unblock', [], from));
      expect(res!.attr('type')).toBe('error');
      expect(res!.child('error')!.child('service-unavailable')).toBeDefined();
    }
    expect(s.ctx.eventsOf('blocklist.changed')).toEqual([]);
    expect(s.ctx.eventsOf('security.rejected')).toHaveLength(3);
  });
});
