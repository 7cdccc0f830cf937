import { describe, expect, it } from 'vitest';
import { orderSrv, resolveEndpoints, ServiceUnavailableError } from './resolve';
import type { DnsPort, SrvRecord } from './resolve';

/** mulberry32: a small seeded PRNG so weighted ordering is reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dnsErr(code: string): Error {
  return Object.assign(new Error(`querySrv ${code}`), { code });
}

/** A DnsPort answering from a table; names missing from it fail with `missing` (ENODATA by default). */
function fakeDns(table: Record<string, SrvRecord[] | Error>, missing = 'ENODATA'): DnsPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async resolveSrv(name) {
      asked.push(name);
      const v = table[name];
      if (v instanceof Error) throw v;
      if (!v) throw dnsErr(missing);
      return v;
    },
  };
}

const srv = (name: string, port: number, priority: number, weight: number): SrvRecord => ({ name, port, priority, weight });
const XMPPS = '_xmpps-client._tcp.example.test';
const XMPP = '_xmpp-client._tcp.example.test';

describe('resolveEndpoints', () => {
  it('uses the override host alone, with the default port of the TLS mode, without asking DNS', async () => {
    const dns = fakeDns({});
    expect(await resolveEndpoints('example.test', { host: 'xmpp.example.net', tlsMode: 'starttls' }, dns)).toEqual([
      { host: 'xmpp.example.net', port: 5222, directTls: false, source: 'override' },
    ]);
    expect(await resolveEndpoints('example.test', { host: 'xmpp.example.net', tlsMode: 'directtls' }, dns)).toEqual([
      { host: 'xmpp.example.net', port: 5223, directTls: true, source: 'override' },
    ]);
    expect(await resolveEndpoints('example.test', { host: '10.0.0.1', port: 15222, tlsMode: 'plaintext' }, dns)).toEqual([
      { host: '10.0.0.1', port: 15222, directTls: false, source: 'override' },
    ]);
    expect(await resolveEndpoints('example.test', { port: 443, tlsMode: 'directtls' }, dns)).toEqual([
      { host: 'example.test', port: 443, directTls: true, source: 'override' },
    ]);
    expect(dns.asked).toEqual([]);
  });

  it('orders both SRV sets as one by priority (XEP-0368), marking xmpps records direct TLS', async () => {
    const dns = fakeDns({
      [XMPPS]: [srv('tls-b.example.test', 443, 20, 0), srv('tls-a.example.test', 5223, 5, 0)],
      [XMPP]: [srv('c2s-b.example.test', 5222, 30, 0), srv('c2s-a.example.test', 5222, 10, 0)],
    });
    const eps = await resolveEndpoints('example.test', { tlsMode: 'starttls', random: () => 0 }, dns);
    expect(eps).toEqual([
      { host: 'tls-a.example.test', port: 5223, directTls: true, source: 'srv-xmpps' },
      { host: 'c2s-a.example.test', port: 5222, directTls: false, source: 'srv-xmpp' },
      { host: 'tls-b.example.test', port: 443, directTls: true, source: 'srv-xmpps' },
      { host: 'c2s-b.example.test', port: 5222, directTls: false, source: 'srv-xmpp' },
    ]);
    expect(dns.asked.sort()).toEqual([XMPP, XMPPS].sort());
  });

  it('mixes the weights of both sets within one priority', async () => {
    const dns = fakeDns({ [XMPPS]: [srv('tls.example.test', 5223, 10, 1)], [XMPP]: [srv('c2s.example.test', 5222, 10, 99)] });
    const random = seeded(7);
    let tlsFirst = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const [first] = await resolveEndpoints('example.test', { tlsMode: 'starttls', random }, dns);
      if (first!.directTls) tlsFirst++;
    }
    // P(tls first) = 2/101 with RFC 2782's inclusive [0, sum] draw.
    expect(tlsFirst / runs).toBeGreaterThan(0.005);
    expect(tlsFirst / runs).toBeLessThan(0.04);
  });

  it('looks up only _xmpps-client for directtls and only _xmpp-client for plaintext', async () => {
    const table = { [XMPPS]: [srv('tls.example.test', 5223, 0, 0)], [XMPP]: [srv('c2s.example.test', 5222, 0, 0)] };
    const d1 = fakeDns(table);
    expect(await resolveEndpoints('example.test', { tlsMode: 'directtls' }, d1)).toEqual([
      { host: 'tls.example.test', port: 5223, directTls: true, source: 'srv-xmpps' },
    ]);
    expect(d1.asked).toEqual([XMPPS]);
    const d2 = fakeDns(table);
    expect(await resolveEndpoints('example.test', { tlsMode: 'plaintext' }, d2)).toEqual([
      { host: 'c2s.example.test', port: 5222, directTls: false, source: 'srv-xmpp' },
    ]);
    expect(d2.asked).toEqual([XMPP]);
  });

  it('falls back to DOMAIN:5222 when there are no SRV records (ENODATA / ENOTFOUND / SERVFAIL)', async () => {
    for (const code of ['ENODATA', 'ENOTFOUND', 'ESERVFAIL']) {
      expect(await resolveEndpoints('example.test', { tlsMode: 'starttls' }, fakeDns({}, code))).toEqual([
        { host: 'example.test', port: 5222, directTls: false, source: 'fallback' },
      ]);
    }
    expect(await resolveEndpoints('example.test', { tlsMode: 'directtls' }, fakeDns({}))).toEqual([
      { host: 'example.test', port: 5223, directTls: true, source: 'fallback' },
    ]);
  });

  it('does not append the fallback when SRV records exist', async () => {
    const eps = await resolveEndpoints('example.test', { tlsMode: 'starttls' }, fakeDns({ [XMPP]: [srv('c2s.example.test', 5269, 0, 0)] }));
    expect(eps.map((e) => e.source)).toEqual(['srv-xmpp']);
  });

  it('treats a "." target as decidedly unavailable: other set still used, no A/AAAA fallback', async () => {
    // xmpps says no, xmpp has a record: use the xmpp record.
    const eps = await resolveEndpoints('example.test', { tlsMode: 'starttls' }, fakeDns({ [XMPPS]: [srv('', 0, 0, 0)], [XMPP]: [srv('c2s.example.test', 5222, 0, 0)] }));
    expect(eps).toEqual([{ host: 'c2s.example.test', port: 5222, directTls: false, source: 'srv-xmpp' }]);
    // xmpps says no, xmpp has nothing: XEP-0368 §5 forbids the fallback.
    await expect(resolveEndpoints('example.test', { tlsMode: 'starttls' }, fakeDns({ [XMPPS]: [srv('.', 0, 0, 0)] }))).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    // both say no.
    await expect(
      resolveEndpoints('example.test', { tlsMode: 'starttls' }, fakeDns({ [XMPPS]: [srv('.', 0, 0, 0)], [XMPP]: [srv('.', 0, 0, 0)] })),
    ).rejects.toMatchObject({ code: 'service-unavailable' });
  });

  it('queries internationalised domains in A-label form', async () => {
    const dns = fakeDns({});
    const eps = await resolveEndpoints('bücher.example', { tlsMode: 'starttls' }, dns);
    expect(dns.asked.sort()).toEqual(['_xmpp-client._tcp.xn--bcher-kva.example', '_xmpps-client._tcp.xn--bcher-kva.example']);
    expect(eps[0]!.host).toBe('xn--bcher-kva.example');
  });

  it('strips the trailing dot of SRV targets', async () => {
    const eps = await resolveEndpoints('example.test', { tlsMode: 'plaintext' }, fakeDns({ [XMPP]: [srv('c2s.example.test.', 5222, 0, 0)] }));
    expect(eps[0]!.host).toBe('c2s.example.test');
  });
});

