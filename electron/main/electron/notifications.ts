// Desktop notifications for incoming messages while Flint's window is not focused. Clicking one
// brings the window forward and tells the renderer to show that conversation (the 'ui.openChat'
// event). One notification per conversation: a newer message replaces the older one, so a busy
// chat does not pile up a stack of them.
import { Notification } from 'electron';
import type { BrowserWindow } from 'electron';
import type { CoreEvent } from '../../core/events';
import type { Logger } from '../../core/ports';
import type { AccountServiceApi } from '../accounts/types';
import { fileOfferNotification, messageNotification, type MessageNotification } from './notification-text';

export interface NotifierOptions {
  account: Pick<AccountServiceApi, 'subscribe' | 'snapshot' | 'isMuted'>;
  window(): BrowserWindow | null;
  /** The user clicked a notification for this conversation. */
  openChat(peer: string): void;
  icon?: string;
  log: Logger;
  platform?: NodeJS.Platform;
}

/** Starts notifying; returns the stop function. */
export function startNotifier(opts: NotifierOptions): () => void {
  const names = new Map<string, string>();
  // One snapshot for the names and our presence (it also reads the recent conversations' pages).
  const start = opts.account.snapshot();
  for (const c of start.roster) if (c.name) names.set(c.jid, c.name);
  const shown = new Map<string, Notification>(); // also keeps them alive: a collected notification loses its click handler
  const platform = opts.platform ?? process.platform;
  // "Do not disturb" means it: no notifications while our own presence is dnd (issue 5).
  let ownShow = start.own.show;

  const focusWindow = () => {
    const win = opts.window();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const onEvent = (e: CoreEvent) => {
    if (e.type === 'roster.changed') {
      if (e.replace) names.clear();
      for (const jid of e.removed) names.delete(jid);
      for (const c of e.upserted) {
        if (c.name) names.set(c.jid, c.name);
        else names.delete(c.jid);
      }
      return;
    }
    if (e.type === 'presence.own') {
      ownShow = e.show;
      return;
    }
    if ((e.type !== 'message.received' && e.type !== 'transfer.added') || !Notification.isSupported()) return;
    const peer = e.type === 'message.received' ? e.message.peer : e.transfer.peer;
    if (ownShow === 'dnd' || opts.account.isMuted(peer)) return;
    const win = opts.window();
    const ctx = {
      windowFocused: !!win && !win.isDestroyed() && win.isVisible() && win.isFocused(),
      contactName: (jid: string) => names.get(jid),
      platform,
    };
    // Issue 6: a file offer waits for an answer, so it is notified like a message.
    const n: MessageNotification | null = e.type === 'message.received' ? messageNotification(e.message, ctx) : fileOfferNotification(e.transfer, ctx);
    if (!n) return;
    shown.get(n.peer)?.close();
    const note = new Notification({ title: n.title, body: n.body, silent: false, ...(opts.icon ? { icon: opts.icon } : {}) });
    shown.set(n.peer, note);
    note.on('click', () => {
      focusWindow();
      opts.openChat(n.peer);
    });
    note.on('close', () => {
      if (shown.get(n.peer) === note) shown.delete(n.peer);
    });
    note.on('failed', (_ev, error) => opts.log.warn('notification failed', { error }));
    note.show();
  };

  const unsubscribe = opts.account.subscribe(onEvent);
  // Reading the conversation in the window makes its notification stale.
  const onFocus = () => {
    for (const note of shown.values()) note.close();
    shown.clear();
  };
  const win = opts.window();
  win?.on('focus', onFocus);
  return () => {
    unsubscribe();
    if (win && !win.isDestroyed()) win.off('focus', onFocus);
    onFocus();
  };
}
