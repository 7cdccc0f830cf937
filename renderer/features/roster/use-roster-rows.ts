// The roster row model for the list, with presence-driven regrouping paced (issue 4: a presence
// flood). Every other input — the roster, the filter, view options, a collapsed group — applies
// at once; when only the online set (or, sorting by status, the shows) changed, the rows are
// rebuilt at most every REGROUP_MS. A row's own presence (dot, status text) is not delayed: each
// row selects it itself. So under 10,000 presence updates a second the list is rebuilt a few
// times a second instead of once per 16 ms batch, and each batch costs only the reducer.
import { useEffect, useState } from 'react';
import type { RootState } from '../../store/root';
import { selectRosterRows, type RosterRows } from '../../store/roster-rows';
import { flintStore } from '../../store/store';

export const REGROUP_MS = 150;

/** Whether a state change needs the rows now (anything but who is online / their show). */
export function changedBeyondPresence(s: RootState, prev: RootState): boolean {
  return s.roster !== prev.roster || s.settings !== prev.settings;
}

export function useRosterRows(): RosterRows {
  const [rows, setRows] = useState(() => selectRosterRows(flintStore.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastBuild = -Infinity;
    const build = () => {
      timer = null;
      lastBuild = performance.now();
      setRows(selectRosterRows(flintStore.getState()));
    };
    // Catch up with anything that changed between the first render and this effect.
    build();
    const unsubscribe = flintStore.subscribe((s, prev) => {
      if (changedBeyondPresence(s, prev)) {
        if (timer) clearTimeout(timer);
        build();
        return;
      }
      if (s.presence.online === prev.presence.online && s.presence.shows === prev.presence.shows) return;
      if (timer) return;
      const wait = lastBuild + REGROUP_MS - performance.now();
      if (wait <= 0) build();
      else timer = setTimeout(build, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return rows;
}
