import { describe, expect, it } from 'vitest';
import { defineModule, IqError, NS } from '../module';
import { x } from '../xml/element';
import { ModuleHost, stanza, TEST_NOW, TestContext, wire } from './test-context';

describe('TestContext', () => {
  it('derives bare JID and domain, counts ids, and has a manual clock', () => {
    const ctx = new TestContext({ jid: 'bob@example.net/phone' });
    expect([ctx.bareJid, ctx.domain]).toEqual(['bob@example.net', 'example.net']);
    expect([ctx.id(), ctx.id()]).toEqual(['id1', 'id2']);
    expect(ctx.clock.now()).toBe(TEST_NOW);
    ctx.advance(1500);
    expect(ctx.clock.now()).toBe(TEST_NOW + 1500);
  });

  it('records iqs, assigns ids, and settles them from answerIq', async () => {
    const ctx = new TestContext();
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
    const ctx = new TestContext();
    const short = ctx.iq(x('iq', { type: 'get' }), 1000).catch((err: unknown) => err);
    const long = ctx.iq(x('iq', { type: 'get' }), 5000);
    ctx.advance(999);
    expect(ctx.pendingIqs()).toHaveLength(2);
    ctx.advance(1);
    const e = await short;
    expect(e).toBeInstanceOf(IqError);
    expect((e as IqError).el).toBeUndefined();
    ctx.endStream();
    await expect(long).rejects.toThrow('stream ended');
  });

  it('answers automatically through a responder', async () => {
    const ctx = new TestContext();
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

describe('ModuleHost', () => {
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
    const host = new ModuleHost([echo, other]);
    const ok = await host.receive(stanza(`<iq type='get' id='q1' from='bob@example.org/x'><q xmlns='urn:test:echo'/></iq>`));
    expect(wire(ok!)).toBe(`<iq type='result' id='q1' to='bob@example.org/x'><q xmlns='urn:test:echo' n='q1'/></iq>`);
    const denied = await host.receive(stanza(`<iq type='set' id='q2'><q xmlns='urn:test:echo'/></iq>`));
    expect(wire(denied!)).toContain(`<not-allowed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>`);
    const unknown = await host.receive(stanza(`<iq type='get' id='q3'><nope xmlns='urn:test:none'/></iq>`));
    expect(wire(unknown!)).toContain('<service-unavailable');
    expect(host.ctx.sentOf('iq')).toHaveLength(3);
  });

  it('dispatches messages in order until one consumes them, and unions features', async () => {
    const host = new ModuleHost([echo, other]);
    await host.receive(stanza(`<message id='mine'/>`));
    await host.receive(stanza(`<message id='theirs'/>`));
    expect(host.api<{ seen(): string[] }>('echo').seen()).toEqual(['mine', 'theirs']);
    expect(host.api<{ seen(): string[] }>('other').seen()).toEqual(['theirs']);
    expect(host.ctx.features()).toEqual(['urn:test:echo', NS.ping]);
  });

  it('gives every module fresh state on a new stream', async () => {
    const host = new ModuleHost([echo]);
    await host.receive(stanza(`<message id='a'/>`));
    host.startStream();
    expect(host.api<{ seen(): string[] }>('echo').seen()).toEqual([]);
  });
});
