// XMPP addresses (RFC 7622): parsing, preparation and comparison.
//
// Preparation follows the PRECIS profiles RFC 7622 names, approximated with what JavaScript's
// Unicode support offers (general categories, NFC/NFKC, toLowerCase):
//   localpart   UsernameCaseMapped (RFC 8265 §3.3): fullwidth/halfwidth → narrow, toLowerCase,
//               NFC; IdentifierClass (RFC 8264 §4.2): printable ASCII or letters/digits/marks,
//               nothing with a compatibility decomposition (HasCompat); plus the eight
//               characters RFC 7622 §3.3.1 forbids: " & ' / : < > @
//   domainpart  RFC 7622 §3.2: ideographic full stops → ".", NFKC, lowercase, one trailing dot
//               removed; IDNA-style labels (letters/digits/marks, "-" not at either end, ≤ 63
//               octets in ACE form), or an IPv4 address, or an [IPv6] literal.
//   resourcepart OpaqueString (RFC 8265 §4.2): non-ASCII spaces → U+0020, NFC, case kept;
//               FreeformClass (RFC 8264 §4.3): no controls, unassigned or ignorable code points.
// Not implemented: the Bidi Rule (RFC 5893), CONTEXTJ/CONTEXTO rules, Old Hangul Jamo. Two
// deliberate relaxations: "_" is accepted in domain labels (it occurs in real deployments'
// component names), and variation selectors and ZWJ/ZWNJ are accepted in resourceparts, because
// emoji sequences in MUC nicknames (❤️, 👨‍👩‍👧) need them.
//
// A printable-ASCII fast path skips normalization: almost every JID on the wire is ASCII.

export interface Jid {
  local?: string;
  domain: string;
  resource?: string;
}

export class JidError extends Error {
  /** The text that failed to parse (or the parts, formatted). */
  readonly input: string;
  constructor(message: string, input: string) {
    super(message);
    this.name = 'JidError';
    this.input = input;
  }
}

/** RFC 7622 §3.1: each part is at most 1023 octets (of UTF-8). */
export const MAX_PART_BYTES = 1023;

class PartError extends Error {}

// RFC 7622 §3.3.1: characters a localpart must not contain (on top of PRECIS).
const LOCAL_FORBIDDEN = new Set(['"', '&', "'", '/', ':', '<', '>', '@']);
const ASCII_LOCAL = /^[\x21-\x7e]+$/;
const ASCII_RESOURCE = /^[\x20-\x7e]+$/;
const ASCII_DOMAIN = /^[A-Za-z0-9._-]+$/;
const FULL_HALF_WIDTH = /[\uff01-\uffef]/g;
const IDEOGRAPHIC_STOPS = /[\u3002\uff0e\uff61]/g;
const NON_ASCII_SPACE = /\p{Zs}/gu;
// RFC 8264 §9.1 LetterDigits: Ll Lu Lo Nd Lm Mn Mc.
const LETTER_DIGIT = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
// RFC 8264 §4.3 FreeformClass adds OtherLetterDigits, Spaces, Symbols, Punctuation, HasCompat.
const FREEFORM = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]$/u;
// See the header: ZWNJ, ZWJ and variation selectors are kept in resourceparts for emoji sequences.
function isEmojiJoiner(cp: number): boolean {
  return cp === 0x200c || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
}
const DOMAIN_LABEL_CHAR = /^[\p{L}\p{M}\p{Nd}]$/u;
const COMBINING_MARK = /^\p{M}$/u;

function describe(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const code = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0)) return `a control character (${code})`;
  if (ch === ' ') return 'a space';
  if (/^\s$/u.test(ch)) return `a space character (${code})`;
  return `“${ch}” (${code})`;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function checkLength(s: string, part: string): void {
  if (utf8Length(s) > MAX_PART_BYTES) throw new PartError(`${part} is longer than ${MAX_PART_BYTES} bytes`);
}

const LOCAL = 'the part before “@”';
const RESOURCE = 'the part after “/”';
const DOMAIN = 'the domain';

/** Prepare a localpart (RFC 7622 §3.3); throws JidError. */
export function prepareLocalpart(raw: string): string {
  return wrap(raw, () => localpart(raw));
}
/** Prepare a domainpart (RFC 7622 §3.2); throws JidError. */
export function prepareDomainpart(raw: string): string {
  return wrap(raw, () => domainpart(raw));
}
/** Prepare a resourcepart (RFC 7622 §3.4); throws JidError. */
export function prepareResourcepart(raw: string): string {
  return wrap(raw, () => resourcepart(raw));
}

// Printable ASCII without the RFC 7622 §3.3.1 forbidden characters: the common case, done with
// one regex test (a 5,000-item roster prepares 5,000 localparts while the user waits).
const SIMPLE_LOCAL = /^[\x21\x23-\x25\x28-\x2e\x30-\x39\x3b\x3d\x3f\x41-\x7e]{1,1023}$/;

