import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from './menu';

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);
}

describe('appMenuTemplate', () => {
  const base = { appName: 'Flint', onAbout: () => {} };

  it('has the usual edit shortcuts everywhere', () => {
    for (const isMac of [true, false]) {
      const r = roles(appMenuTemplate({ ...base, isMac, isDev: false }));
      for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit', 'minimize', 'zoomIn', 'zoomOut', 'resetZoom']) expect(r).toContain(role);
    }
  });

  it('offers reload and DevTools only in development', () => {
    const prod = roles(appMenuTemplate({ ...base, isMac: false, isDev: false }));
    expect(prod).not.toContain('reload');
    expect(prod).not.toContain('forceReload');
    expect(prod).not.toContain('toggleDevTools');
    const dev = roles(appMenuTemplate({ ...base, isMac: false, isDev: true }));
    expect(dev).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('Help ▸ About calls back on Windows/Linux and uses the role on macOS', () => {
    let about = 0;
    const help = appMenuTemplate({ ...base, isMac: false, isDev: false, onAbout: () => about++ }).find((m) => m.role === 'help')!;
    const item = (help.submenu as MenuItemConstructorOptions[])[0]!;
    expect(item.label).toBe('&About Flint');
    (item.click as () => void)();
    expect(about).toBe(1);
    const mac = appMenuTemplate({ ...base, isMac: true, isDev: false });
    expect(mac[0]!.label).toBe('Flint');
    expect(roles(mac.filter((m) => m.role === 'help'))).toContain('about');
  });
});
