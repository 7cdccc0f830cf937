// One transfer's record for a card, with progress-only changes throttled: a card re-renders at most
// every PROGRESS_MS for bytes/rate/time left, but at once when anything else changes (state,
// method, error), so a finished transfer never looks stuck.
import { useEffect, useRef, useState } from 'react';
import type { TransferInfo } from '../../../shared/transfer';
import { flintStore } from '../../store/store';

export const PROGRESS_MS = 250;

const onlyProgress = (a: TransferInfo, b: TransferInfo): boolean =>
  a.state === b.state && a.method === b.method && a.transport === b.transport && a.error === b.error && a.path === b.path && a.attempts === b.attempts && a.url === b.url;

export function useTransfer(id: string): TransferInfo | undefined {
  const [shown, setShown] = useState<TransferInfo | undefined>(() => flintStore.getState().transfers.byId[id]);
  const last = useRef({ info: shown, at: 0 });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (info: TransferInfo | undefined) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      last.current = { info, at: performance.now() };
      setShown(info);
    };
    const check = () => {
      const info = flintStore.getState().transfers.byId[id];
      const prev = last.current.info;
      if (info === prev) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        return;
      }
      if (!info || !prev || !onlyProgress(info, prev)) return show(info);
      const wait = PROGRESS_MS - (performance.now() - last.current.at);
      if (wait <= 0) return show(info);
      // Read the store again when the timer fires: later progress folds into the same render.
      timer ??= setTimeout(() => {
        timer = undefined;
        show(flintStore.getState().transfers.byId[id]);
      }, wait);
    };
    check();
    const unsubscribe = flintStore.subscribe((s, prev) => {
      if (s.transfers.byId !== prev.transfers.byId) check();
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [id]);
  return shown;
}
