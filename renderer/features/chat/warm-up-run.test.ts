import { describe, expect, it } from 'vitest';
import { MIN_IDLE_MS, WARM_UP_ROUNDS, WARM_UP_STEPS, WarmUpRun, type IdleApi, type IdleTime, type WarmUpStep } from './warm-up-run';

/** Idle callbacks the test hands out itself, one at a time. */
function fakeIdle() {
  const queue = new Map<number, (d: IdleTime) => void>();
  const cancelled: number[] = [];
  let next = 1;
  const api: IdleApi = {
    request(cb) {
      queue.set(next, cb);
      return next++;
    },
    cancel(id) {
      cancelled.push(id);
      queue.delete(id);
    },
  };
  /** Runs the oldest pending callback with an idle period of `ms` (or a timeout). */
  const idle = (ms = 50, didTimeout = false) => {
    const [id, cb] = [...queue][0] ?? [];
    if (id === undefined || !cb) throw new Error('no idle callback pending');
    queue.delete(id);
    cb({ didTimeout, timeRemaining: () => ms });
  };
  return { api, idle, pending: () => queue.size, cancelled };
}

function run(idle: IdleApi) {
  const shown: (WarmUpStep | null)[] = [];
  let finished = 0;
  const r = new WarmUpRun(
    idle,
    (s) => shown.push(s),
    () => finished++,
  );
  return { r, shown, finished: () => finished };
}

describe('WarmUpRun', () => {
  it('shows each step in its own idle period, then takes the warm-up away and reports it finished once', () => {
    const f = fakeIdle();
    const { r, shown, finished } = run(f.api);
    r.start();
    expect(shown).toEqual([]);
    for (let i = 0; i < WARM_UP_STEPS.length; i++) {
      expect(f.pending()).toBe(1);
      f.idle();
      expect(shown).toEqual(WARM_UP_STEPS.slice(0, i + 1));
    }
    expect(finished()).toBe(0);
    f.idle();
    expect(shown.at(-1)).toBeNull();
    expect(finished()).toBe(1);
    expect(f.pending()).toBe(0);
  });

  it('opens the panel and then its messages, round after round', () => {
    expect(WARM_UP_STEPS).toHaveLength(2 * WARM_UP_ROUNDS);
    WARM_UP_STEPS.forEach((s, i) => expect(s).toEqual({ round: Math.floor(i / 2), stage: i % 2 ? 'messages' : 'panel' }));
  });

  it('waits for a longer idle period than a step takes, unless the idle callback timed out', () => {
    const f = fakeIdle();
    const { r, shown } = run(f.api);
    r.start();
    f.idle(MIN_IDLE_MS - 1);
    expect(shown).toEqual([]);
    expect(f.pending()).toBe(1);
    f.idle(0, true);
    expect(shown).toEqual([WARM_UP_STEPS[0]]);
  });

  it('cancelled before its first idle period: the pending callback is cancelled and nothing is shown', () => {
    const f = fakeIdle();
    const { r, shown, finished } = run(f.api);
    r.start();
    r.cancel();
    expect(f.cancelled).toEqual([1]);
    expect(f.pending()).toBe(0);
    expect(shown).toEqual([]);
    expect(finished()).toBe(0);
    r.start();
    expect(f.pending()).toBe(0);
  });

  it('cancelled half-way: no further step, never reported finished', () => {
    const f = fakeIdle();
    const { r, shown, finished } = run(f.api);
    r.start();
    f.idle();
    f.idle();
    r.cancel();
    expect(f.pending()).toBe(0);
    expect(shown).toEqual(WARM_UP_STEPS.slice(0, 2));
    expect(finished()).toBe(0);
  });

  it('a callback already on its way after cancel does nothing', () => {
    const queue: ((d: IdleTime) => void)[] = [];
    // An idle API whose cancel comes too late (the callback was already taken off its queue).
    const late: IdleApi = { request: (cb) => queue.push(cb), cancel: () => {} };
    const { r, shown, finished } = run(late);
    r.start();
    r.cancel();
    queue[0]!({ didTimeout: false, timeRemaining: () => 50 });
    expect(shown).toEqual([]);
    expect(finished()).toBe(0);
    expect(queue).toHaveLength(1);
  });
});
