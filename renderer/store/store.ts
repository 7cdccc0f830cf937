// The zustand store holding RootState. State changes only through dispatch(), which folds actions
// with the pure reducers; components read narrow slices with useFlint(selector).
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Action } from './actions';
import { applyAll, emptyRoot, type RootState } from './root';
import { persistedSettings, restoreSettings } from './settings';

export const flintStore = createStore<RootState>(() => emptyRoot);

export function dispatch(...actions: Action[]): void {
  if (actions.length === 0) return;
  flintStore.setState((s) => applyAll(s, actions), true);
}

export function useFlint<T>(selector: (s: RootState) => T): T {
  return useStore(flintStore, selector);
}

export const getState = (): RootState => flintStore.getState();

const SETTINGS_KEY = 'flint.settings';

/** Load saved UI settings and save them whenever they change. */
export function persistSettings(storage: Pick<Storage, 'getItem' | 'setItem'> | null): void {
  if (!storage) return;
  try {
    const raw = storage.getItem(SETTINGS_KEY);
    if (raw) flintStore.setState((s) => ({ ...s, settings: restoreSettings(JSON.parse(raw)) }), true);
  } catch {
    // Corrupt or unreadable settings: start from the defaults.
  }
  let last = flintStore.getState().settings;
  flintStore.subscribe((s) => {
    if (s.settings === last) return;
    const prev = last;
    last = s.settings;
    // The filter is not saved, so typing in it writes nothing.
    if (JSON.stringify(persistedSettings(prev)) === JSON.stringify(persistedSettings(s.settings))) return;
    try {
      storage.setItem(SETTINGS_KEY, JSON.stringify(persistedSettings(s.settings)));
    } catch {
      // Quota or privacy mode: settings then last for this session only.
    }
  });
}
