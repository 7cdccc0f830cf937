// Flint's Electron entry (bundled to dist/main/index.cjs). Wires the account service to the
// window: the command handler table behind ipcMain.handle (one channel per command, sender
// checked), batched events out through webContents.send, plus tray, menu and notifications.
// Everything security-relevant is decided in plain, tested modules (ipc/, electron/policy.ts,
// electron/window-options.ts); this file only connects them.
import { BrowserWindow, Menu, app, ipcMain, session, shell } from 'electron';
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { channel, commandNames } from '../../shared/ipc/contract';
import type { LogFields, Logger } from '../core/ports';
import { AccountService } from './accounts/account-service';
import { useSqliteBinding } from './store/db';
import { FileKeyStore } from './accounts/file-keystore';
import type { KeyStore } from './accounts/keystore';
import { dataDirOverride } from './app-paths';
import { hardenSession, hardenWebContents } from './electron/harden';
import { fileDialogs } from './electron/file-dialogs';
import { electronIdleMonitor } from './electron/idle-monitor';
import { appMenuTemplate } from './electron/menu';
import { startNotifier } from './electron/notifications';
import { SafeStorageKeyStore } from './electron/safe-storage';
import { createTray } from './electron/tray';
import type { AppTray } from './electron/tray';
import { windowOptions } from './electron/window-options';
import { loadWindowState, trackWindowState } from './electron/window-state';
import { createEventBatcher } from './ipc/event-batcher';
import { dispatch, createHandlers } from './ipc/handlers';
import type { Handlers } from './ipc/handlers';
import { isTrustedSender } from './ipc/sender-check';
import type { FrameIdentity } from './ipc/sender-check';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
function consoleLogger(min: keyof typeof LEVELS): Logger {
  const at = (level: keyof typeof LEVELS) => (msg: string, fields?: LogFields) => {
    if (LEVELS[level] >= LEVELS[min]) process.stderr.write(`${new Date().toISOString()} ${level} ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const envLevel = process.env.FLINT_LOG;
const log = consoleLogger(envLevel === 'debug' || envLevel === 'info' || envLevel === 'warn' || envLevel === 'error' ? envLevel : 'info');
const isDev = !app.isPackaged;

// Layout of the bundle: dist/main/index.cjs, dist/preload/index.cjs, dist/renderer/, dist/assets/.
const distDir = path.resolve(__dirname, '..');
const indexHtml = path.join(distDir, 'renderer', 'index.html');
const appUrl = pathToFileURL(indexHtml).href;
const preloadPath = path.join(distDir, 'preload', 'index.cjs');
const appIcon = path.join(distDir, 'assets', 'icon.png');
const trayIconDir = path.join(distDir, 'assets', 'tray');

// Tests and the demo run with a throw-away profile. Must happen before 'ready'.
const override = dataDirOverride();
if (override) app.setPath('userData', override);

function frameIdentity(frame: WebFrameMain | null | undefined): FrameIdentity | null {
  if (!frame) return null;
  try {
    return { processId: frame.processId, routingId: frame.routingId, url: frame.url };
  } catch {
    return null; // the frame was disposed while the message was in flight
  }
}

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    // Another Flint owns the profile (and its XMPP session): hand over to it.
    app.quit();
    return;
  }
  app.enableSandbox();
  if (process.platform === 'win32') app.setAppUserModelId('im.flint.app');
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents, appUrl, log));

  let win: BrowserWindow | null = null;
  let tray: AppTray | null = null;
  let quitting = false;
  let disposed = false;
  let account: AccountService | null = null;
  let dataDir = '';

  const showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = createWindow();
      return;
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  function createWindow(): BrowserWindow {
    const { bounds, maximized } = loadWindowState(dataDir);
    const w = new BrowserWindow(windowOptions(preloadPath, bounds, { icon: appIcon, devTools: isDev }));
    trackWindowState(w, dataDir);
    w.once('ready-to-show', () => {
      if (maximized) w.maximize();
      w.show();
    });
    w.on('close', (event) => {
      // With a tray icon, closing the window keeps Flint (and the XMPP session) running.
      if (!quitting && tray) {
        event.preventDefault();
        w.hide();
      }
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    w.webContents.on('render-process-gone', (_e, details) => log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode }));
    w.loadFile(indexHtml).catch((err: unknown) => log.error('could not load the renderer', { error: String(err), file: indexHtml }));
    return w;
  }

  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const w = win && !isGone(win) ? win : null;
    return isTrustedSender(
      { senderId: event.sender.id, frame: frameIdentity(event.senderFrame) },
      w ? { webContentsId: w.webContents.id, mainFrame: frameIdentity(w.webContents.mainFrame) ?? { processId: -1, routingId: -1, url: '' } } : null,
      appUrl,
    );
  };

  const registerIpc = (handlers: Handlers) => {
    for (const name of commandNames) {
      ipcMain.handle(channel.command(name), (event, args: unknown) => {
        if (!trusted(event)) {
          log.warn('IPC refused: untrusted sender', { command: name, url: frameIdentity(event.senderFrame)?.url.slice(0, 200) });
          throw new Error('refused: not sent by the Flint window');
        }
        return dispatch(handlers, name, args, { checkResult: isDev });
      });
    }
  };

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow()); // macOS: click on the dock icon
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (disposed || !account) return;
    // Sign out cleanly (unavailable presence, </stream:stream>) before the process ends.
    event.preventDefault();
    disposed = true;
    const done = () => {
      tray?.destroy();
      app.quit();
    };
    Promise.race([account.dispose(), new Promise((r) => setTimeout(r, 3_000))]).then(done, (err: unknown) => {
      log.warn('sign-out on quit failed', { error: String(err) });
      done();
    });
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, appUrl, log);
    dataDir = app.getPath('userData');
    // FLINT_FILE_KEYSTORE=1 (only together with a throw-away FLINT_DATA_DIR) is for the demo and
    // end-to-end tests, which need a remembered password without an OS keychain.
    let keyStore: KeyStore = new SafeStorageKeyStore();
    if (override && process.env.FLINT_FILE_KEYSTORE === '1') {
      log.warn('using the file keystore (demo/test profile): passwords are NOT in the OS keychain', { dataDir });
      keyStore = FileKeyStore.open(dataDir);
    }
    // better-sqlite3 built for this Electron (scripts/electron-native.mjs; packaged apps carry it too).
    const electronSqlite = path.join(__dirname, '..', 'native', `better_sqlite3-electron-${process.versions.electron}.node`);
    if (existsSync(electronSqlite)) useSqliteBinding(electronSqlite);
    const acc = new AccountService({ dataDir, keyStore, appVersion: app.getVersion(), log, idleMonitor: electronIdleMonitor, defaultDownloadFolder: app.getPath('downloads') });
    account = acc;

    const batcher = createEventBatcher((events) => {
      if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel.events, events);
    });
    batcher.attach(acc);
    const handlers = createHandlers(acc, {
      openExternal: (url) => shell.openExternal(url),
      flushEvents: () => batcher.flush(),
      // Issue 5: the renderer owns the unread counts; the taskbar/dock badge and tray show the total.
      unreadChanged: (total) => {
        app.setBadgeCount(total);
        tray?.setUnread(total);
      },
      // Issue 6: open/save/folder dialogs, Open and Show in folder.
      ...fileDialogs(() => win),
    });
    registerIpc(handlers);

    app.setAboutPanelOptions({ applicationName: 'Flint', applicationVersion: app.getVersion() });
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ isMac: process.platform === 'darwin', isDev, appName: 'Flint', onAbout: () => app.showAboutPanel() })));

    win = createWindow();

    try {
      tray = createTray({
        iconDir: trayIconDir,
        onOpen: showWindow,
        onQuit: () => app.quit(),
        onSetPresence: (show) => void dispatch(handlers, 'presence.set', { show }).catch((err: unknown) => log.warn('presence.set from tray failed', { error: String(err) })),
        log,
      });
    } catch (err) {
      log.warn('no tray icon', { error: String(err) });
    }
    let online = false;
    let own: Parameters<AppTray['setPresence']>[0] = 'offline';
    acc.subscribe((e) => {
      if (e.type === 'connection.changed') online = e.state.status === 'online';
      else if (e.type === 'presence.own') own = e.show;
      else return;
      tray?.setPresence(own, online);
    });

    startNotifier({
      account: acc,
      window: () => win,
      openChat: (jid) => {
        batcher.push({ name: 'ui.openChat', payload: { jid } });
        batcher.flush();
      },
      icon: appIcon,
      log,
    });
  });
}

function isGone(w: BrowserWindow): boolean {
  return w.isDestroyed() || w.webContents.isDestroyed();
}

main();
