import { describe, expect, it } from 'vitest';
import { SaslPrepError, saslPrep } from './saslprep';

describe('saslPrep', () => {
  // RFC 4013 §3 examples.
  it.each([
    ['I\u00adX', 'IX', 'SOFT HYPHEN mapped to nothing'],
    ['user', 'user', 'no transformation'],
    ['USER', 'USER', 'case preserved, will not match #2'],
    ['\u00aa', 'a', 'output is NFKC, input in ISO 8859-1'],
    ['\u2168', 'IX', 'output is NFKC, will match #1'],
  ])('RFC 4013 §3: %j → %j (%s)', (input, output) => {
    expect(saslPrep(input)).toBe(output);
  });

  it('RFC 4013 §3: U+0007 is a prohibited character', () => {
    expect(() => saslPrep('\u0007')).toThrow(SaslPrepError);
    expect(() => saslPrep('\u0007')).toThrow(/control character \(U\+0007\)/);
  });

  it('RFC 4013 §3: U+0627 U+0031 fails the bidirectional check', () => {
    expect(() => saslPrep('\u0627\u0031')).toThrow(/right-to-left/);
  });

  it('maps non-ASCII spaces to U+0020 and the B.1 characters to nothing', () => {
    expect(saslPrep('a\u00a0b\u3000c\u2003d')).toBe('a b c d');
    expect(saslPrep('pass\u200dword\ufe0f\u00ad')).toBe('password');
  });

  it('accepts right-to-left text that starts and ends with RandALCat', () => {
    expect(saslPrep('\u0627\u0031\u0628')).toBe('\u0627\u0031\u0628');
    expect(saslPrep('\u05d0\u05d1')).toBe('\u05d0\u05d1');
  });

  it('rejects mixed right-to-left and left-to-right letters', () => {
    expect(() => saslPrep('\u0627a\u0628')).toThrow(/mixes right-to-left and left-to-right/);
  });

  it.each([
    ['\u0000', 'control'],
    ['a\u0085', 'control'],
    ['\ue000', 'private-use'],
    ['\u{f0000}', 'private-use'],
    ['\ufdd0', 'non-character'],
    ['\u{1fffe}', 'non-character'],
    ['\ud800', 'unpaired surrogate'],
    ['\ufffd', 'plain text'],
    ['\u2ff0', 'ideographic description'],
    ['\u200e', 'display-changing'],
    ['\u{e0001}', 'tagging'],
  ])('rejects prohibited output %j (%s)', (input, why) => {
    expect(() => saslPrep(input)).toThrow(new RegExp(why));
  });

  it('allows unassigned code points in queries only', () => {
    expect(saslPrep('a\u0378b')).toBe('a\u0378b');
    expect(() => saslPrep('a\u0378b', { allowUnassigned: false, what: 'password' })).toThrow(/password contains an unassigned code point \(U\+0378\)/);
  });

  it('leaves printable ASCII untouched', () => {
    const all = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    expect(saslPrep(all)).toBe(all);
  });
});
