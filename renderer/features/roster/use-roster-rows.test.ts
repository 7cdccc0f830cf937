import { describe, expect, it } from 'vitest';
import { pacedSource } from './use-roster-rows';

interface S {
  roster: number;
  online: number;
}

function harness(external?: (changed: () => void) => () => void) {
  let state: S = { roster: 0, online: 0 };
  const storeListeners = new Set<(s: S, prev: S) => void>();
  const store = {
    getState: () => state,
    subscribe(l: (s: S, prev: S) => void) {
      storeListeners.add(l);
      return () => storeListeners.delete(l);
    },
  };
  const set = (next: Partial<S>) => {
    const prev = state;
    state = { ...state, ...next };
    for (const l of [...storeListeners]) l(state, prev);
  };
  let clock = 1000;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const advance = (ms: number) => {
    clock += ms;
    for (const [id, t] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > clock) continue;
      timers.delete(id);
      t.fn();
    }
  };
  let selects = 0;
  // A new object per call, like a row model rebuilt from changed inputs.
  const select = (s: S) => (selects++, { roster: s.roster, online: s.online });
  const source = pacedSource(store, select, (s, p) => s.roster !== p.roster, (s, p) => s.online !== p.online, {
    intervalMs: 150,
    now: () => clock,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: clock + ms, fn });
      return id;
    },
    clearTimer: (h) => timers.delete(h as number),
    external,
  });
  return { source, set, advance, storeListeners, timers, selects: () => selects };
}

describe('paced roster rows', () => {
  it('applies a roster change at once and paces presence-only changes to one rebuild per interval', () => {
    const h = harness();
    let notified = 0;
    const off = h.source.subscribe(() => notified++);
    const first = h.source.getSnapshot();
    expect(h.source.getSnapshot()).toBe(first);

    h.set({ online: 1 }); // within the interval since subscribing: waits
    h.set({ online: 2 });
    h.set({ online: 3 });
    expect(notified).toBe(0);
    expect(h.source.getSnapshot()).toBe(first);
    h.advance(150);
    expect(h.source.getSnapshot()).toBe(first); // derived, not handed out yet
    h.advance(0);
    expect(notified).toBe(1);
    expect(h.source.getSnapshot()).toMatchObject({ online: 3 });

    h.set({ online: 4 });
    h.advance(100);
    expect(notified).toBe(1);
    h.set({ roster: 1 }); // urgent: now, and the pending timer is dropped
    expect(notified).toBe(2);
    expect(h.source.getSnapshot()).toMatchObject({ roster: 1, online: 4 });
    expect(h.timers.size).toBe(0);

    h.advance(1000);
    h.set({ online: 5 }); // quiet for longer than the interval: in the next task, not this one
    expect(notified).toBe(2);
    h.advance(0); // derived
    expect(notified).toBe(2);
    h.advance(0); // handed to the listeners
    expect(notified).toBe(3);
    off();
  });

  it('shares one store subscription and one rebuild among its listeners, and stops with the last', () => {
    const h = harness();
    let a = 0;
    let b = 0;
    const offA = h.source.subscribe(() => a++);
    const offB = h.source.subscribe(() => b++);
    expect(h.storeListeners.size).toBe(1);
    const before = h.selects();
    h.advance(200);
    h.set({ online: 1 });
    h.advance(0);
    h.advance(0);
    expect([a, b]).toEqual([1, 1]);
    expect(h.selects() - before).toBe(1);
    offA();
    h.set({ online: 2 });
    offB();
    expect(h.storeListeners.size).toBe(0);
    expect(h.timers.size).toBe(0);
    // Unsubscribed, the snapshot is the current state's.
    expect(h.source.getSnapshot()).toMatchObject({ online: 2 });
  });

  it('rebuilds at once when the external source says so, listening only while subscribed', () => {
    const externals = new Set<() => void>();
    const h = harness((changed) => {
      externals.add(changed);
      return () => externals.delete(changed);
    });
    expect(externals.size).toBe(0);
    let notified = 0;
    const off = h.source.subscribe(() => notified++);
    expect(externals.size).toBe(1);
    h.set({ online: 1 }); // paced: waits
    expect(notified).toBe(0);
    const selects = h.selects();
    for (const e of externals) e();
    expect(h.selects()).toBe(selects); // not in the notifying task
    h.advance(0);
    expect(h.selects()).toBe(selects + 1);
    h.advance(0);
    expect(notified).toBe(1);
    expect(h.timers.size).toBe(0);
    off();
    expect(externals.size).toBe(0);
  });
});
