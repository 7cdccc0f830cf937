// Electron's defences, wired to the decisions in policy.ts. Applied to the app's session and to
// every web contents that is ever created (app 'web-contents-created'), so nothing is missed.
import { shell } from 'electron';
import type { Session, WebContents } from 'electron';
import type { Logger } from '../../core/ports';
import { externalUrl } from '../ipc/links';
import { BLOCKED_REQUEST_URLS, navigationAllowed, permissionAllowed } from './policy';

export function hardenSession(ses: Session, appUrl: string, log: Logger): void {
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const ok = permissionAllowed(permission, details.requestingUrl ?? wc.getURL(), appUrl);
    if (!ok) log.warn('permission refused', { permission });
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => permissionAllowed(permission, details.requestingUrl ?? requestingOrigin, appUrl));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_req, callback) => callback(null));
  // connect-src 'none' already keeps the page offline; this also stops images, fonts, prefetches.
  ses.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (details, callback) => {
    log.warn('renderer request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: true });
  });
  ses.on('will-download', (event) => event.preventDefault());
}

export function hardenWebContents(contents: WebContents, appUrl: string, log: Logger): void {
  contents.on('will-navigate', (event) => {
    if (!navigationAllowed(event.url, appUrl)) {
      event.preventDefault();
      log.warn('navigation refused', { url: event.url.slice(0, 200) });
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame || !navigationAllowed(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!navigationAllowed(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No new windows ever; a link the user opens with target=_blank goes to the system browser
  // when it is http(s)/mailto (re-parsed: see ipc/links.ts).
  contents.setWindowOpenHandler(({ url }) => {
    const href = externalUrl(url);
    if (href) void shell.openExternal(href).catch((err: unknown) => log.warn('openExternal failed', { error: String(err) }));
    else log.warn('window.open refused', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}
