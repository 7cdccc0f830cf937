// The desktop shell's security decisions as plain functions (no Electron import), so they are
// unit-tested; harden.ts wires them to Electron's handlers.
import { isAppDocument } from '../ipc/sender-check';

/**
 * The CSP of the renderer's index.html <meta> tag (file:// pages get no response headers).
 * No network at all for the page (connect-src 'none'): everything comes over IPC, and images
 * (avatars, files) arrive as data:/blob: from main. frame-ancestors is a header-only directive
 * and would be ignored in a <meta> tag; a file:// page cannot be framed by a website anyway.
 */
export const RENDERER_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'";

/** Permissions the page may have: notifications only (and only for our own document). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined, appUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppDocument(requestingUrl, appUrl);
}

/**
 * Whether a top-level navigation may proceed. The app is a single page: the only document the
 * window may ever show is our index.html (a reload). Anything else — a link without target, a
 * script setting location, a drag-and-dropped file — is refused.
 */
export function navigationAllowed(url: string, appUrl: string): boolean {
  return isAppDocument(url, appUrl);
}

/** Schemes whose requests the session cancels outright: the renderer has no business online. */
export const BLOCKED_REQUEST_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];
