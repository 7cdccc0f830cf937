// Electron IPC: which document may send commands. Only our own page (file:// of the built
// renderer's index.html) in the main frame of our window; a frame that navigated elsewhere, an
// iframe, or any other URL is refused even though it could reach ipcRenderer in principle.

/** Same file as the app's index.html (the fragment and query may differ: routes, reloads). */
export function isAppDocument(frameUrl: string | undefined | null, appUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  return frame.protocol === app.protocol && frame.host === app.host && frame.pathname === app.pathname && frame.username === '' && frame.password === '';
}

export interface FrameIdentity {
  processId: number;
  routingId: number;
  url: string;
}

/**
 * The check every IPC command goes through before dispatch: the message comes from our window's
 * web contents, from its main frame, and that frame shows our app.
 */
export function isTrustedSender(
  sender: { senderId: number; frame: FrameIdentity | null },
  window: { webContentsId: number; mainFrame: FrameIdentity } | null,
  appUrl: string,
): boolean {
  if (!window || !sender.frame) return false;
  if (sender.senderId !== window.webContentsId) return false;
  if (sender.frame.processId !== window.mainFrame.processId || sender.frame.routingId !== window.mainFrame.routingId) return false;
  return isAppDocument(sender.frame.url, appUrl);
}
