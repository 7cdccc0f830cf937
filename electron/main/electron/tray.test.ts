import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

vi.mock('electron', () => ({ Menu: {}, Tray: class {}, nativeImage: {} }));
const { trayMenuTemplate, trayTooltip } = await import('./tray');

describe('trayMenuTemplate', () => {
  const calls: string[] = [];
  const actions = { onOpen: () => calls.push('open'), onQuit: () => calls.push('quit'), onSetPresence: (s: string) => calls.push(`presence:${s}`) };
  const labelled = (items: MenuItemConstructorOptions[]) => items.filter((i) => i.label);

  it('checks the current presence and sets another through the callback', () => {
    const items = trayMenuTemplate('away', true, actions);
    expect(labelled(items).map((i) => [i.label, i.checked ?? null, i.enabled ?? true])).toEqual([
      ['Available', false, true],
      ['Away', true, true],
      ['Extended away', false, true],
      ['Do not disturb', false, true],
      ['Open Flint', null, true],
      ['Quit', null, true],
    ]);
    (items.find((i) => i.label === 'Do not disturb')!.click as () => void)();
    (items.find((i) => i.label === 'Open Flint')!.click as () => void)();
    (items.find((i) => i.label === 'Quit')!.click as () => void)();
    expect(calls).toEqual(['presence:dnd', 'open', 'quit']);
  });

  it('"chat" shows as Available; offline disables the status items', () => {
    expect(trayMenuTemplate('chat', true, actions).find((i) => i.checked)?.label).toBe('Available');
    const off = trayMenuTemplate('offline', false, actions);
    expect(off.filter((i) => i.type === 'radio').every((i) => i.enabled === false && i.checked === false)).toBe(true);
    expect(off.find((i) => i.label === 'Open Flint')?.enabled).toBeUndefined();
  });
});

describe('trayTooltip', () => {
  it('names the presence and, when there is any, the unread total', () => {
    expect(trayTooltip('away', true, 0)).toBe('Flint — Away');
    expect(trayTooltip('chat', true, 3)).toBe('Flint — Available — 3 unread');
    expect(trayTooltip('dnd', false, 12)).toBe('Flint — Offline — 12 unread');
  });
});
