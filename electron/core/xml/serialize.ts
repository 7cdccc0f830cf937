// XmlElement → XML text for the wire (RFC 6120 §4, §11).
// Whatever the tree holds, the output is well-formed XML 1.0: markup characters are escaped and
// characters outside the XML 1.0 `Char` production (C0 controls other than TAB/LF/CR, lone
// surrogates, U+FFFE/U+FFFF) are dropped, so no module can make us send a stream the server has
// to kill with <not-well-formed/>.
import type { XmlElement } from './element';

export const NS_STREAM = 'http://etherx.jabber.org/streams';
export const STREAM_CLOSE = '</stream:stream>';

// Fast path: two native scans per string (a character class, and isWellFormed() for lone
// surrogates); only strings that need work take the slow loop.
// eslint-disable-next-line no-control-regex
const TEXT_NEEDS_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const ATTR_NEEDS_WORK = /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** ES2024 String.prototype.isWellFormed (Node 20, Electron): false when there is a lone surrogate. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Escape character data: `& < >`; CR as `&#13;` so the receiver's end-of-line handling (XML 1.0 §2.11) keeps it. */
export function escapeText(s: string): string {
  return TEXT_NEEDS_WORK.test(s) || !wellFormed(s) ? rewrite(s, false) : s;
}

/**
 * Escape an attribute value: `& < > " '`, and TAB/LF/CR as character references so attribute-value
 * normalization (XML 1.0 §3.3.3) does not turn them into spaces on the other side.
 */
export function escapeAttr(s: string): string {
  return ATTR_NEEDS_WORK.test(s) || !wellFormed(s) ? rewrite(s, true) : s;
}

function rewrite(s: string, attr: boolean): string {
  let out = '';
  let start = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c >= 0x3f && c < 0xd800) continue; // the common case: nothing to do
    switch (c) {
      case 0x26: rep = '&amp;'; break;
      case 0x3c: rep = '&lt;'; break;
      case 0x3e: rep = '&gt;'; break;
      case 0x0d: rep = '&#13;'; break;
      case 0x22: if (attr) rep = '&quot;'; break;
      case 0x27: if (attr) rep = '&apos;'; break;
      case 0x09: if (attr) rep = '&#9;'; break;
      case 0x0a: if (attr) rep = '&#10;'; break;
      default:
        if (c < 0x20) rep = ''; // C0 control: not an XML 1.0 Char, not even as a reference
        else if (c >= 0xd800 && c <= 0xdbff) {
          const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
          if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; } // a valid pair
          rep = '';
        } else if (c >= 0xdc00 && c <= 0xdfff) rep = ''; // low half without a high half before it
        else if (c === 0xfffe || c === 0xffff) rep = '';
    }
    if (rep === undefined) continue;
    out += s.slice(start, i) + rep;
    start = i + 1;
  }
  return start === 0 ? s : out + s.slice(start);
}

/**
 * Serialize an element. Names are written as stored (a parsed `stream:features` stays prefixed);
 * a child whose `ns` differs from its parent's and that carries no `xmlns` attribute (built with an
 * explicit `ns`) gets an `xmlns` attribute so the namespace survives the trip.
 */
export function serialize(el: XmlElement): string {
  return write(el, el.ns, true);
}

function write(el: XmlElement, parentNs: string, top: boolean): string {
  const name = el.name;
  let out = '<' + name;
  const attrs = el.attrs;
  for (const k in attrs) out += ' ' + k + "='" + escapeAttr(attrs[k]!) + "'";
  if (!top && el.ns !== parentNs && attrs.xmlns === undefined && name.indexOf(':') === -1) {
    out += " xmlns='" + escapeAttr(el.ns) + "'";
  }
  const children = el.children;
  const n = children.length;
  if (n === 0) return out + '/>';
  out += '>';
  for (let i = 0; i < n; i++) {
    const c = children[i]!;
    out += typeof c === 'string' ? escapeText(c) : write(c, el.ns, false);
  }
  return out + '</' + name + '>';
}

export interface StreamHeaderAttrs {
  to?: string;
  from?: string;
  version?: string;
  'xml:lang'?: string;
  xmlns?: string;
}

/** The stream header (RFC 6120 §4.7): XML declaration plus the open `<stream:stream>` tag, never self-closed. */
export function streamHeader(attrs: StreamHeaderAttrs): string {
  let out = "<?xml version='1.0'?><stream:stream xmlns='" + escapeAttr(attrs.xmlns ?? 'jabber:client') +
    "' xmlns:stream='" + NS_STREAM + "' version='" + escapeAttr(attrs.version ?? '1.0') + "'";
  if (attrs.to !== undefined) out += " to='" + escapeAttr(attrs.to) + "'";
  if (attrs.from !== undefined) out += " from='" + escapeAttr(attrs.from) + "'";
  if (attrs['xml:lang'] !== undefined) out += " xml:lang='" + escapeAttr(attrs['xml:lang']) + "'";
  return out + '>';
}