function localpart(raw: string): string {
  if (SIMPLE_LOCAL.test(raw)) return raw.toLowerCase();
  if (raw === '') throw new PartError(`there is nothing before the “@”`);
  let s: string;
  if (ASCII_LOCAL.test(raw)) s = raw.toLowerCase();
  else {
    // RFC 8265 §3.3.2 steps 1, 3, 4: width mapping, case mapping, NFC.
    s = raw.replace(FULL_HALF_WIDTH, (c) => c.normalize('NFKC')).toLowerCase().normalize('NFC');
  }
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) {
      if (ch <= ' ' || ch === '\x7f') throw new PartError(`${LOCAL} contains ${describe(ch)}`);
      if (LOCAL_FORBIDDEN.has(ch)) throw new PartError(`${LOCAL} contains “${ch}”, which addresses do not allow there`);
      continue;
    }
    const compat = ch.normalize('NFKC');
    if (compat !== ch) throw new PartError(`${LOCAL} contains ${describe(ch)}, a compatibility character; write “${compat}” instead`);
    if (!LETTER_DIGIT.test(ch) || IGNORABLE.test(ch)) throw new PartError(`${LOCAL} contains ${describe(ch)}, which addresses do not allow there`);
  }
  checkLength(s, LOCAL);
  return s;
}

function resourcepart(raw: string): string {
  if (raw === '') throw new PartError('there is nothing after the “/”');
  let s = raw;
  if (!ASCII_RESOURCE.test(raw)) {
    // RFC 8265 §4.2.2: additional mapping (spaces), then NFC; case is kept.
    s = raw.replace(NON_ASCII_SPACE, ' ').normalize('NFC');
    for (const ch of s) {
      if (isEmojiJoiner(ch.codePointAt(0) as number)) continue;
      if (!FREEFORM.test(ch) || IGNORABLE.test(ch)) throw new PartError(`${RESOURCE} contains ${describe(ch)}, which addresses do not allow`);
    }
  }
  checkLength(s, RESOURCE);
  return s;
}

// Roster JIDs share a handful of domains: remember the prepared form of the ones seen (bounded).
const preparedDomains = new Map<string, string>();

function domainpart(raw: string): string {
  const known = preparedDomains.get(raw);
  if (known !== undefined) return known;
  const prepared = prepareDomain(raw);
  if (preparedDomains.size >= 1024) preparedDomains.clear();
  preparedDomains.set(raw, prepared);
  return prepared;
}

function prepareDomain(raw: string): string {
  if (raw === '') throw new PartError('there is no domain (server name)');
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']') || !isIPv6(raw.slice(1, -1))) throw new PartError(`${DOMAIN} “${raw}” is not a valid IPv6 address literal`);
    return raw.toLowerCase();
  }
  let s = ASCII_DOMAIN.test(raw) ? raw.toLowerCase() : raw.replace(IDEOGRAPHIC_STOPS, '.').normalize('NFKC').toLowerCase().normalize('NFC');
  // RFC 7622 §3.2: a trailing dot is removed (once).
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s === '') throw new PartError('there is no domain (server name)');
  checkLength(s, DOMAIN);
  for (const label of s.split('.')) {
    if (label === '') throw new PartError(`${DOMAIN} “${s}” has an empty label (“..” or a leading dot)`);
    if (label.startsWith('-') || label.endsWith('-')) throw new PartError(`${DOMAIN} “${s}” has a label that starts or ends with “-”`);
    let ascii = true;
    for (const ch of label) {
      const c = ch.charCodeAt(0);
      if (c < 0x80) {
        if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || ch === '-' || ch === '_')) {
          throw new PartError(`${DOMAIN} contains ${describe(ch)}, which domain names do not allow`);
        }
      } else {
        ascii = false;
        if (!DOMAIN_LABEL_CHAR.test(ch)) throw new PartError(`${DOMAIN} contains ${describe(ch)}, which domain names do not allow`);
      }
    }
    if (COMBINING_MARK.test(String.fromCodePoint(label.codePointAt(0) as number))) {
      throw new PartError(`${DOMAIN} “${s}” has a label that starts with a combining mark`);
    }
    // RFC 5890 §2.3.2.1: a label is at most 63 octets in its ASCII (A-label) form.
    const aceLength = ascii ? label.length : 4 + punycodeEncode(label).length;
    if (aceLength > 63) throw new PartError(`${DOMAIN} has a label longer than 63 characters`);
  }
  return s;
}

function wrap(input: string, f: () => string): string {
  try {
    return f();
  } catch (e) {
    if (e instanceof PartError) throw new JidError(`“${shorten(input)}” is not a valid address: ${e.message}.`, input);
    throw e;
  }
}

function shorten(s: string): string {
  return s.length > 80 ? s.slice(0, 79) + '…' : s;
}

