import { describe, expect, it } from 'vitest';
import { RateMeter } from './progress';

describe('RateMeter', () => {
  it('smooths the rate and derives the time left', () => {
    let t = 0;
    const m = new RateMeter(() => t);
    t = 1000;
    expect(m.update(1_000_000)).toBe(1_000_000);
    t = 2000;
    const r = m.update(1_500_000); // slowed to 500 kB/s: the average moves towards it
    expect(r).toBeLessThan(1_000_000);
    expect(r).toBeGreaterThan(500_000);
    expect(m.eta(1_500_000, 1_500_000 + r * 10)).toBe(10);
    expect(m.eta(0, undefined)).toBeUndefined();
    t = 2010;
    expect(m.update(9_999_999)).toBe(r); // too soon to say anything new
  });
});