describe('orderSrv (RFC 2782)', () => {
  it('sorts by priority, lowest first', () => {
    const recs = [srv('c', 1, 30, 5), srv('a', 1, 10, 5), srv('b', 1, 20, 5)];
    expect(orderSrv(recs, seeded(1)).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('picks with the running-sum rule on the draw', () => {
    const recs = [srv('a', 1, 0, 10), srv('b', 1, 0, 20), srv('c', 1, 0, 30)];
    // sum 60, draw floor(r * 61): 0.9 → 54 → 'c' (running 10, 30, 60); then sum 30, floor(0.5 * 31) = 15 → 'b'.
    const draws = [0.9, 0.5, 0];
    expect(orderSrv(recs, () => draws.shift()!).map((r) => r.name)).toEqual(['c', 'b', 'a']);
    // A draw of 0 picks the first record in the list.
    expect(orderSrv(recs, () => 0).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });

  it('puts weight-0 records first in the list, so they are chosen only on a zero draw', () => {
    const recs = [srv('heavy', 1, 0, 50), srv('zero', 1, 0, 0)];
    expect(orderSrv(recs, () => 0).map((r) => r.name)).toEqual(['zero', 'heavy']);
    expect(orderSrv(recs, () => 0.5).map((r) => r.name)).toEqual(['heavy', 'zero']);
  });

  it('chooses in proportion to weight (seeded)', () => {
    const recs = [srv('a', 1, 0, 60), srv('b', 1, 0, 30), srv('c', 1, 0, 10)];
    const random = seeded(42);
    const first: Record<string, number> = { a: 0, b: 0, c: 0 };
    const runs = 20_000;
    for (let i = 0; i < runs; i++) first[orderSrv(recs, random)[0]!.name]!++;
    // Draw uniform in [0, 100]: a ⇐ 0..60 (61/101), b ⇐ 61..90 (30/101), c ⇐ 91..100 (10/101).
    expect(first.a! / runs).toBeCloseTo(61 / 101, 1);
    expect(first.b! / runs).toBeCloseTo(30 / 101, 1);
    expect(first.c! / runs).toBeCloseTo(10 / 101, 1);
    expect(Math.abs(first.c! / runs - 10 / 101)).toBeLessThan(0.01);
  });

  it('returns every record exactly once', () => {
    const recs = Array.from({ length: 12 }, (_, i) => srv(`h${i}`, 5222, i % 3, (i * 7) % 5));
    const out = orderSrv(recs, seeded(3));
    expect(out).toHaveLength(12);
    expect(new Set(out)).toEqual(new Set(recs));
    expect(out.map((r) => r.priority)).toEqual([...out.map((r) => r.priority)].sort((a, b) => a - b));
  });
});
