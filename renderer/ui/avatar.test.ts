import { describe, expect, it } from 'vitest';
import { hueIndex, initials } from './avatar';

describe('avatar initials', () => {
  it('takes the first letters of up to two words', () => {
    expect(initials('Alice Liddell')).toBe('AL');
    expect(initials('bob')).toBe('B');
    expect(initials('carol.smith@example.org')).toBe('CS');
  });

  it('uses one character for CJK names and handles astral characters', () => {
    expect(initials('王小明')).toBe('王');
    expect(initials('😀 smile')).toBe('😀S');
    expect(initials('')).toBe('?');
  });

  it('picks a stable colour per key', () => {
    expect(hueIndex('a@x')).toBe(hueIndex('a@x'));
    expect(hueIndex('a@x')).toBeGreaterThanOrEqual(0);
    expect(hueIndex('a@x')).toBeLessThan(8);
  });
});
