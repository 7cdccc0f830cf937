import { describe, expect, it } from 'vitest';
import { Base64Error, decodeBase64, encodeBase64, isBase64 } from './base64';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('base64', () => {
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  it('encodes and decodes the RFC 4648 §10 vectors', () => {
    for (const [plain, enc] of vectors) {
      expect(encodeBase64(bytes(plain))).toBe(enc);
      expect(decodeBase64(enc)).toEqual(bytes(plain));
    }
  });

  it('agrees with Node for every length and byte value', () => {
    for (let n = 0; n < 300; n++) {
      const b = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      const enc = Buffer.from(b).toString('base64');
      expect(encodeBase64(b)).toBe(enc);
      expect(decodeBase64(enc)).toEqual(b);
    }
  });

  it('rejects non-canonical or malformed input', () => {
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zh==', 'Zm9=', 'Zm 9v', 'Zm9v\n', 'Zm-v', 'Zm_v', '=Zm9', 'Zg==Zg==', 'Zm9vé===']) {
      expect(() => decodeBase64(bad), bad).toThrow(Base64Error);
      expect(isBase64(bad)).toBe(false);
    }
    expect(isBase64('Zm9v')).toBe(true);
  });
});
