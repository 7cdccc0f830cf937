// Reconnect timing: exponential backoff with jitter and a cap, reset after a stable period.
// Pure: the caller passes randomness and the clock, so tests need no timers.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Online this long counts as stable: the next failure starts again from the base delay. */
  stableMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1_000, capMs: 300_000, stableMs: 60_000 };

/** Delay before attempt number `attempt` (1 = first retry): half fixed, half random ("equal jitter"). */
export function backoffDelay(attempt: number, random: number, policy: BackoffPolicy = defaultBackoff): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 1));
}

/** Attempt counter after a disconnect: back to 1 when the connection had been stable. */
export function nextAttempt(previous: number, onlineSince: number | undefined, now: number, policy: BackoffPolicy = defaultBackoff): number {
  if (onlineSince !== undefined && now - onlineSince >= policy.stableMs) return 1;
  return previous + 1;
}
