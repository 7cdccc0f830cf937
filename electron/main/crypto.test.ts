import { describe, expect, it } from 'vitest';
import { nodeCrypto } from './crypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const text = (s: string) => new TextEncoder().encode(s);

describe('nodeCrypto', () => {
  it('PBKDF2-HMAC-SHA1: RFC 6070 vectors', () => {
    expect(hex(nodeCrypto.pbkdf2('sha1', text('password'), text('salt'), 1, 20))).toBe('0c60c80f961f0e71f3a9b524af6012062fe037a6');
    expect(hex(nodeCrypto.pbkdf2('sha1', text('password'), text('salt'), 4096, 20))).toBe('4b007901b765489abead49d926f721d065a429c1');
  });

  it('HMAC: RFC 2202 and RFC 4231 test case 2', () => {
    const data = text('what do ya want for nothing?');
    expect(hex(nodeCrypto.hmac('sha1', text('Jefe'), data))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(hex(nodeCrypto.hmac('sha256', text('Jefe'), data))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('hashes (FIPS 180 "abc") and returns plain Uint8Arrays', () => {
    const h = nodeCrypto.hash('sha256', text('abc'));
    expect(hex(h)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(nodeCrypto.hash('sha1', text('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(Buffer.isBuffer(h)).toBe(false);
  });

  it('returns random bytes of the requested length', () => {
    const a = nodeCrypto.randomBytes(32);
    expect(a.length).toBe(32);
    expect(hex(a)).not.toBe(hex(nodeCrypto.randomBytes(32)));
  });
});
