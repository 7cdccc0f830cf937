import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { flush, ModuleTestBed, stanza, wire } from '../test-context';
import { discoModule } from '../xep0030-disco';
import { socks5Module, dstAddr, type Socks5Api, type StreamHost } from '.';
import { parseStreamHosts } from './parse';
import { testCrypto } from '../test-crypto';

const PEER = 'bob@example.org/laptop';
const setup = () => {
  const host = new ModuleTestBed([discoModule, socks5Module], { jid: 'alice@example.org/pc' });
  return { host, ctx: host.ctx, api: host.api<Socks5Api>('xep0065-socks5') };
};
const request = (from: string, sid = 's1', hosts = `<streamhost jid='bob@example.org/laptop' host='127.0.0.1' port='5086'/><streamhost jid='proxy.example.org' host='10.0.0.1' port='7777'/>`) =>
  stanza(`<iq type='set' id='r1' from='${from}'><query xmlns='http://jabber.org/protocol/bytestreams' sid='${sid}' mode='tcp'>${hosts}</query></iq>`);

describe('XEP-0065 SOCKS5 bytestreams (engine half)', () => {
  it('computes DST.ADDR as hex SHA-1(SID + requester + target) (§5.3.2)', () => {
    const expected = createHash('sha1').update('vxf9n471bn46requester@example.com/footarget@example.org/bar').digest('hex');
    expect(dstAddr({ crypto: testCrypto() }, 'vxf9n471bn46', 'requester@example.com/foo', 'target@example.org/bar')).toBe(expected);
  });

  it('refuses a request for a transfer the user has not accepted, without connecting anywhere', async () => {
    const { host } = setup();
    const res = await host.receive(request(PEER));
    expect(res!.child('error')!.elements()[0]!.name).toBe('not-acceptable');
  });

  it('hands the hosts of an expected request from that peer only to the connector, and answers with the one used', async () => {
    const { host, api } = setup();
    const seen: StreamHost[][] = [];
    api.expect(PEER, 's1', async (hosts) => {
      seen.push(hosts);
      return hosts[1]!;
    });
    const spoof = await host.receive(request('mallory@evil.example/x'));
    expect(spoof!.child('error')!.elements()[0]!.name).toBe('not-acceptable');
    expect(seen).toEqual([]);
    const res = await host.receive(request(PEER));
    expect(wire(res!)).toBe(`<iq type='result' id='r1' to='${PEER}'><query xmlns='http://jabber.org/protocol/bytestreams' sid='s1'><streamhost-used jid='proxy.example.org'/></query></iq>`);
    expect(seen[0]).toEqual([
      { jid: 'bob@example.org/laptop', host: '127.0.0.1', port: 5086 },
      { jid: 'proxy.example.org', host: '10.0.0.1', port: 7777 },
    ]);
    // used once: a replay is refused
    expect((await host.receive(request(PEER)))!.child('error')!.elements()[0]!.name).toBe('not-acceptable');
  });

  it('answers item-not-found when no host could be reached (§5.3.2)', async () => {
    const { host, api } = setup();
    api.expect(PEER, 's1', () => Promise.reject(new Error('no route')));
    const res = await host.receive(request(PEER));
    expect(res!.child('error')!.elements()[0]!.name).toBe('item-not-found');
  });

  it('drops streamhosts with bad hosts or ports and keeps at most 8', () => {
    const q = stanza(
      `<query xmlns='http://jabber.org/protocol/bytestreams'>` +
        `<streamhost jid='a@b/c' host='127.0.0.1'/>` + // default port 1080
        `<streamhost jid='a@b/c' host='-bad' port='1'/><streamhost jid='a@b/c' host='x.example' port='70000'/>` +
        `<streamhost jid='@@' host='x.example' port='1'/><streamhost jid='a@b/c' host='::1' port='9'/>` +
        Array.from({ length: 10 }, (_, i) => `<streamhost jid='p${i}.example' host='p${i}.example' port='1'/>`).join('') +
        `</query>`,
    );
    const hosts = parseStreamHosts(q);
    expect(hosts.slice(0, 2)).toEqual([
      { jid: 'a@b/c', host: '127.0.0.1', port: 1080 },
      { jid: 'a@b/c', host: '::1', port: 9 },
    ]);
    expect(hosts).toHaveLength(8);
  });

  it('finds the proxy by disco identity and asks it for its address (§4)', async () => {
    const { ctx, api } = setup();
    ctx.responder = (iq) => {
      const q = iq.elements()[0]!;
      if (q.ns.endsWith('#items')) return stanza(`<query xmlns='http://jabber.org/protocol/disco#items'><item jid='proxy.example.org'/><item jid='conference.example.org'/></query>`);
      if (q.ns.endsWith('#info') && iq.attr('to') === 'proxy.example.org') return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='proxy' type='bytestreams'/></query>`);
      if (q.ns.endsWith('#info')) return stanza(`<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/></query>`);
      return stanza(`<query xmlns='http://jabber.org/protocol/bytestreams'><streamhost jid='proxy.example.org' host='127.0.0.1' port='7777'/></query>`);
    };
    await expect(api.proxies()).resolves.toEqual([{ jid: 'proxy.example.org', host: '127.0.0.1', port: 7777 }]);
  });

  it('requester: accepts only a streamhost-used it offered; activates at the proxy', async () => {
    const { ctx, api } = setup();
    const hosts = [{ jid: 'alice@example.org/pc', host: '127.0.0.1', port: 1 }];
    const p = api.request(PEER, 's1', hosts);
    await flush();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(
      `<iq type='set' to='${PEER}' id='id1'><query xmlns='http://jabber.org/protocol/bytestreams' sid='s1' mode='tcp'><streamhost jid='alice@example.org/pc' host='127.0.0.1' port='1'/></query></iq>`,
    );
    ctx.answerIq('id1', stanza(`<query xmlns='http://jabber.org/protocol/bytestreams' sid='s1'><streamhost-used jid='evil.example'/></query>`));
    await expect(p).rejects.toThrow(/did not offer/);
    const a = api.activate('proxy.example.org', 's1', PEER);
    await flush();
    expect(wire(ctx.pendingIqs()[0]!)).toBe(`<iq type='set' to='proxy.example.org' id='id2'><query xmlns='http://jabber.org/protocol/bytestreams' sid='s1'><activate>${PEER}</activate></query></iq>`);
    ctx.answerIq('id2', null);
    await a;
  });
});
