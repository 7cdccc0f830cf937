import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { encodeBase64 } from '../../util/base64';
import { ibbModule, type IbbApi, type IbbSink, type IbbState } from '.';

const PEER = 'bob@example.org/laptop';
const setup = () => {
  const host = new ModuleTestBed([ibbModule], { jid: 'alice@example.org/pc' });
  return { host, ctx: host.ctx, api: host.api<IbbApi>('xep0047-ibb') };
};

const recorder = () => {
  const got: { chunks: Uint8Array[]; closed: boolean; error?: string } = { chunks: [], closed: false };
  const sink: IbbSink = {
    data: (b) => void got.chunks.push(b),
    close: () => void (got.closed = true),
    error: (r) => void (got.error = r),
  };
  return { got, sink };
};

const openIq = (from: string, sid = 's1', bs = 4096, extra = '') =>
  stanza(`<iq type='set' id='o1' from='${from}'><open xmlns='http://jabber.org/protocol/ibb' sid='${sid}' block-size='${bs}'${extra}/></iq>`);
const dataIq = (from: string, seq: number, bytes: Uint8Array, sid = 's1', id = `d${seq}`) =>
  stanza(`<iq type='set' id='${id}' from='${from}'><data xmlns='http://jabber.org/protocol/ibb' sid='${sid}' seq='${seq}'>${encodeBase64(bytes)}</data></iq>`);
const closeIq = (from: string, sid = 's1') => stanza(`<iq type='set' id='c1' from='${from}'><close xmlns='http://jabber.org/protocol/ibb' sid='${sid}'/></iq>`);
const errorOf = (res: { child(n: string): { elements(): { name: string }[] } | undefined } | undefined) => res?.child('error')?.elements()[0]?.name;

