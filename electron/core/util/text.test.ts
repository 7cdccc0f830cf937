import { describe, expect, it } from 'vitest';
import { Utf8Error, utf8ByteLength, utf8Decode, utf8DecodeJs, utf8Encode, utf8EncodeJs } from './text';

const samples = ['', 'hello', 'é', 'Ψ 0.11', '€', '漢字', '😀', 'a😀b€c', 'x'.repeat(10000) + '♚'];

describe('utf8', () => {
  it('matches the platform encoder, for both the native and the portable path', () => {
    const ref = new TextEncoder();
    for (const s of samples) {
      expect(utf8Encode(s)).toEqual(ref.encode(s));
      expect(utf8EncodeJs(s)).toEqual(ref.encode(s));
      expect(utf8ByteLength(s)).toBe(ref.encode(s).length);
    }
  });

  it('round-trips, for both paths', () => {
    for (const s of samples) {
      expect(utf8Decode(utf8Encode(s))).toBe(s);
      expect(utf8DecodeJs(utf8EncodeJs(s))).toBe(s);
    }
  });

  it('encodes known byte sequences (RFC 3629 §7 examples)', () => {
    expect([...utf8EncodeJs('A\u2262\u0391.')]).toEqual([0x41, 0xe2, 0x89, 0xa2, 0xce, 0x91, 0x2e]);
    expect([...utf8EncodeJs('\u65e5\u672c\u8a9e')]).toEqual([0xe6, 0x97, 0xa5, 0xe6, 0x9c, 0xac, 0xe8, 0xaa, 0x9e]);
    expect([...utf8EncodeJs('\u{233B4}')]).toEqual([0xf0, 0xa3, 0x8e, 0xb4]);
  });

  it('turns a lone surrogate into U+FFFD', () => {
    expect([...utf8EncodeJs('a\ud800b')]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62]);
    expect(utf8ByteLength('a\ud800b')).toBe(5);
    expect(utf8EncodeJs('\udc00')).toEqual(new TextEncoder().encode('\udc00'));
  });

  it('rejects malformed UTF-8 on both paths', () => {
    const bad = [
      [0xc0, 0x80], // overlong NUL
      [0xe0, 0x80, 0x80], // overlong
      [0xed, 0xa0, 0x80], // surrogate D800
      [0xf4, 0x90, 0x80, 0x80], // > U+10FFFF
      [0xe2, 0x82], // truncated
      [0x80], // stray continuation
      [0xff],
    ];
    for (const b of bad) {
      expect(() => utf8DecodeJs(new Uint8Array(b))).toThrow(Utf8Error);
      expect(() => utf8Decode(new Uint8Array(b))).toThrow(Utf8Error);
    }
  });
});
