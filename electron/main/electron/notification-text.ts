// What a message notification says, and whether there is one — pure, so it is unit-tested.
import type { ChatMessage } from '../../../shared/domain';
import type { TransferInfo } from '../../../shared/transfer';

export interface NotifyContext {
  windowFocused: boolean;
  /** The roster name of a contact, when it has one. */
  contactName(bareJid: string): string | undefined;
  platform: NodeJS.Platform;
}

export interface MessageNotification {
  peer: string;
  title: string;
  body: string;
}

const MAX_BODY = 200;

/**
 * Linux notification daemons read the body as a subset of HTML (Desktop Notifications spec,
 * "Markup"): a message such as `<img src="http://…">` could make the daemon fetch a URL or hide
 * text. Escape it so the text shows as sent.
 */
function escapeMarkup(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut at a code-point boundary (never half a surrogate pair) and mark the cut. */
function truncate(s: string, max: number): string {
  const points = Array.from(s);
  return points.length <= max ? s : `${points.slice(0, max - 1).join('')}…`;
}

// Control characters (bidi overrides, etc.) can disguise who a message or file is from.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');

/** The notification for an incoming message while the window is not focused, else null. */
export function messageNotification(msg: ChatMessage, ctx: NotifyContext): MessageNotification | null {
  if (msg.direction !== 'in' || ctx.windowFocused) return null;
  const text = clean(msg.body).replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  const title = truncate(clean(ctx.contactName(msg.peer) ?? msg.peer).trim() || msg.peer, 80);
  const body = truncate(text, MAX_BODY);
  return { peer: msg.peer, title, body: ctx.platform === 'linux' ? escapeMarkup(body) : body };
}

/** "1.2 MB": decimal units, as file managers show sizes. */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let i = 0;
  while (Math.round(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/**
 * Issue 6: an incoming file offer (Jingle or SI: nothing else tells the user that a contact waits
 * for an answer) while the window is not focused. A shared link (HTTP upload) arrives as a chat
 * message and is notified as one.
 */
export function fileOfferNotification(t: TransferInfo, ctx: NotifyContext): MessageNotification | null {
  if (t.direction !== 'in' || t.state !== 'offered' || t.method === 'upload' || ctx.windowFocused) return null;
  const title = truncate(clean(ctx.contactName(t.peer) ?? t.peer).trim() || t.peer, 80);
  const size = t.size !== undefined ? ` (${formatSize(t.size)})` : '';
  const body = truncate(`wants to send you ${clean(t.name)}${size}`, MAX_BODY);
  return { peer: t.peer, title, body: ctx.platform === 'linux' ? escapeMarkup(body) : body };
}