describe('XEP-0047 IBB: receiving', () => {
  it('refuses a session nobody expects, and one from anyone but the negotiated peer', async () => {
    const { host, ctx, api } = setup();
    expect(errorOf(await host.receive(openIq(PEER)))).toBe('not-acceptable');
    api.expect(PEER, 's1', recorder().sink);
    expect(errorOf(await host.receive(openIq('mallory@evil.example/x')))).toBe('not-acceptable');
    expect(ctx.eventsOf('security.rejected')).toEqual([{ type: 'security.rejected', what: expect.stringContaining('XEP-0047'), from: 'mallory@evil.example/x' }]);
    expect(errorOf(await host.receive(openIq('bob@example.org')))).toBe('not-acceptable'); // bare ≠ the negotiated full JID
    const ok = await host.receive(openIq(PEER));
    expect(ok!.attr('type')).toBe('result');
  });

  it('takes blocks in order and ends with the sender’s close', async () => {
    const { host, api } = setup();
    const { got, sink } = recorder();
    api.expect(PEER, 's1', sink);
    await host.receive(openIq(PEER));
    expect((await host.receive(dataIq(PEER, 0, new Uint8Array([1, 2, 3]))))!.attr('type')).toBe('result');
    expect((await host.receive(dataIq(PEER, 1, new Uint8Array([4]))))!.attr('type')).toBe('result');
    expect((await host.receive(closeIq(PEER)))!.attr('type')).toBe('result');
    expect(got.chunks.map((c) => [...c])).toEqual([[1, 2, 3], [4]]);
    expect(got.closed).toBe(true);
    // Gone after the close: more data is for an unknown session.
    expect(errorOf(await host.receive(dataIq(PEER, 2, new Uint8Array([5]))))).toBe('item-not-found');
  });

  it('ignores data and close from another JID for the same sid', async () => {
    const { host, api } = setup();
    const { got, sink } = recorder();
    api.expect(PEER, 's1', sink);
    await host.receive(openIq(PEER));
    expect(errorOf(await host.receive(dataIq('mallory@evil.example/x', 0, new Uint8Array([9]))))).toBe('item-not-found');
    expect(errorOf(await host.receive(dataIq('bob@example.org/other', 0, new Uint8Array([9]))))).toBe('item-not-found');
    expect(errorOf(await host.receive(closeIq('mallory@evil.example/x')))).toBe('item-not-found');
    await host.receive(dataIq(PEER, 0, new Uint8Array([1])));
    expect(got.chunks).toHaveLength(1);
    expect(got.closed).toBe(false);
  });

  it('wraps the sequence number from 65535 to 0', async () => {
    const { host, api } = setup();
    const { got, sink } = recorder();
    api.expect(PEER, 's1', sink);
    await host.receive(openIq(PEER));
    host.state<IbbState>('xep0047-ibb').incoming.values().next().value!.seq = 65535;
    expect((await host.receive(dataIq(PEER, 65535, new Uint8Array([1]))))!.attr('type')).toBe('result');
    expect((await host.receive(dataIq(PEER, 0, new Uint8Array([2]))))!.attr('type')).toBe('result');
    expect(got.chunks).toHaveLength(2);
    expect(got.error).toBeUndefined();
  });

  it('closes the session on an out-of-order or replayed block (unexpected-request)', async () => {
    const { host, api } = setup();
    const { got, sink } = recorder();
    api.expect(PEER, 's1', sink);
    await host.receive(openIq(PEER));
    await host.receive(dataIq(PEER, 0, new Uint8Array([1])));
    expect(errorOf(await host.receive(dataIq(PEER, 0, new Uint8Array([1]), 's1', 'replay')))).toBe('unexpected-request');
    expect(got.error).toMatch(/block 0 arrived where 1 was expected/);
    expect(errorOf(await host.receive(dataIq(PEER, 1, new Uint8Array([1]))))).toBe('item-not-found');
  });

  it('refuses blocks larger than negotiated, a block size above 65535, bad base64, and stanza=message', async () => {
    const { host, api } = setup();
    const a = recorder();
    api.expect(PEER, 's1', a.sink);
    expect(errorOf(await host.receive(openIq(PEER, 's1', 65536)))).toBe('resource-constraint');
    await host.receive(openIq(PEER, 's1', 4));
    expect(errorOf(await host.receive(dataIq(PEER, 0, new Uint8Array(5))))).toBe('bad-request');
    expect(a.got.error).toMatch(/larger/);
    const b = recorder();
    api.expect(PEER, 's2', b.sink);
    await host.receive(openIq(PEER, 's2'));
    const bad = stanza(`<iq type='set' id='x' from='${PEER}'><data xmlns='http://jabber.org/protocol/ibb' sid='s2' seq='0'>!!notbase64</data></iq>`);
    expect(errorOf(await host.receive(bad))).toBe('bad-request');
    const c = recorder();
    api.expect(PEER, 's3', c.sink);
    expect(errorOf(await host.receive(openIq(PEER, 's3', 4096, ` stanza='message'`)))).toBe('feature-not-implemented');
  });

  it('holds the ack until the sink has written the block (flow control), and refuses when it throws', async () => {
    const { host, api } = setup();
    let release!: () => void;
    let n = 0;
    api.expect(PEER, 's1', {
      data: () => {
        if (++n === 1) return new Promise<void>((r) => (release = r));
        throw new Error('more than declared');
      },
      close() {},
      error() {},
    });
    await host.receive(openIq(PEER));
    let answered = false;
    const res = host.receive(dataIq(PEER, 0, new Uint8Array([1]))).then((r) => ((answered = true), r));
    await flush();
    expect(answered).toBe(false);
    release();
    expect((await res)!.attr('type')).toBe('result');
    expect(errorOf(await host.receive(dataIq(PEER, 1, new Uint8Array([1]))))).toBe('not-acceptable');
  });

  it('reports a broken session when the stream ends', async () => {
    const { host, api } = setup();
    const { got, sink } = recorder();
    api.expect(PEER, 's1', sink);
    await host.receive(openIq(PEER));
    host.offline();
    expect(got.error).toMatch(/connection/);
  });
});

