// The BrowserWindow options of Flint's window — pure, so the hardening is unit-tested. The
// renderer is untrusted (it shows what remote peers send): no Node, a sandboxed preload in an
// isolated world, web security on, no <webview>, no experimental features.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { MIN_SIZE } from '../settings/window-bounds';

export interface WindowOptionsExtra {
  /** Window icon (Linux/Windows). */
  icon?: string;
  /** DevTools only in development builds. */
  devTools?: boolean;
}

export function windowOptions(preloadPath: string, bounds?: Partial<Rectangle>, extra: WindowOptionsExtra = {}): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Flint',
    // Shown on 'ready-to-show', so there is no white flash before the first paint.
    show: false,
    ...(extra.icon ? { icon: extra.icon } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      devTools: extra.devTools ?? false,
    },
  };
}
