import { describe, expect, it } from 'vitest';
import { defineModule, IqError, NS } from '../module';
import { x } from '../xml/element';
import { ModuleTestBed, stanza, TEST_NOW, wire } from './test-context';

const bare = (jid?: string) => new ModuleTestBed([], jid ? { jid } : {});

describe('TestContext', () => {
  it('derives bare JID and domain, counts ids, and has a manual clock', () => {
    const { ctx } = bare('bob@example.net/phone');
    expect([ctx.bareJid, ctx.domain]).toEqual(['bob@example.net', 'example.net']);
    expect([ctx.id(), ctx.id()]).toEqual(['id1', 'id2']);
    expect(ctx.clock.now()).toBe(TEST_NOW);
    ctx.advance(1500);
    expect(ctx.clock.now()).toBe(TEST_NOW + 1500);
  });

  it('records iqs, assigns ids, and settles them from answerIq', async () => {
    const { ctx } = bare();
    const ok = ctx.iq(x('iq', { type: 'get', to: 'example.org' }, x('query', { xmlns: NS.version })));
    const bad = ctx.iq(x('iq', { type: 'get', to: 'example.org' }, x('ping', { xmlns: NS.ping }))).catch((e: unknown) => e);
    expect(ctx.pendingIqs().map((e) => e.attr('id'))).toEqual(['id1', 'id2']);
    ctx.answerIq('id1', x('query', { xmlns: NS.version }));
    ctx.answerIq((iq) => iq.child('ping') !== undefined, new IqError('item-not-found', 'cancel'));
    const res = await ok;
    expect(wire(res)).toBe(`<iq type='result' id='id1' from='example.org'><query xmlns='${NS.version}'/></iq>`);
    const err = await bad;
    expect(err).toBeInstanceOf(IqError);
    expect((err as IqError).condition).toBe('item-not-found');
    expect((err as IqError).el?.attr('type')).toBe('error');
    expect(ctx.pendingIqs()).toEqual([]);
  });

  it('times out iqs when the clock passes their deadline, and ends them with the stream', async () => {
    const bed = bare();
    const { ctx } = bed;
    const short = ctx.iq(x('iq', { type: 'get' }), 1000).catch((err: unknown) => err);
    const long = ctx.iq(x('iq', { type: 'get' }), 5000);
    ctx.advance(999);
    expect(ctx.pendingIqs()).toHaveLength(2);
    ctx.advance(1);
    const e = await short;
    expect(e).toBeInstanceOf(IqError);
    expect((e as IqError).el).toBeUndefined();
    bed.offline();
    await expect(long).rejects.toThrow('stream ended');
  });

  it('answers automatically through a responder', async () => {
    const { ctx } = bare();
    ctx.responder = (iq) => (iq.attr('to') === 'a@b' ? null : undefined);
    await expect(ctx.iq(x('iq', { type: 'get', to: 'a@b' }))).resolves.toBeDefined();
    void ctx.iq(x('iq', { type: 'get', to: 'c@d' }));
    expect(ctx.pendingIqs()).toHaveLength(1);
  });

  it('parses stanzas inside a jabber:client stream', () => {
    const el = stanza(`<message from='a@b'><body>hi</body></message>`);
    expect(el.ns).toBe(NS.client);
    expect(el.child('body')?.ns).toBe(NS.client);
  });
});

