// Base64 (RFC 4648 §4, standard alphabet, with padding) without Node's Buffer: the core runs
// without Node. Decoding is strict, as RFC 6120 §6.4.2 asks of SASL data: no whitespace, no
// characters outside the alphabet, correct padding, and (RFC 4648 §3.5) zero pad bits, so each
// value has exactly one encoding.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export class Base64Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Base64Error';
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
  }
  if (n - i === 1) {
    const v = (bytes[i] as number) << 16;
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + '==';
  } else if (n - i === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + '=';
  }
  return out;
}

/** Decode strict base64; throws Base64Error with the reason when `s` is not canonical base64. */
export function decodeBase64(s: string): Uint8Array {
  if (s.length % 4 !== 0) throw new Base64Error('base64 length is not a multiple of 4');
  if (s.length === 0) return new Uint8Array(0);
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = last && pad === 2 ? 0 : sextet(s, i + 2);
    const d = last && pad >= 1 ? 0 : sextet(s, i + 3);
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
    if (last && pad > 0 && (pad === 2 ? v & 0xffff : v & 0xff) !== 0) {
      throw new Base64Error('base64 has non-zero padding bits');
    }
  }
  return out;
}

/** True when `s` is strict, canonical base64 (what decodeBase64 accepts). */
export function isBase64(s: string): boolean {
  try {
    decodeBase64(s);
    return true;
  } catch {
    return false;
  }
}

function sextet(s: string, i: number): number {
  const code = s.charCodeAt(i);
  const v = code < 128 ? (DECODE[code] as number) : -1;
  if (v < 0) throw new Base64Error(`invalid base64 character at offset ${i}`);
  return v;
}
