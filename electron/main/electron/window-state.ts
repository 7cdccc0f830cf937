// Remembers the window's size, position and maximized state in <userData>/window-state.json and
// restores them clamped to the displays present now (settings/window-bounds.ts).
import { screen } from 'electron';
import type { BrowserWindow, Rectangle } from 'electron';
import path from 'node:path';
import { readJsonFile, writeJsonFile } from '../settings/json-file';
import { parseWindowState, restoreBounds } from '../settings/window-bounds';
import type { WindowState } from '../settings/window-bounds';

const FILE = 'window-state.json';

export function loadWindowState(dataDir: string): { bounds: Partial<Rectangle>; maximized: boolean } {
  const saved = parseWindowState(readJsonFile(path.join(dataDir, FILE)));
  const primary = screen.getPrimaryDisplay();
  const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  return { bounds: restoreBounds(saved.bounds, areas), maximized: saved.maximized === true };
}

/** Saves the state after moves/resizes settle and when the window closes. */
export function trackWindowState(win: BrowserWindow, dataDir: string): void {
  const file = path.join(dataDir, FILE);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed()) return;
    // Normal bounds: what the window returns to when un-maximized, not the maximized size.
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      writeJsonFile(file, state);
    } catch {
      // A read-only profile only costs the remembered position.
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}
