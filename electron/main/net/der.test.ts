import { describe, expect, it } from 'vitest';
import { children, decodeOid, decodeString, decodeTime, DerError, readTlv, TAG } from './der';

const bytes = (...b: number[]) => new Uint8Array(b);
const ascii = (s: string) => new TextEncoder().encode(s);

describe('DER reader', () => {
  it('decodes OIDs (X.690 §8.19)', () => {
    // 1.2.840.113549.1.1.11 sha256WithRSAEncryption
    expect(decodeOid(bytes(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b))).toBe('1.2.840.113549.1.1.11');
    // 2.5.29.17 subjectAltName; 2.999 packs the first octet above 80
    expect(decodeOid(bytes(0x55, 0x1d, 0x11))).toBe('2.5.29.17');
    expect(decodeOid(bytes(0x88, 0x37))).toBe('2.999');
    expect(() => decodeOid(bytes(0x2a, 0x86))).toThrow(DerError);
  });

  it('reads short and long lengths and refuses indefinite or overlong ones', () => {
    const long = new Uint8Array(3 + 200);
    long.set([0x04, 0x81, 200]);
    expect(readTlv(long).value.length).toBe(200);
    expect(() => readTlv(bytes(0x30, 0x80, 0, 0))).toThrow(/indefinite/);
    expect(() => readTlv(bytes(0x04, 0x05, 1, 2))).toThrow(DerError);
    expect(children(bytes(0x02, 0x01, 0x05, 0x05, 0x00)).map((t) => t.tag)).toEqual([TAG.INTEGER, TAG.NULL]);
  });

  it('decodes UTCTime with the RFC 5280 century rule and GeneralizedTime', () => {
    const utc = (s: string) => decodeTime({ tag: TAG.UTC_TIME, value: ascii(s), encoded: new Uint8Array() });
    expect(utc('491231235959Z').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(utc('500101000000Z').toISOString()).toBe('1950-01-01T00:00:00.000Z');
    const gen = decodeTime({ tag: TAG.GENERALIZED_TIME, value: ascii('20500101120000Z'), encoded: new Uint8Array() });
    expect(gen.toISOString()).toBe('2050-01-01T12:00:00.000Z');
    expect(() => utc('2001011200Z')).toThrow(DerError);
  });

  it('decodes the directory string types', () => {
    expect(decodeString({ tag: TAG.UTF8_STRING, value: new TextEncoder().encode('bücher'), encoded: new Uint8Array() })).toBe('bücher');
    expect(decodeString({ tag: TAG.BMP_STRING, value: bytes(0x00, 0x62, 0x00, 0xfc), encoded: new Uint8Array() })).toBe('bü');
    expect(decodeString({ tag: TAG.UNIVERSAL_STRING, value: bytes(0, 1, 0xf6, 0x00), encoded: new Uint8Array() })).toBe('😀');
    expect(() => decodeString({ tag: TAG.UTF8_STRING, value: bytes(0xc3), encoded: new Uint8Array() })).toThrow();
  });
});
