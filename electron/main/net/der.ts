// A minimal DER reader (ITU-T X.690 §8, §10) for the few X.509 fields Node 20's X509Certificate
// does not expose: the outer signatureAlgorithm (RFC 5929 tls-server-end-point), the subjectAltName
// otherName entries (RFC 6120 §13.7.1.4 XmppAddr, RFC 4985 SRVName) and the subject CN as raw values.
// It reads only definite lengths (DER forbids the indefinite form) and throws DerError on anything
// malformed; callers treat a malformed certificate as matching nothing.

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface Tlv {
  /** The identifier octet as it appears (class + constructed bit + low tag number). */
  readonly tag: number;
  readonly value: Uint8Array;
  /** The whole element, identifier and length included. */
  readonly encoded: Uint8Array;
}

// Universal tags used by X.509.
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag [n], constructed or primitive. */
export const ctx = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

export function readTlv(buf: Uint8Array, pos = 0): Tlv {
  const start = pos;
  if (pos + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[pos++]!;
  // High tag numbers (low five bits all set) never occur in the X.509 fields we read.
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number form not supported');
  let len = buf[pos++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError('indefinite length is not DER');
    if (n > 4) throw new DerError('length too large');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (pos >= buf.length) throw new DerError('truncated length');
      len = len * 256 + buf[pos++]!;
    }
  }
  const end = pos + len;
  if (end > buf.length) throw new DerError('element runs past its container');
  return { tag, value: buf.subarray(pos, end), encoded: buf.subarray(start, end) };
}

/** The elements inside a constructed value, in order; the value must be consumed exactly. */
export function children(value: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < value.length) {
    const t = readTlv(value, pos);
    out.push(t);
    pos += t.encoded.length;
  }
  return out;
}

export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`);
  return t;
}

/** X.690 §8.19: the first octet packs the first two arcs, then base-128 with continuation bits. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new DerError('empty OID');
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i]!;
    acc = acc * 128 + (b & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(b & 0x80)) {
      if (arcs.length === 0) {
        const first = acc < 40 ? 0 : acc < 80 ? 1 : 2;
        arcs.push(first, acc - first * 40);
      } else arcs.push(acc);
      acc = 0;
    } else if (i === value.length - 1) throw new DerError('truncated OID');
  }
  return arcs.join('.');
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The directory string types of RFC 5280 §4.1.2.4 (and IA5String), decoded to a JS string. */
export function decodeString(t: Tlv): string {
  switch (t.tag) {
    case TAG.UTF8_STRING:
      return utf8.decode(t.value);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.T61_STRING: // treated as Latin-1, as OpenSSL does
      return latin1.decode(t.value);
    case TAG.BMP_STRING: {
      if (t.value.length % 2) throw new DerError('odd BMPString');
      let s = '';
      for (let i = 0; i < t.value.length; i += 2) s += String.fromCharCode((t.value[i]! << 8) | t.value[i + 1]!);
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      if (t.value.length % 4) throw new DerError('bad UniversalString');
      let s = '';
      for (let i = 0; i < t.value.length; i += 4) {
        const cp = ((t.value[i]! << 24) >>> 0) + (t.value[i + 1]! << 16) + (t.value[i + 2]! << 8) + t.value[i + 3]!;
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      throw new DerError(`not a string type: 0x${t.tag.toString(16)}`);
  }
}

/** RFC 5280 §4.1.2.5.1 / §4.1.2.5.2: UTCTime YYMMDDHHMMSSZ (50–99 → 19xx), GeneralizedTime YYYYMMDDHHMMSSZ. */
export function decodeTime(t: Tlv): Date {
  const s = latin1.decode(t.value);
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.UTC_TIME && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === TAG.GENERALIZED_TIME && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    year = Number(m[1]);
  } else throw new DerError(`bad time: ${s}`);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