/** RFC 7622 §3.1 parsing and §3.2–3.4 preparation. Throws JidError with a plain-English reason. */
export function parseJid(s: string): Jid {
  if (typeof s !== 'string') throw new JidError('an address must be text', String(s));
  return wrapJid(s, () => {
    // §3.1: the resourcepart starts at the first "/", the localpart ends at the first "@" before it.
    const slash = s.indexOf('/');
    const head = slash < 0 ? s : s.slice(0, slash);
    const at = head.indexOf('@');
    const jid: Jid = { domain: domainpart(at < 0 ? head : head.slice(at + 1)) };
    if (at >= 0) jid.local = localpart(head.slice(0, at));
    if (slash >= 0) jid.resource = resourcepart(s.slice(slash + 1));
    return jid;
  });
}

export function tryParseJid(s: string): Jid | null {
  try {
    return parseJid(s);
  } catch (e) {
    if (e instanceof JidError) return null;
    throw e;
  }
}

/** Build a Jid from separate parts, preparing each (e.g. a MUC occupant from room + nickname). */
export function createJid(parts: Jid): Jid {
  return wrapJid(formatJid(parts), () => {
    const jid: Jid = { domain: domainpart(parts.domain) };
    if (parts.local !== undefined) jid.local = localpart(parts.local);
    if (parts.resource !== undefined) jid.resource = resourcepart(parts.resource);
    return jid;
  });
}

function wrapJid(input: string, f: () => Jid): Jid {
  try {
    return f();
  } catch (e) {
    if (e instanceof PartError) throw new JidError(`“${shorten(input)}” is not a valid address: ${e.message}.`, input);
    throw e;
  }
}

/** local@domain/resource, as given (no preparation: pass prepared parts, e.g. from parseJid). */
export function formatJid(j: Jid): string {
  let s = j.domain;
  if (j.local !== undefined) s = `${j.local}@${s}`;
  if (j.resource !== undefined) s = `${s}/${j.resource}`;
  return s;
}

function toJid(j: string | Jid): Jid {
  return typeof j === 'string' ? parseJid(j) : createJid(j);
}

/** The bare JID (local@domain), prepared. Throws JidError on invalid input. */
export function bareJid(j: string | Jid): string {
  const { local, domain } = toJid(j);
  return local === undefined ? domain : `${local}@${domain}`;
}

/** True for a valid JID without a resourcepart; false for full or invalid ones. */
export function isBareJid(j: string | Jid): boolean {
  const parsed = tryJid(j);
  return parsed !== null && parsed.resource === undefined;
}

function tryJid(j: string | Jid): Jid | null {
  try {
    return toJid(j);
  } catch (e) {
    if (e instanceof JidError) return null;
    throw e;
  }
}

/** Same account/room/server after preparation, ignoring resources. False when either is invalid. */
export function sameBareJid(a: string | Jid, b: string | Jid): boolean {
  const x = tryJid(a);
  const y = tryJid(b);
  return x !== null && y !== null && x.local === y.local && x.domain === y.domain;
}

/** Equal after preparation, resources included (they stay case-sensitive). False when either is invalid. */
export function jidEquals(a: string | Jid, b: string | Jid): boolean {
  const x = tryJid(a);
  const y = tryJid(b);
  return x !== null && y !== null && x.local === y.local && x.domain === y.domain && x.resource === y.resource;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 4291 §2.2 text forms, including "::" and a trailing dotted IPv4; no zone identifiers. */
function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (side: string, mayEndInV4: boolean): number => {
    if (side === '') return 0;
    const parts = side.split(':');
    let n = 0;
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (mayEndInV4 && i === parts.length - 1 && p.includes('.')) {
        if (!isIPv4(p)) return -1;
        n += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) n += 1;
      else return -1;
    }
    return n;
  };
  if (halves.length === 1) return groups(s, true) === 8;
  const left = groups(halves[0] as string, false);
  const right = groups(halves[1] as string, true);
  return left >= 0 && right >= 0 && left + right <= 7;
}

/** RFC 3492 Punycode encoding of one label (without the "xn--" prefix). */
export function punycodeEncode(label: string): string {
  const base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700;
  const cps = Array.from(label, (c) => c.codePointAt(0) as number);
  const digit = (d: number): string => String.fromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);
  const adapt = (delta: number, numPoints: number, first: boolean): number => {
    delta = first ? Math.floor(delta / damp) : delta >> 1;
    delta += Math.floor(delta / numPoints);
    let k = 0;
    while (delta > ((base - tMin) * tMax) >> 1) {
      delta = Math.floor(delta / (base - tMin));
      k += base;
    }
    return k + Math.floor(((base - tMin + 1) * delta) / (delta + skew));
  };
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += '-';
  let n = 0x80, delta = 0, bias = 72;
  while (handled < cps.length) {
    let m = Infinity;
    for (const c of cps) if (c >= n && c < m) m = c;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = base; ; k += base) {
        const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (base - t)));
        q = Math.floor((q - t) / (base - t));
      }
      out += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return out;
}