describe('XEP-0047 IBB: sending', () => {
  it('asks again with a smaller block size after resource-constraint', async () => {
    const { ctx, api } = setup();
    ctx.responder = (iq) => {
      const bs = Number(iq.child('open')?.attr('block-size'));
      return bs > 8192 ? new IqError('resource-constraint', 'modify') : null;
    };
    const out = await api.open(PEER, 's1');
    expect(out.blockSize).toBe(8192);
    expect(ctx.sent.map((e) => e.child('open')!.attr('block-size'))).toEqual(['32768', '8192']);
    expect(wire(ctx.sent[1]!)).toBe(`<iq type='set' to='${PEER}' id='id2'><open xmlns='http://jabber.org/protocol/ibb' sid='s1' block-size='8192' stanza='iq'/></iq>`);
  });

  it('keeps up to `window` blocks in flight, numbers them with wrap-around, and closes after the last ack', async () => {
    const { host, ctx, api } = setup();
    ctx.responder = (iq) => (iq.child('open') ? null : undefined);
    const out = await api.open(PEER, 's1', { blockSize: 4, window: 2 });
    ctx.clear();
    await out.write(new Uint8Array([1, 2, 3, 4]));
    let second = false;
    const w2 = out.write(new Uint8Array([5])).then(() => (second = true));
    await flush();
    expect(second).toBe(false); // two in flight: the window is full
    expect(ctx.pendingIqs().map((q) => q.child('data')!.attr('seq'))).toEqual(['0', '1']);
    expect(ctx.pendingIqs()[0]!.child('data')!.text()).toBe('AQIDBA==');
    ctx.answerIq(ctx.pendingIqs()[0]!.attr('id')!, null);
    await w2;
    await expect(out.write(new Uint8Array(5))).rejects.toThrow(/exceeds 4/);
    const closing = out.close();
    await flush();
    expect(ctx.sent.some((e) => e.child('close'))).toBe(false); // block 1 is not acknowledged yet
    ctx.answerIq(ctx.pendingIqs()[0]!.attr('id')!, null);
    await flush();
    const close = ctx.pendingIqs().find((q) => q.child('close'))!;
    expect(close.child('close')!.attr('sid')).toBe('s1');
    ctx.answerIq(close.attr('id')!, null);
    await closing;
    await expect(out.ended).resolves.toEqual({});
    void host;
  });

  it('wraps its own sequence numbers after 65535', async () => {
    const { ctx, api } = setup();
    ctx.responder = () => null;
    const out = await api.open(PEER, 's1', { blockSize: 1, window: 1 });
    for (let i = 0; i < 65537; i++) await out.write(new Uint8Array([i & 255]));
    const seqs = ctx.sent.filter((e) => e.child('data')).map((e) => e.child('data')!.attr('seq'));
    expect(seqs.slice(65534)).toEqual(['65534', '65535', '0']);
  });

  it('fails when the receiver refuses a block or closes the session', async () => {
    const { host, ctx, api } = setup();
    ctx.responder = (iq) => (iq.child('open') ? null : new IqError('not-acceptable', 'cancel'));
    const out = await api.open(PEER, 's1', { blockSize: 8, window: 1 });
    await expect(out.write(new Uint8Array([1]))).rejects.toThrow(/refused a block \(not-acceptable\)/);
    await expect(out.ended).resolves.toEqual({ reason: 'the receiver refused a block (not-acceptable)' });

    ctx.responder = () => undefined;
    const p = api.open(PEER, 's2', { blockSize: 8, window: 4 });
    ctx.answerIq((q) => !!q.child('open'), null);
    const out2 = await p;
    // Someone else cannot close it; the peer can.
    expect(errorOf(await host.receive(closeIq('mallory@evil.example/x', 's2')))).toBe('item-not-found');
    expect((await host.receive(closeIq(PEER, 's2')))!.attr('type')).toBe('result');
    await expect(out2.ended).resolves.toEqual({ reason: 'the receiver closed the stream' });
    await expect(out2.write(new Uint8Array([1]))).rejects.toThrow(/closed the stream/);
  });
});
