// Where to connect for a JID domain: RFC 6120 §3.2 (SRV _xmpp-client._tcp, A/AAAA fallback) plus
// XEP-0368 (SRV _xmpps-client._tcp for direct TLS, mixed with the STARTTLS records by priority and
// weight as one RFC 2782 record set).
import { resolveSrv as nodeResolveSrv } from 'node:dns/promises';
import { domainToASCII } from 'node:url';

export type TlsMode = 'starttls' | 'directtls' | 'plaintext';

export interface Endpoint {
  /** A host name or IP literal; names are resolved (A/AAAA, happy eyeballs) by net.connect. */
  host: string;
  port: number;
  directTls: boolean;
  source: 'override' | 'srv-xmpps' | 'srv-xmpp' | 'fallback';
}

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface DnsPort {
  /** Rejects with an error whose `code` is 'ENODATA' / 'ENOTFOUND' when there are no records. */
  resolveSrv(name: string): Promise<SrvRecord[]>;
}

export const nodeDns: DnsPort = { resolveSrv: (name) => nodeResolveSrv(name) };

export interface ResolveOptions {
  host?: string;
  port?: number;
  tlsMode: TlsMode;
  /** Uniform in [0, 1); Math.random by default. Tests pass a seeded generator. */
  random?: () => number;
}

/**
 * Thrown when DNS says outright that the domain offers no client service: every SRV set that
 * answered is the single record with target "." (RFC 2782; RFC 6120 §3.2.1; XEP-0368 §5), so the
 * A/AAAA fallback is forbidden too.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  readonly code = 'service-unavailable';
}

export const DEFAULT_PORT = 5222;
export const DEFAULT_DIRECT_TLS_PORT = 5223;

/**
 * tlsMode decides which record sets apply:
 * - 'starttls': both sets mixed (XEP-0368 §3 rule 1; direct TLS is at least as safe as STARTTLS).
 * - 'directtls': only _xmpps-client; the fallback is DOMAIN:5223 with direct TLS.
 * - 'plaintext': only _xmpp-client (a plain TCP stream; the session decides about STARTTLS).
 */
export async function resolveEndpoints(domain: string, opts: ResolveOptions, dns: DnsPort = nodeDns): Promise<Endpoint[]> {
  const directTls = opts.tlsMode === 'directtls';
  const defaultPort = directTls ? DEFAULT_DIRECT_TLS_PORT : DEFAULT_PORT;
  if (opts.host !== undefined || opts.port !== undefined) {
    // A configured port without a host means "this domain, that port".
    return [{ host: opts.host || domain, port: opts.port ?? defaultPort, directTls, source: 'override' }];
  }

  // SRV owner names are looked up in A-label form (RFC 5891 §5); an invalid domain stays as typed
  // so the lookup fails with a DNS error rather than querying a mangled name.
  const ascii = domainToASCII(domain) || domain;
  const lookups: Array<{ service: string; source: 'srv-xmpps' | 'srv-xmpp'; directTls: boolean }> = [];
  if (opts.tlsMode !== 'plaintext') lookups.push({ service: '_xmpps-client', source: 'srv-xmpps', directTls: true });
  if (opts.tlsMode !== 'directtls') lookups.push({ service: '_xmpp-client', source: 'srv-xmpp', directTls: false });

  const answers = await Promise.all(
    lookups.map(async (l) => {
      try {
        return { ...l, records: await dns.resolveSrv(`${l.service}._tcp.${ascii}`) };
      } catch {
        // RFC 6120 §3.2.1 step 8: no usable answer (NODATA, NXDOMAIN, SERVFAIL, timeout) → fallback.
        return { ...l, records: [] as SrvRecord[] };
      }
    }),
  );

  const candidates: Array<SrvRecord & { source: Endpoint['source']; directTls: boolean }> = [];
  let decidedlyUnavailable = false;
  for (const a of answers) {
    // RFC 2782: a single record with target "." means the service is decidedly not available.
    if (a.records.length === 1 && isDot(a.records[0]!.name)) {
      decidedlyUnavailable = true;
      continue;
    }
    for (const r of a.records) {
      if (!isDot(r.name)) candidates.push({ ...r, name: r.name.replace(/\.$/, ''), source: a.source, directTls: a.directTls });
    }
  }

  if (candidates.length === 0) {
    // XEP-0368 §5: after a "." answer the initiating party MUST NOT fall back to A/AAAA.
    if (decidedlyUnavailable) throw new ServiceUnavailableError(`${domain} announces no XMPP client service in DNS`);
    return [{ host: ascii, port: defaultPort, directTls, source: 'fallback' }];
  }

  // RFC 6120 §3.2.1 step 7: when SRV records exist we do not append the A/AAAA fallback.
  return orderSrv(candidates, opts.random ?? Math.random).map((r) => ({ host: r.name, port: r.port, directTls: r.directTls, source: r.source }));
}

function isDot(name: string): boolean {
  return name === '.' || name === '';
}

/**
 * RFC 2782 "Usage rules": lowest priority first; within one priority, repeatedly pick a record with
 * probability proportional to its weight — weight-0 records first in the list, a uniform integer in
 * [0, sum] chooses the first record whose running sum reaches it.
 */
export function orderSrv<T extends { priority: number; weight: number }>(records: readonly T[], random: () => number = Math.random): T[] {
  const byPriority = new Map<number, T[]>();
  for (const r of records) {
    const group = byPriority.get(r.priority);
    if (group) group.push(r);
    else byPriority.set(r.priority, [r]);
  }
  const out: T[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const group = byPriority.get(priority)!;
    const pending = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight !== 0)];
    while (pending.length > 0) {
      const sum = pending.reduce((s, r) => s + r.weight, 0);
      const pick = Math.min(sum, Math.floor(random() * (sum + 1)));
      let running = 0;
      let index = pending.findIndex((r) => (running += r.weight) >= pick);
      if (index < 0) index = 0;
      out.push(pending.splice(index, 1)[0]!);
    }
  }
  return out;
}
