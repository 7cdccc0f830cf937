// A store value for a view that need not follow every change: the first change after a quiet
// spell shows at once (a lone message is not delayed), then at most one update per `intervalMs`
// while changes keep coming — the last one always lands. A flood of messages then costs the page a
// few renders (and layouts, and frames) a second instead of one per batch from main, and each
// render takes in everything that arrived meanwhile.
import { useEffect, useState } from 'react';
import type { RootState } from '../../store/root';
import { flintStore } from '../../store/store';

export function useThrottledFlint<T>(select: (s: RootState) => T, intervalMs: number): T {
  const [value, setValue] = useState(() => select(flintStore.getState()));
  useEffect(() => {
    let current = select(flintStore.getState());
    // What changed between the render and this effect (or a new selector) shows now.
    setValue(() => current);
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () => {
      timer = undefined;
      last = performance.now();
      setValue(() => current);
    };
    const unsubscribe = flintStore.subscribe((s) => {
      const next = select(s);
      if (Object.is(next, current)) return;
      current = next;
      if (timer !== undefined) return;
      const wait = last + intervalMs - performance.now();
      if (wait <= 0) show();
      else timer = setTimeout(show, wait);
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [select, intervalMs]);
  return value;
}
