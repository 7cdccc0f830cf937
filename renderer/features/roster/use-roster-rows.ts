// The roster row model for the list, with presence-driven regrouping paced (issue 4: a presence
// flood). Every other input — the roster, the filter, view options, a collapsed group — applies
// at once; when only the online set (or, sorting by status, the shows) changed, the rows are
// rebuilt at most every REGROUP_MS, in a task of its own. A row's own presence (dot, status text) is not delayed: each
// row selects it itself. So under 10,000 presence updates a second the list is rebuilt a few
// times a second instead of once per 16 ms batch, and each batch costs only the reducer.
// One paced source for every component that shows the rows (the panel and the tree): with a timer
// each, they rebuilt the rows — and React re-rendered the list — twice per interval.
import { useSyncExternalStore } from 'react';
import type { RootState } from '../../store/root';
import { onContactsSorted, selectRosterRows, type RosterRows } from '../../store/roster-rows';
import { flintStore } from '../../store/store';

export const REGROUP_MS = 150;

/** Whether a state change needs the rows now (anything but who is online / their show). */
export function changedBeyondPresence(s: RootState, prev: RootState): boolean {
  return s.roster !== prev.roster || s.settings !== prev.settings;
}

export interface PacedSource<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

interface StoreLike<S> {
  getState(): S;
  subscribe(listener: (s: S, prev: S) => void): () => void;
}

export interface PacingOptions {
  intervalMs?: number;
  /** Something besides the store that changes the value: subscribe to it; a change rebuilds without waiting for the interval. */
  external?: (changed: () => void) => () => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * A value derived from a store, recomputed at once when `urgent(s, prev)` says so and at most
 * every `intervalMs` when only `paced(s, prev)` does. Listens to the store while it has listeners.
 */
export function pacedSource<S, T>(store: StoreLike<S>, select: (s: S) => T, urgent: (s: S, prev: S) => boolean, paced: (s: S, prev: S) => boolean, opts: PacingOptions = {}): PacedSource<T> {
  const intervalMs = opts.intervalMs ?? REGROUP_MS;
  const now = opts.now ?? (() => performance.now());
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const listeners = new Set<() => void>();
  let current: T | undefined;
  let unsubscribe: (() => void) | null = null;
  let unsubscribeExternal: (() => void) | null = null;
  let timer: unknown = null;
  let publishTimer: unknown = null;
  let lastBuild = -Infinity;

  const publish = (next: T) => {
    if (Object.is(next, current)) return;
    current = next;
    for (const l of [...listeners]) l();
  };

  const cancel = () => {
    if (timer !== null) clearTimer(timer);
    if (publishTimer !== null) clearTimer(publishTimer);
    timer = publishTimer = null;
  };

  const build = () => {
    cancel();
    lastBuild = now();
    publish(select(store.getState()));
  };

  // A paced rebuild derives the value in one task and hands it to the listeners (React renders
  // the list) in the next (issue 4: each well under 10 ms of a presence flood's main thread).
  const pacedBuild = () => {
    timer = null;
    lastBuild = now();
    const next = select(store.getState());
    if (publishTimer !== null) clearTimer(publishTimer);
    publishTimer = Object.is(next, current) ? null : setTimer(() => ((publishTimer = null), publish(next)), 0);
  };

  // An external change (a deferred sort) is rebuilt as a paced one, but without waiting.
  const externalChange = () => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(pacedBuild, 0);
  };

  const onChange = (s: S, prev: S) => {
    if (urgent(s, prev)) return build();
    if (!paced(s, prev) || timer !== null) return;
    // Never in the task that applied the change: a presence batch and the regrouping it causes
    // are separate tasks.
    timer = setTimer(pacedBuild, Math.max(0, lastBuild + intervalMs - now()));
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribe) {
        current = select(store.getState());
        lastBuild = now();
        unsubscribe = store.subscribe(onChange);
        unsubscribeExternal = opts.external?.(externalChange) ?? null;
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !unsubscribe) return;
        unsubscribe();
        unsubscribe = null;
        unsubscribeExternal?.();
        unsubscribeExternal = null;
        cancel();
        current = undefined;
      };
    },
    // Unsubscribed (a first render), the value of the current state: select is memoized.
    getSnapshot: () => (unsubscribe ? (current as T) : select(store.getState())),
  };
}

const rosterRows = pacedSource(
  flintStore,
  selectRosterRows,
  changedBeyondPresence,
  (s, prev) => s.presence.online !== prev.presence.online || s.presence.shows !== prev.presence.shows,
  // A large roster's full sort, done after its first frame (store/roster-order.ts).
  { external: onContactsSorted },
);

export function useRosterRows(): RosterRows {
  return useSyncExternalStore(rosterRows.subscribe, rosterRows.getSnapshot);
}
