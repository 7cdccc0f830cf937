import { describe, expect, it } from 'vitest';
import { errorText } from './error-text';

describe('errorText', () => {
  it('an Error gives its message, anything else its string form', () => {
    expect(errorText(new TypeError('bad input'))).toBe('bad input');
    expect(errorText('item-not-found')).toBe('item-not-found');
    expect(errorText(42)).toBe('42');
    expect(errorText(undefined)).toBe('undefined');
  });
});
