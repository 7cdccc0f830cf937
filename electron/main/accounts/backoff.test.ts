import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultBackoff, nextAttempt } from './backoff';

describe('reconnect backoff', () => {
  it('grows exponentially with equal jitter and stays under the cap', () => {
    const lows = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, 0));
    const highs = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1));
    expect(lows).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(highs).toEqual([1000, 2000, 4000, 8000, 16000]);
    for (let n = 1; n < 100; n++) {
      const d = backoffDelay(n, Math.random());
      expect(d).toBeLessThanOrEqual(defaultBackoff.capMs);
      expect(d).toBeGreaterThanOrEqual(Math.min(defaultBackoff.capMs, 1000 * 2 ** (n - 1)) / 2);
    }
  });

  it('spreads clients apart (jitter) instead of retrying in lockstep', () => {
    const delays = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(6, i / 49)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it('starts again from the base after a stable period online', () => {
    expect(nextAttempt(5, 0, 61_000)).toBe(1);
    expect(nextAttempt(5, 30_000, 61_000)).toBe(6);
    expect(nextAttempt(2, undefined, 1_000)).toBe(3);
  });
});
