// What a message notification says, and whether there is one — pure, so it is unit-tested.
import type { ChatMessage } from '../../../shared/domain';

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

/** The notification for an incoming message while the window is not focused, else null. */
export function messageNotification(msg: ChatMessage, ctx: NotifyContext): MessageNotification | null {
  if (msg.direction !== 'in' || ctx.windowFocused) return null;
  // Control characters (bidi overrides, etc.) can disguise who the message is from.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  const text = clean(msg.body).replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  const title = truncate(clean(ctx.contactName(msg.peer) ?? msg.peer).trim() || msg.peer, 80);
  const body = truncate(text, MAX_BODY);
  return { peer: msg.peer, title, body: ctx.platform === 'linux' ? escapeMarkup(body) : body };
}
