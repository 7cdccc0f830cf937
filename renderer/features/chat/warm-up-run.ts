// When the chat warm-up (warm-up.tsx) does its steps: one per idle period of the page, so that none
// of them lands in a frame the user waits for, and none at all once cancelled. No React, no DOM:
// the idle callbacks come in through IdleApi (requestIdleCallback in the page).

/** What the warm-up shows: the panel as a conversation opens, then with its messages. */
export type WarmUpStage = 'panel' | 'messages';
/**
 * How many times the warm-up opens its conversation. Once compiles the code; the code the page
 * runs most (React's reconciler, the message items) is only optimized (V8's Maglev, compiled on
 * background threads) after it ran several times: when that happens within the first real open,
 * the compiling takes a core from it on a two-core machine (≈ 20 ms of Maglev work traced there).
 * bench/history/open-browser.mjs, first open after sign-in, median of 7–9 sign-ins: 1 round 70 ms,
 * 3 rounds 53 ms, 5 rounds 48–51 ms, 8 rounds 42 ms (later first opens of a conversation ≈ 39 ms).
 * Eight rounds are ≈ 150 ms of work in all, in steps of 3–26 ms.
 */
export const WARM_UP_ROUNDS = 8;

/** One step of the warm-up: which round, and what it shows. */
export interface WarmUpStep {
  round: number;
  stage: WarmUpStage;
}

export const WARM_UP_STEPS: readonly WarmUpStep[] = Array.from({ length: WARM_UP_ROUNDS }, (_, round) =>
  (['panel', 'messages'] as const).map((stage) => ({ round, stage })),
).flat();

/** The part of IdleDeadline used here. */
export interface IdleTime {
  didTimeout: boolean;
  timeRemaining(): number;
}

export interface IdleApi {
  request(cb: (deadline: IdleTime) => void): number;
  cancel(id: number): void;
}

/**
 * A step takes about as long as its part of an open (≈ 5–30 ms): started in a shorter idle period
 * it would delay the next frame, so it waits for a longer one (or for the idle callback's timeout).
 */
export const MIN_IDLE_MS = 20;

/** How long a step may wait for an idle period before it runs anyway. */
export const IDLE_TIMEOUT_MS = 5_000;

export const browserIdle: IdleApi = {
  request: (cb) => requestIdleCallback(cb, { timeout: IDLE_TIMEOUT_MS }),
  cancel: (id) => cancelIdleCallback(id),
};

/**
 * Shows each step in turn, one per idle period, then `null` (the warm-up is taken away) and calls
 * `finished`. `cancel()` stops it where it is: no further step, `finished` not called.
 */
export class WarmUpRun {
  private pending: number | undefined;
  private next = 0;
  private stopped = false;

  constructor(
    private readonly idle: IdleApi,
    private readonly show: (step: WarmUpStep | null) => void,
    private readonly finished: () => void,
  ) {}

  start(): void {
    if (this.pending === undefined && !this.stopped) this.wait();
  }

  cancel(): void {
    this.stopped = true;
    if (this.pending !== undefined) this.idle.cancel(this.pending);
    this.pending = undefined;
  }

  private wait(): void {
    this.pending = this.idle.request((deadline) => {
      this.pending = undefined;
      if (this.stopped) return;
      if (!deadline.didTimeout && deadline.timeRemaining() < MIN_IDLE_MS) return this.wait();
      if (this.next < WARM_UP_STEPS.length) {
        this.show(WARM_UP_STEPS[this.next++]!);
        this.wait();
        return;
      }
      this.stopped = true;
      this.show(null);
      this.finished();
    });
  }
}
