// UTF-8 (RFC 3629) without DOM or Node types: the core's tsconfig has lib ES2022 only, so
// TextEncoder/TextDecoder are not typed here. At run time Node and Electron both have them, and
// they are much faster on long strings, so they are used when present (looked up on globalThis
// through a local structural type, which cannot clash with the DOM lib's declarations elsewhere);
// the hand-written codec below is the fallback and the reference the tests compare them with.

interface NativeEncoder {
  encode(s: string): Uint8Array;
}
interface NativeDecoder {
  decode(b: Uint8Array): string;
}
type EncoderCtor = new () => NativeEncoder;
type DecoderCtor = new (label: string, opts: { fatal: boolean }) => NativeDecoder;

const g = globalThis as { TextEncoder?: EncoderCtor; TextDecoder?: DecoderCtor };
const nativeEncoder: NativeEncoder | undefined = g.TextEncoder ? new g.TextEncoder() : undefined;
const nativeDecoder: NativeDecoder | undefined = g.TextDecoder ? new g.TextDecoder('utf-8', { fatal: true }) : undefined;

export class Utf8Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Utf8Error';
  }
}

/** Encode a string as UTF-8. A lone surrogate becomes U+FFFD, as the WHATWG encoder does. */
export function utf8Encode(s: string): Uint8Array {
  return nativeEncoder ? nativeEncoder.encode(s) : utf8EncodeJs(s);
}

/** Decode UTF-8, throwing Utf8Error on malformed input (overlongs, surrogates, truncation). */
export function utf8Decode(bytes: Uint8Array): string {
  if (!nativeDecoder) return utf8DecodeJs(bytes);
  try {
    return nativeDecoder.decode(bytes);
  } catch {
    throw new Utf8Error('invalid UTF-8 data');
  }
}

/** Number of bytes `s` takes in UTF-8, without allocating the encoding. */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4;
      i++;
    } else n += 3; // BMP, or a lone surrogate encoded as U+FFFD
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** @internal The portable encoder; exported for tests. */
export function utf8EncodeJs(s: string): Uint8Array {
  const out = new Uint8Array(utf8ByteLength(s));
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && isLowSurrogate(next)) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 0x3f);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  return out;
}

/** @internal The portable strict decoder (RFC 3629 §4 syntax); exported for tests. */
export function utf8DecodeJs(b: Uint8Array): string {
  const parts: string[] = [];
  let units: number[] = [];
  let i = 0;
  const cont = (k: number): number => {
    const v = b[k];
    if (v === undefined || (v & 0xc0) !== 0x80) throw new Utf8Error('invalid UTF-8 data');
    return v & 0x3f;
  };
  while (i < b.length) {
    const b0 = b[i] as number;
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      cp = ((b0 & 0x1f) << 6) | cont(i + 1);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      cp = ((b0 & 0x0f) << 12) | (cont(i + 1) << 6) | cont(i + 2);
      // Overlong (< U+0800) and UTF-16 surrogates are not valid UTF-8.
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) throw new Utf8Error('invalid UTF-8 data');
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      cp = ((b0 & 0x07) << 18) | (cont(i + 1) << 12) | (cont(i + 2) << 6) | cont(i + 3);
      if (cp < 0x10000 || cp > 0x10ffff) throw new Utf8Error('invalid UTF-8 data');
      i += 4;
    } else throw new Utf8Error('invalid UTF-8 data');
    if (cp < 0x10000) units.push(cp);
    else units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    if (units.length >= 4096) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}
