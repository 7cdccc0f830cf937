// XEP-0065 elements → plain data: streamhosts (§5.3.1), streamhost-used (§5.3.3), proxy address (§4).
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';

export const BYTESTREAMS_NS = 'http://jabber.org/protocol/bytestreams';
/** A peer that offers more than this many hosts is not trying to help: the rest are ignored. */
export const MAX_STREAMHOSTS = 8;

export interface StreamHost {
  jid: string;
  host: string;
  port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]{2,45}$/;
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IPv4/IPv6 literal or a DNS name — nothing a socket API could read as something else. */
export function validHost(host: string): boolean {
  // All digits and dots: an IPv4 literal or nothing (a resolver would try "123.456.7.8" as a name).
  if (/^[\d.]+$/.test(host)) return IPV4.test(host);
  return IPV4.test(host) || (host.includes(':') && IPV6.test(host)) || HOSTNAME.test(host);
}

/** One streamhost-like element (also XEP-0260 <candidate/>): jid, host, port checked. */
export function parseHostAttrs(el: XmlElement): StreamHost | undefined {
  const jid = tryParseJid(el.attr('jid') ?? '');
  const host = (el.attr('host') ?? '').trim();
  const portText = el.attr('port') ?? '1080'; // §5.3.1: port defaults to 1080
  if (!jid || !validHost(host) || !/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  return { jid: formatJid(jid), host, port };
}

export function parseStreamHosts(query: XmlElement): StreamHost[] {
  const out: StreamHost[] = [];
  for (const el of query.elements('streamhost', BYTESTREAMS_NS)) {
    const h = parseHostAttrs(el);
    if (h) out.push(h);
    if (out.length >= MAX_STREAMHOSTS) break;
  }
  return out;
}

export function parseStreamHostUsed(query: XmlElement | undefined): string | undefined {
  const jid = tryParseJid(query?.child('streamhost-used', BYTESTREAMS_NS)?.attr('jid') ?? '');
  return jid ? formatJid(jid) : undefined;
}
