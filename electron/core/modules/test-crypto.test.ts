import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac, pbkdf2, sha1, sha256, testCrypto } from './test-crypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (s: string) => new TextEncoder().encode(s);
// Lengths around the 55/56/64-byte padding boundaries, and several blocks.
const inputs = [0, 1, 3, 55, 56, 63, 64, 65, 119, 128, 1000].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff));

describe('test-crypto', () => {
  it('SHA-1 matches FIPS 180 vectors and node:crypto', () => {
    expect(hex(sha1(bytes('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    for (const d of inputs) expect(hex(sha1(d))).toBe(createHash('sha1').update(d).digest('hex'));
  });

  it('SHA-256 matches FIPS 180 vectors and node:crypto', () => {
    expect(hex(sha256(bytes('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const d of inputs) expect(hex(sha256(d))).toBe(createHash('sha256').update(d).digest('hex'));
  });

  it('HMAC matches node:crypto, keys longer than a block included', () => {
    for (const key of [inputs[2]!, inputs[6]!, inputs[9]!]) {
      for (const alg of ['sha1', 'sha256'] as const) {
        expect(hex(hmac(alg, key, inputs[7]!))).toBe(createHmac(alg, key).update(inputs[7]!).digest('hex'));
      }
    }
  });

  it('PBKDF2 matches RFC 6070 and node:crypto', () => {
    expect(hex(pbkdf2('sha1', bytes('password'), bytes('salt'), 2, 20))).toBe('ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
    expect(hex(pbkdf2('sha256', bytes('pw'), bytes('NaCl'), 50, 70))).toBe(pbkdf2Sync('pw', 'NaCl', 50, 70, 'sha256').toString('hex'));
  });

  it('randomBytes is repeatable per seed and differs between seeds', () => {
    expect(hex(testCrypto(7).randomBytes(16))).toBe(hex(testCrypto(7).randomBytes(16)));
    expect(hex(testCrypto(7).randomBytes(16))).not.toBe(hex(testCrypto(8).randomBytes(16)));
    const c = testCrypto();
    expect(hex(c.randomBytes(8))).not.toBe(hex(c.randomBytes(8)));
  });
});
