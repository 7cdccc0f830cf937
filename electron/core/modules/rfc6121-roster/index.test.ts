import { describe, expect, it } from 'vitest';
import { IqError, NS } from '../../module';
import type { Contact } from '../../../../shared/domain';
import { JidError } from '../../../../shared/jid';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { rosterModule, type RosterApi, type RosterOptions } from '.';

const setup = (opts: RosterOptions = {}) => {
  const host = new ModuleTestBed([rosterModule(opts)]);
  return { host, ctx: host.ctx, api: () => host.api<RosterApi>('rfc6121-roster') };
};

const R = `xmlns='jabber:iq:roster'`;
const bob: Contact = { jid: 'bob@example.org', name: 'Bob', groups: ['Friends'], subscription: 'both' };
const carol: Contact = { jid: 'carol@example.net', groups: [], subscription: 'to' };

const push = (item: string, from?: string, ver?: string) =>
  stanza(`<iq type='set' id='push1'${from ? ` from='${from}'` : ''}><query ${R}${ver ? ` ver='${ver}'` : ''}>${item}</query></iq>`);

describe('RFC 6121 roster: fetch', () => {
  it('fetches the roster and emits it as a complete set', async () => {
    const { host, ctx, api } = setup();
    const online = host.online();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(`<iq type='get' id='id1'><query ${R}/></iq>`);
    ctx.answerIq(
      'id1',
      stanza(
        `<query ${R} ver='v1'><item jid='bob@example.org' name='Bob' subscription='both'><group>Friends</group></item>` +
          `<item jid='carol@example.net' subscription='to'/></query>`,
      ),
    );
    await online;
    expect(ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', replace: true, upserted: [bob, carol], removed: [], ver: 'v1' }]);
    expect(api().items()).toEqual([bob, carol]);
  });

  it('asks with ver="" when versioning is supported and there is no cache (RFC 6121 §2.6.2)', async () => {
    const { host, ctx } = setup({ rosterVersioning: () => true });
    void host.online();
    expect(ctx.pendingIqs()[0]!.child('query', NS.roster)!.attr('ver')).toBe('');
  });

  it('sends the cached ver; an empty result keeps the cached roster (§2.6.3)', async () => {
    const { host, ctx, api } = setup({ rosterVersioning: () => true, loadCache: () => ({ ver: 'v7', items: [bob, carol] }) });
    const online = host.online();
    expect(ctx.pendingIqs()[0]!.child('query', NS.roster)!.attr('ver')).toBe('v7');
    ctx.answerIq('id1', null);
    await online;
    expect(ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', replace: true, upserted: [bob, carol], removed: [], ver: 'v7' }]);
    expect(api().items()).toEqual([bob, carol]);
  });

  it('replaces the cache when the server sends the whole roster despite a ver', async () => {
    const { host, ctx, api } = setup({ rosterVersioning: () => true, loadCache: () => ({ ver: 'v7', items: [bob, carol] }) });
    const online = host.online();
    ctx.answerIq('id1', stanza(`<query ${R} ver='v9'><item jid='carol@example.net' subscription='to'/></query>`));
    await online;
    expect(ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', replace: true, upserted: [carol], removed: [], ver: 'v9' }]);
    expect(api().items()).toEqual([carol]);
  });

  it('never sends ver when the server did not announce versioning (§2.6.1)', async () => {
    const { host, ctx } = setup({ rosterVersioning: () => false, loadCache: () => ({ ver: 'v7', items: [bob] }) });
    void host.online();
    expect(ctx.pendingIqs()[0]!.child('query', NS.roster)!.attr('ver')).toBeUndefined();
  });

  it('sends a cached ver when versioning support is not known', async () => {
    const { host, ctx } = setup({ loadCache: () => ({ ver: 'v3', items: [] }) });
    void host.online();
    expect(ctx.pendingIqs()[0]!.child('query', NS.roster)!.attr('ver')).toBe('v3');
  });

  it('applies pushes that arrive during the fetch after the fetch result, not before', async () => {
    const { host, ctx, api } = setup({ rosterVersioning: () => true, loadCache: () => ({ ver: 'v7', items: [bob] }) });
    const online = host.online();
    const ack = await host.receive(push(`<item jid='dave@example.org' subscription='none'/>`, undefined, 'v8'));
    expect(ack!.attr('type')).toBe('result');
    ctx.answerIq('id1', null);
    await online;
    const events = ctx.eventsOf('roster.changed');
    expect(events.map((e) => [e.replace ?? false, e.upserted.map((c) => c.jid), e.ver])).toEqual([
      [true, ['bob@example.org'], 'v7'],
      [false, ['dave@example.org'], 'v8'],
    ]);
    expect(api().items().map((c) => c.jid)).toEqual(['bob@example.org', 'dave@example.org']);
  });

  it('falls back to the cache when the fetch fails', async () => {
    const { host, ctx } = setup({ loadCache: () => ({ ver: 'v7', items: [bob] }) });
    const online = host.online();
    ctx.answerIq('id1', new IqError('internal-server-error', 'wait'));
    await online;
    expect(ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', replace: true, upserted: [bob], removed: [], ver: 'v7' }]);
  });

  it('emits nothing when the stream ends during the fetch', async () => {
    const { host, ctx } = setup({ loadCache: () => ({ ver: 'v7', items: [bob] }) });
    const online = host.online();
    host.offline();
    await online;
    expect(ctx.events).toEqual([]);
  });
});

describe('RFC 6121 roster: item parsing', () => {
  it('normalizes JIDs, skips invalid ones, dedupes groups, and reads ask/approved', async () => {
    const { host, ctx, api } = setup();
    const online = host.online();
    ctx.answerIq(
      'id1',
      stanza(
        `<query ${R}>` +
          `<item jid='Bob@Example.ORG' name=''><group>A</group><group>A</group><group></group><group>B</group></item>` +
          `<item jid='not a jid@@x'/><item name='no jid'/>` +
          `<item jid='eve@example.org' subscription='weird' ask='subscribe' approved='true'/>` +
          `<item jid='frank@example.org' subscription='from' ask='unsubscribe' approved='false'/>` +
          `<item jid='gone@example.org' subscription='remove'/>` +
          `</query>`,
      ),
    );
    await online;
    expect(api().items()).toEqual([
      { jid: 'bob@example.org', groups: ['A', 'B'], subscription: 'none' },
      { jid: 'eve@example.org', groups: [], subscription: 'none', ask: true, approved: true },
      { jid: 'frank@example.org', groups: [], subscription: 'from' },
    ]);
  });
});

describe('RFC 6121 roster: pushes (§2.1.6)', () => {
  const online = async (s: ReturnType<typeof setup>) => {
    const done = s.host.online();
    s.ctx.answerIq('id1', stanza(`<query ${R} ver='v1'><item jid='bob@example.org' name='Bob' subscription='both'><group>Friends</group></item></query>`));
    await done;
    s.ctx.clear();
  };

  it.each([
    ['without from', undefined],
    ['from our bare JID', 'alice@example.org'],
    ['from our full JID', 'alice@example.org/flint'],
    ['from our bare JID, other case', 'Alice@EXAMPLE.org'],
  ])('accepts a push %s', async (_label, from) => {
    const s = setup();
    await online(s);
    const ack = await s.host.receive(push(`<item jid='carol@example.net' subscription='to'/>`, from, 'v2'));
    expect(wire(ack!)).toBe(from ? `<iq type='result' id='push1' to='${from}'/>` : `<iq type='result' id='push1'/>`);
    expect(s.ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', upserted: [carol], removed: [], ver: 'v2' }]);
    expect(s.api().items()).toEqual([bob, carol]);
  });

  it.each([
    ['another user', 'mallory@evil.example'],
    ['another resource of a lookalike', 'alice@example.org.evil.example/flint'],
    ['our own server', 'example.org'],
    ['an invalid JID', 'a@@b'],
  ])('rejects a push from %s: security.rejected, error answer, roster unchanged', async (_label, from) => {
    const s = setup();
    await online(s);
    const ack = await s.host.receive(push(`<item jid='bob@example.org' subscription='remove'/>`, from));
    expect(ack!.attr('type')).toBe('error');
    expect(ack!.child('error')!.child('service-unavailable', NS.stanzas)).toBeDefined();
    expect(s.ctx.eventsOf('security.rejected')).toEqual([{ type: 'security.rejected', what: expect.stringContaining('roster push'), from }]);
    expect(s.ctx.eventsOf('roster.changed')).toEqual([]);
    expect(s.api().items()).toEqual([bob]);
  });

  it('removes an item on subscription="remove"', async () => {
    const s = setup();
    await online(s);
    await s.host.receive(push(`<item jid='bob@example.org' subscription='remove'/>`, undefined, 'v3'));
    expect(s.ctx.eventsOf('roster.changed')).toEqual([{ type: 'roster.changed', upserted: [], removed: ['bob@example.org'], ver: 'v3' }]);
    expect(s.api().items()).toEqual([]);
  });

  it('updates an existing item in place', async () => {
    const s = setup();
    await online(s);
    await s.host.receive(push(`<item jid='bob@example.org' name='Robert' subscription='both'/>`));
    expect(s.api().items()).toEqual([{ jid: 'bob@example.org', name: 'Robert', groups: [], subscription: 'both' }]);
  });

  it.each([
    ['two items', `<item jid='a@example.org'/><item jid='b@example.org'/>`],
    ['no item', ``],
    ['an invalid JID', `<item jid='@example.org'/>`],
  ])('answers bad-request to a push with %s', async (_label, items) => {
    const s = setup();
    await online(s);
    const ack = await s.host.receive(push(items));
    expect(ack!.child('error')!.child('bad-request', NS.stanzas)).toBeDefined();
    expect(s.ctx.eventsOf('roster.changed')).toEqual([]);
  });
});

describe('RFC 6121 roster: api', () => {
  const withBob = async () => {
    const s = setup();
    const done = s.host.online();
    s.ctx.answerIq('id1', stanza(`<query ${R}><item jid='bob@example.org' name='Bob' subscription='both'><group>Friends</group></item></query>`));
    await done;
    s.ctx.clear();
    return s;
  };

  it('add() sends a roster set with name and groups (§2.3), bare JID, deduped groups', async () => {
    const s = await withBob();
    const added = s.api().add('Dave@Example.org/phone', 'Dave', ['Work', 'Work', '']);
    const [iq] = s.ctx.pendingIqs();
    expect(wire(iq!)).toBe(`<iq type='set' id='id2'><query ${R}><item jid='dave@example.org' name='Dave'><group>Work</group></item></query></iq>`);
    s.ctx.answerIq('id2', null);
    await added;
  });

  it('update() changes only what is given', async () => {
    const s = await withBob();
    void s.api().update('bob@example.org', { groups: ['Family'] });
    expect(wire(s.ctx.pendingIqs()[0]!)).toBe(`<iq type='set' id='id2'><query ${R}><item jid='bob@example.org' name='Bob'><group>Family</group></item></query></iq>`);
    void s.api().update('bob@example.org', { name: 'Robert' });
    expect(wire(s.ctx.pendingIqs()[1]!)).toBe(`<iq type='set' id='id3'><query ${R}><item jid='bob@example.org' name='Robert'><group>Friends</group></item></query></iq>`);
    void s.api().update('bob@example.org', { name: '' });
    expect(s.ctx.pendingIqs()[2]!.child('query')!.child('item')!.attr('name')).toBeUndefined();
  });

  it('remove() sends subscription="remove" (§2.5)', async () => {
    const s = await withBob();
    const removed = s.api().remove('bob@example.org');
    expect(wire(s.ctx.pendingIqs()[0]!)).toBe(`<iq type='set' id='id2'><query ${R}><item jid='bob@example.org' subscription='remove'/></query></iq>`);
    s.ctx.answerIq('id2', new IqError('item-not-found', 'cancel'));
    await expect(removed).rejects.toMatchObject({ condition: 'item-not-found' });
  });

  it('rejects invalid JIDs before sending anything', async () => {
    const s = await withBob();
    await expect(s.api().add('not a jid@@')).rejects.toBeInstanceOf(JidError);
    await flush();
    expect(s.ctx.sent).toEqual([]);
  });
});
