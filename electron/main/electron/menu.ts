// The application menu: the platform's usual Edit/View/Window/Help shortcuts through Electron
// roles (so copy/paste and friends work in the page), reload and DevTools only in development.
// A pure template; electron/main/index.ts builds and installs it.
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  isMac: boolean;
  isDev: boolean;
  appName: string;
  /** Help ▸ About on Windows/Linux (macOS has the role in the app menu). */
  onAbout(): void;
}

export function appMenuTemplate(opts: AppMenuOptions): MenuItemConstructorOptions[] {
  const menus: MenuItemConstructorOptions[] = [];
  if (opts.isMac) {
    menus.push({
      label: opts.appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  } else {
    menus.push({ label: '&File', submenu: [{ role: 'quit' }] });
  }
  menus.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(opts.isMac ? ([{ role: 'pasteAndMatchStyle' }] as const) : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  menus.push({
    label: '&View',
    submenu: [
      ...(opts.isDev ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  menus.push({
    label: '&Window',
    submenu: opts.isMac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  menus.push({
    label: '&Help',
    role: 'help',
    submenu: opts.isMac ? [{ role: 'about' }] : [{ label: `&About ${opts.appName}`, click: () => opts.onAbout() }],
  });
  return menus;
}
