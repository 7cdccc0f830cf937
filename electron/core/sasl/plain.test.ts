import { describe, expect, it } from 'vitest';
import { PlainError, plainInitialResponse } from './plain';

describe('plainInitialResponse', () => {
  it('builds [authzid] NUL authcid NUL passwd (RFC 4616 §2)', () => {
    expect(plainInitialResponse({ username: 'tim', password: 'tanstaaftanstaaf' })).toBe('\u0000tim\u0000tanstaaftanstaaf');
    expect(plainInitialResponse({ username: 'Ursel', password: 'kurt', authzid: 'Kurt' })).toBe('Kurt\u0000Ursel\u0000kurt');
  });

  it('SASLprep\'s user name and password (RFC 4013 §3 examples)', () => {
    expect(plainInitialResponse({ username: 'I\u00adX', password: '\u2168' })).toBe('\u0000IX\u0000IX');
    expect(plainInitialResponse({ username: '\u00aa', password: 'p\u00a0w' })).toBe('\u0000a\u0000p w');
  });

  it('rejects prohibited, NUL-carrying or empty values', () => {
    expect(() => plainInitialResponse({ username: 'user', password: 'a\u0007' })).toThrow(PlainError);
    expect(() => plainInitialResponse({ username: 'us\u0000er', password: 'x' })).toThrow(/control character/);
    expect(() => plainInitialResponse({ username: 'user', password: 'x', authzid: 'a\u0000b' })).toThrow(/NUL/);
    expect(() => plainInitialResponse({ username: '', password: 'x' })).toThrow(/user name is empty/);
    expect(() => plainInitialResponse({ username: 'user', password: '\u00ad' })).toThrow(/password is empty/);
  });
});