describe('ModuleTestBed', () => {
  const echo = defineModule<{ seen: string[] }, { seen(): string[] }>({
    name: 'echo',
    features: ['urn:test:echo', NS.ping],
    init: () => ({ seen: [] }),
    iq: [
      { type: 'get', ns: 'urn:test:echo', child: 'q', handle: (iq) => x('q', { xmlns: 'urn:test:echo', n: iq.attr('id') }) },
      { type: 'set', ns: 'urn:test:echo', child: 'q', handle: () => { throw new IqError('not-allowed', 'cancel', 'no'); } },
    ],
    message(el, _ctx, state) {
      state.seen.push(el.attr('id') ?? '');
      return el.attr('id') === 'mine';
    },
    api: (_ctx, state) => ({ seen: () => state.seen }),
  });
  const other = defineModule<{ seen: string[] }, { seen(): string[] }>({
    name: 'other',
    features: [NS.ping],
    init: () => ({ seen: [] }),
    message(el, _ctx, state) {
      state.seen.push(el.attr('id') ?? '');
    },
    api: (_ctx, state) => ({ seen: () => state.seen }),
  });

  it('routes iqs to handlers and answers unknown ones with service-unavailable', async () => {
    const host = new ModuleTestBed([echo, other]);
    const ok = await host.receive(stanza(`<iq type='get' id='q1' from='bob@example.org/x'><q xmlns='urn:test:echo'/></iq>`));
    expect(wire(ok!)).toBe(`<iq type='result' id='q1' to='bob@example.org/x'><q xmlns='urn:test:echo' n='q1'/></iq>`);
    const denied = await host.receive(stanza(`<iq type='set' id='q2'><q xmlns='urn:test:echo'/></iq>`));
    expect(wire(denied!)).toContain(`<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>`);
    const unknown = await host.receive(stanza(`<iq type='get' id='q3'><nope xmlns='urn:test:none'/></iq>`));
    expect(wire(unknown!)).toContain('<service-unavailable');
    expect(host.ctx.sentOf('iq')).toHaveLength(3);
  });

  it('dispatches messages in order until one consumes them, and unions features', async () => {
    const host = new ModuleTestBed([echo, other]);
    await host.receive(stanza(`<message id='mine'/>`));
    await host.receive(stanza(`<message id='theirs'/>`));
    expect(host.api<{ seen(): string[] }>('echo').seen()).toEqual(['mine', 'theirs']);
    expect(host.api<{ seen(): string[] }>('other').seen()).toEqual(['theirs']);
    expect(host.ctx.features()).toEqual(['urn:test:echo', NS.ping]);
  });

  it('gives every module fresh state on a new stream', async () => {
    const host = new ModuleTestBed([echo]);
    await host.receive(stanza(`<message id='a'/>`));
    host.startStream();
    expect(host.api<{ seen(): string[] }>('echo').seen()).toEqual([]);
    expect(host.state<{ seen: string[] }>('echo').seen).toEqual([]);
  });

  it('routes as the app does: bad-request for an iq with two payloads, no answer to an iq without an id', async () => {
    const host = new ModuleTestBed([echo]);
    const two = await host.receive(stanza(`<iq type='get' id='t1'><q xmlns='urn:test:echo'/><q xmlns='urn:test:echo'/></iq>`));
    expect(wire(two!)).toContain(`<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>`);
    expect(await host.receive(stanza(`<iq type='get'><q xmlns='urn:test:echo'/></iq>`))).toBeUndefined();
    expect(host.ctx.sent).toEqual([two]);
  });

  it('takes an iq answer only from the entity asked (RFC 6120 §8.1.2.1)', async () => {
    const { ctx } = new ModuleTestBed([]);
    const p = ctx.iq(x('iq', { type: 'get', to: 'bob@example.org/x' }, x('ping', { xmlns: NS.ping })));
    expect(ctx.receiveIqResponse(stanza(`<iq type='result' id='id1' from='mallory@example.org/x'/>`))).toBe(false);
    expect(ctx.pendingIqs()).toHaveLength(1);
    expect(ctx.receiveIqResponse(stanza(`<iq type='result' id='id1' from='bob@example.org/x'/>`))).toBe(true);
    await expect(p).resolves.toBeDefined();
  });

  it('ends the stream as the connection does: pending iqs rejected, the module APIs gone', async () => {
    const host = new ModuleTestBed([echo]);
    const p = host.ctx.iq(x('iq', { type: 'get', to: 'example.org' }, x('ping', { xmlns: NS.ping })));
    host.offline();
    await expect(p).rejects.toThrow('the stream ended');
    expect(() => host.api('echo')).toThrow(/not active/);
    expect(() => host.ctx.id()).toThrow(/no stream/);
  });

  it('refuses to wait for two answers under one id (they could not be told apart)', () => {
    const slow = defineModule({ name: 'slow', iq: [{ type: 'get', ns: 'urn:test:slow', child: 'q', handle: () => new Promise<null>(() => {}) }] });
    const host = new ModuleTestBed([slow]);
    void host.receive(stanza(`<iq type='get' id='s1'><q xmlns='urn:test:slow'/></iq>`));
    expect(() => host.receive(stanza(`<iq type='get' id='s1'><q xmlns='urn:test:slow'/></iq>`))).toThrow(/still awaits its answer/);
  });
});
