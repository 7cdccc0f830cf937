import { describe, expect, it } from 'vitest';
import { IqError } from '../../module';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { siModule, SiDeclinedError, type SiApi } from '.';

const PEER = 'bob@example.org/laptop';
const setup = () => {
  const host = new ModuleTestBed([siModule], { jid: 'alice@example.org/pc' });
  return { host, ctx: host.ctx, api: host.api<SiApi>('xep0095-si') };
};
const methods = (...ms: string[]) =>
  `<feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='form'><field var='stream-method' type='list-single'>` +
  ms.map((m) => `<option><value>${m}</value></option>`).join('') +
  `</field></x></feature>`;
const S5 = 'http://jabber.org/protocol/bytestreams';
const IBB = 'http://jabber.org/protocol/ibb';
// XEP-0096 Example 1, shortened.
const offer = (from = PEER, sid = 'a0', profile = 'http://jabber.org/protocol/si/profile/file-transfer', ms = methods(S5, IBB), file = `<file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='test.txt' size='1022' hash='552da749930852c69ae5d2141d3766b1' date='1969-07-21T02:56:15Z'><desc>This is a test.</desc></file>`) =>
  stanza(`<iq type='set' id='offer1' from='${from}'><si xmlns='http://jabber.org/protocol/si' id='${sid}' mime-type='text/plain' profile='${profile}'>${file}${ms}</si></iq>`);
const errorOf = (res: { child(n: string): { elements(): { name: string }[] } | undefined } | undefined) => res?.child('error')?.elements()[0]?.name;

describe('XEP-0095/0096 stream initiation', () => {
  it('turns an offer into file.offered and answers only when the user accepts, with SOCKS5 preferred', async () => {
    const { host, ctx, api } = setup();
    let answered: ReturnType<typeof host.receive> | undefined = host.receive(offer());
    await flush();
    expect(ctx.eventsOf('file.offered')).toEqual([
      {
        type: 'file.offered',
        offer: { method: 'si', sid: 'a0', from: PEER, peer: 'bob@example.org', name: 'test.txt', size: 1022, mediaType: 'text/plain', desc: 'This is a test.', date: '1969-07-21T02:56:15Z', hashes: [] },
      },
    ]);
    expect(ctx.sent).toHaveLength(0); // nothing said before the user decides
    expect(api.accept('bob@example.org/laptop', 'a0')).toBe(S5);
    const res = await answered;
    answered = undefined;
    expect(wire(res!)).toBe(
      `<iq type='result' id='offer1' to='${PEER}'><si xmlns='http://jabber.org/protocol/si'><feature xmlns='http://jabber.org/protocol/feature-neg'>` +
        `<x xmlns='jabber:x:data' type='submit'><field var='stream-method'><value>${S5}</value></field></x></feature></si></iq>`,
    );
    expect(() => api.accept(PEER, 'a0')).toThrow(/no such pending offer/);
  });

  it('chooses IBB when that is all the sender offers, and declines with forbidden', async () => {
    const { host, api } = setup();
    const a = host.receive(offer(PEER, 'x1', undefined, methods(IBB, 'urn:unknown')));
    await flush();
    expect(api.accept(PEER, 'x1')).toBe(IBB);
    await a;
    const b = host.receive(offer(PEER, 'x2'));
    await flush();
    api.decline(PEER, 'x2');
    const res = await b;
    expect(errorOf(res)).toBe('forbidden');
    expect(res!.child('error')!.attr('type')).toBe('cancel');
  });

  it('refuses other profiles, unusable methods, files without name or size, duplicates', async () => {
    const { host, ctx } = setup();
    expect(errorOf(await host.receive(offer(PEER, 'p1', 'urn:other:profile')))).toBe('bad-request');
    expect(errorOf(await host.receive(offer(PEER, 'p2', undefined, methods('urn:only:this'))))).toBe('bad-request');
    expect(errorOf(await host.receive(offer(PEER, 'p3', undefined, methods(S5), `<file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='x'/>`)))).toBe('bad-request');
    void host.receive(offer(PEER, 'p4'));
    await flush();
    const again = offer(PEER, 'p4');
    again.attrs.id = 'offer2'; // a new iq (RFC 6120 §8.1.3: its own id) offering the same stream
    expect(errorOf(await host.receive(again))).toBe('conflict');
    expect(ctx.eventsOf('file.offered')).toHaveLength(1);
  });

  it('sends an offer and reads the chosen method; a decline is SiDeclinedError', async () => {
    const { ctx, api } = setup();
    const p = api.offer(PEER, 's1', { name: 'a.bin', size: 5 }, { mimeType: 'application/octet-stream' });
    await flush();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(
      `<iq type='set' to='${PEER}' id='id1'><si xmlns='http://jabber.org/protocol/si' id='s1' mime-type='application/octet-stream' profile='http://jabber.org/protocol/si/profile/file-transfer'>` +
        `<file xmlns='http://jabber.org/protocol/si/profile/file-transfer' name='a.bin' size='5'/>` +
        `<feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='form'><field var='stream-method' type='list-single'>` +
        `<option><value>${S5}</value></option><option><value>${IBB}</value></option></field></x></feature></si></iq>`,
    );
    ctx.answerIq('id1', stanza(`<si xmlns='http://jabber.org/protocol/si'><feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'><field var='stream-method'><value>${IBB}</value></field></x></feature></si>`));
    await expect(p).resolves.toBe(IBB);

    const d = api.offer(PEER, 's2', { name: 'a.bin', size: 5 });
    await flush();
    ctx.answerIq('id2', new IqError('forbidden', 'cancel', 'Offer Declined'));
    await expect(d).rejects.toBeInstanceOf(SiDeclinedError);

    const bad = api.offer(PEER, 's3', { name: 'a.bin', size: 5 }, { methods: [IBB] });
    await flush();
    ctx.answerIq('id3', stanza(`<si xmlns='http://jabber.org/protocol/si'><feature xmlns='http://jabber.org/protocol/feature-neg'><x xmlns='jabber:x:data' type='submit'><field var='stream-method'><value>${S5}</value></field></x></feature></si>`));
    await expect(bad).rejects.toThrow(/did not offer/);
  });

  it('withdraws pending offers when the stream ends', async () => {
    const { host, ctx } = setup();
    void host.receive(offer()).catch(() => undefined);
    await flush();
    host.offline();
    expect(ctx.eventsOf('file.withdrawn')).toEqual([{ type: 'file.withdrawn', method: 'si', sid: 'a0', from: PEER, reason: 'the connection to the server was lost' }]);
  });
});
