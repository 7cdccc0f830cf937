import { describe, expect, it } from 'vitest';
import { parseDateTime } from './parse';

describe('XEP-0082 DateTime', () => {
  it.each([
    ['1969-07-21T02:56:15Z', Date.UTC(1969, 6, 21, 2, 56, 15)],
    ['1969-07-20T21:56:15-05:00', Date.UTC(1969, 6, 21, 2, 56, 15)],
    ['2002-09-10T23:08:25.123Z', Date.UTC(2002, 8, 10, 23, 8, 25, 123)],
    ['2002-09-10T23:08:25.1234567Z', Date.UTC(2002, 8, 10, 23, 8, 25, 123)],
    ['2002-09-10T23:08:25.5+14:00', Date.UTC(2002, 8, 10, 9, 8, 25, 500)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)],
    ['9999-12-31T23:59:59Z', Date.UTC(9999, 11, 31, 23, 59, 59)],
  ])('parses %s', (s, ms) => {
    expect(parseDateTime(s)).toBe(ms);
  });

  it('keeps years 0000–0099 as written (no 1900 offset)', () => {
    expect(new Date(parseDateTime('0000-01-01T00:00:00Z')!).getUTCFullYear()).toBe(0);
    expect(new Date(parseDateTime('0050-06-01T00:00:00Z')!).getUTCFullYear()).toBe(50);
  });

  it.each([
    'garbage',
    '',
    '2002-09-10',
    '2002-09-10T23:08:25',
    '2002-13-10T23:08:25Z',
    '2002-02-30T23:08:25Z',
    '2023-02-29T00:00:00Z',
    '2002-09-10T24:00:00Z',
    '2002-09-10T23:60:00Z',
    '2002-09-10T23:08:25+15:00',
    '02-09-10T23:08:25Z',
    '20020910T230825Z',
  ])('rejects %j', (s) => {
    expect(parseDateTime(s)).toBeUndefined();
  });
});
