// The system-tray icon: its colour shows our presence; its menu sets presence, opens the window
// or quits. Presence changes go through the same command handlers as the renderer's.
import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import path from 'node:path';
import type { Show } from '../../../shared/domain';
import type { Logger } from '../../core/ports';

export type TrayPresence = Show | 'offline';

const ICON_FOR: Record<TrayPresence, string> = {
  chat: 'available',
  available: 'available',
  away: 'away',
  xa: 'xa',
  dnd: 'dnd',
  offline: 'offline',
};

const STATUS_ITEMS: { show: Show; label: string }[] = [
  { show: 'available', label: 'Available' },
  { show: 'away', label: 'Away' },
  { show: 'xa', label: 'Extended away' },
  { show: 'dnd', label: 'Do not disturb' },
];

export interface TrayOptions {
  /** Directory holding <presence>.png and <presence>@2x.png (dist/assets/tray). */
  iconDir: string;
  onOpen(): void;
  onQuit(): void;
  onSetPresence(show: Show): void;
  log: Logger;
}

export interface AppTray {
  /** Our presence as the server sees it; 'offline' also disables the status items. */
  setPresence(own: TrayPresence, online: boolean): void;
  /** Total unread messages (issue 5), shown in the tooltip. */
  setUnread(total: number): void;
  destroy(): void;
}

/** The tray's menu — exported for tests. */
export function trayMenuTemplate(own: TrayPresence, online: boolean, opts: Pick<TrayOptions, 'onOpen' | 'onQuit' | 'onSetPresence'>): MenuItemConstructorOptions[] {
  const current = own === 'chat' ? 'available' : own;
  return [
    ...STATUS_ITEMS.map(
      (s): MenuItemConstructorOptions => ({ label: s.label, type: 'radio', checked: online && current === s.show, enabled: online, click: () => opts.onSetPresence(s.show) }),
    ),
    { type: 'separator' },
    { label: 'Open Flint', click: () => opts.onOpen() },
    { type: 'separator' },
    { label: 'Quit', click: () => opts.onQuit() },
  ];
}

/** The tray's tooltip — exported for tests. */
export function trayTooltip(own: TrayPresence, online: boolean, unread: number): string {
  const label = online ? (STATUS_ITEMS.find((s) => s.show === (own === 'chat' ? 'available' : own))?.label ?? 'Online') : 'Offline';
  return unread > 0 ? `Flint — ${label} — ${unread} unread` : `Flint — ${label}`;
}

export function createTray(opts: TrayOptions): AppTray {
  const icons = new Map<string, NativeImage>();
  const icon = (presence: TrayPresence): NativeImage => {
    const name = ICON_FOR[presence];
    let img = icons.get(name);
    if (!img) {
      img = nativeImage.createFromPath(path.join(opts.iconDir, `${name}.png`));
      if (img.isEmpty()) opts.log.warn('tray icon missing', { name, dir: opts.iconDir });
      icons.set(name, img);
    }
    return img;
  };
  const tray = new Tray(icon('offline'));
  tray.on('click', () => opts.onOpen());
  let current: { own: TrayPresence; online: boolean; unread: number } = { own: 'offline', online: false, unread: 0 };
  const render = (own: TrayPresence, online: boolean) => {
    current = { ...current, own, online };
    tray.setImage(icon(online ? own : 'offline'));
    tray.setToolTip(trayTooltip(own, online, current.unread));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(own, online, opts)));
  };
  render('offline', false);
  return {
    setPresence: render,
    setUnread: (unread) => {
      current = { ...current, unread };
      tray.setToolTip(trayTooltip(current.own, current.online, unread));
    },
    destroy: () => tray.destroy(),
  };
}
