// XEP-0066: Out of Band Data — https://xmpp.org/extensions/xep-0066.html
// Only the message form (jabber:x:oob, §3): a URL riding on a message, as XEP-0363 §7 recommends
// for shared uploads. The iq form (jabber:iq:oob) is not used by Flint.
import { x, type XmlElement } from '../../xml/element';

export const OOB_NS = 'jabber:x:oob';

export interface OobData {
  url: string;
  desc?: string;
}

/** URLs longer than this are not file links anyone needs; a hostile sender could send megabytes. */
const MAX_URL = 4096;

/**
 * The first <x xmlns='jabber:x:oob'/> of a message with a usable URL: http or https only (no file:,
 * data:, javascript: or xmpp: links become file cards), absolute, without credentials.
 */
export function parseOob(message: XmlElement): OobData | undefined {
  for (const el of message.elements('x', OOB_NS)) {
    const url = parseHttpUrl(el.childText('url', OOB_NS));
    if (!url) continue;
    const desc = el.childText('desc', OOB_NS)?.trim();
    return desc ? { url, desc: desc.slice(0, 4096) } : { url };
  }
  return undefined;
}

export function buildOob(data: OobData): XmlElement {
  return x('x', { xmlns: OOB_NS }, x('url', {}, data.url), data.desc ? x('desc', {}, data.desc) : null);
}

/**
 * An absolute http(s) URL without user:password; undefined otherwise. The core has no URL parser
 * (no DOM, no Node), so this checks the shape: scheme, an authority without '@', no whitespace or
 * control characters. Main parses it again with WHATWG URL before any request.
 */
export function parseHttpUrl(raw: string | undefined): string | undefined {
  const s = raw?.trim();
  if (!s || s.length > MAX_URL) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f-\u009f\s\\]/.test(s)) return undefined;
  const m = /^(https?):\/\/([^/?#]+)([/?#].*)?$/i.exec(s);
  if (!m) return undefined;
  const authority = m[2]!;
  if (authority.includes('@')) return undefined;
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(authority)) return undefined;
  return `${m[1]!.toLowerCase()}://${authority}${m[3] ?? '/'}`;
}
