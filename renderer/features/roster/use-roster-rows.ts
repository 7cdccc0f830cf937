// The roster row model for the list, with presence-driven regrouping paced (issue 4: a presence
// flood). Every other input — the roster, the filter, view options, a collapsed group — applies
// at once; when only the online set (or, sorting by status, the shows) changed, the rows are
// rebuilt at most every REGROUP_MS. A row's own presence (dot, status text) is not delayed: each
// row selects it itself. So under 10,000 presence updates a second the list is rebuilt a few
// times a second instead of once per 16 ms batch, and each batch costs only the reducer.
// One paced source for every component that shows the rows (the panel and the tree): with a timer
// each, they rebuilt the rows — and React re-rendered the list — twice per interval.
import { useSyncExternalStore } from 'react';
import type { RootState } from '../../store/root';
import { selectRosterRows, type RosterRows } from '../../store/roster-rows';
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
  let timer: unknown = null;
  let lastBuild = -Infinity;

  const build = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    lastBuild = now();
    const next = select(store.getState());
    if (Object.is(next, current)) return;
    current = next;
    for (const l of [...listeners]) l();
  };

  const onChange = (s: S, prev: S) => {
    if (urgent(s, prev)) return build();
    if (!paced(s, prev) || timer !== null) return;
    const wait = lastBuild + intervalMs - now();
    if (wait <= 0) build();
    else timer = setTimer(build, wait);
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribe) {
        current = select(store.getState());
        lastBuild = now();
        unsubscribe = store.subscribe(onChange);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || !unsubscribe) return;
        unsubscribe();
        unsubscribe = null;
        if (timer !== null) clearTimer(timer);
        timer = null;
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
);

export function useRosterRows(): RosterRows {
  return useSyncExternalStore(rosterRows.subscribe, rosterRows.getSnapshot);
}
