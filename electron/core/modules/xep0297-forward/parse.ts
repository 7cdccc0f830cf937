// XEP-0297: Stanza Forwarding — https://xmpp.org/extensions/xep-0297.html
// Namespace: urn:xmpp:forward:0. Not a module: the <forwarded/> wrapper that carbons (XEP-0280)
// and the message archive (XEP-0313) share, and the reading of a forwarded one-to-one message the
// way rfc6121-im reads a live one.
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { ChatMessage } from '../../../../shared/domain';
import { bareJid, formatJid, sameBareJid, tryParseJid, type Jid } from '../../../../shared/jid';
import { messageType, originId, ownStanzaId, parseBody, parseSubject, parseThread } from '../rfc6121-im/parse';

export const FORWARD_NS = 'urn:xmpp:forward:0';

export interface Forwarded {
  /** The <forwarded/> element itself: its XEP-0203 <delay/> says when the stanza was first sent. */
  el: XmlElement;
  /** The forwarded <message/>, in jabber:client (§3: the forwarded stanza keeps its namespace). */
  message: XmlElement;
}

/** The <forwarded/> child of `parent` and the message inside it; undefined when either is missing. */
export function parseForwarded(parent: XmlElement): Forwarded | undefined {
  const el = parent.child('forwarded', FORWARD_NS);
  const message = el?.child('message', NS.client);
  return el && message ? { el, message } : undefined;
}

/** A forwarded message's parties, checked against the direction the wrapper claims. */
export interface Parties {
  /** Bare JID of the other party: the conversation. */
  peer: string;
  from: string;
  to: string;
}

/**
 * Who a forwarded one-to-one message is between. 'in': from someone to us (the 'to', when present,
 * must be our account); 'out': from us (the 'from', when present, must be our account) to someone.
 * Undefined when the addresses are missing, invalid or contradict the direction.
 */
export function forwardedParties(message: XmlElement, direction: 'in' | 'out', ownBareJid: string): Parties | undefined {
  const parse = (name: 'from' | 'to'): Jid | null | undefined => {
    const v = message.attr(name);
    return v === undefined ? undefined : tryParseJid(v);
  };
  const from = parse('from');
  const to = parse('to');
  if (from === null || to === null) return undefined;
  if (direction === 'in') {
    if (!from || (to && !sameBareJid(to, ownBareJid))) return undefined;
    return { peer: bareJid(from), from: formatJid(from), to: to ? formatJid(to) : ownBareJid };
  }
  if (!to || (from && !sameBareJid(from, ownBareJid))) return undefined;
  return { peer: bareJid(to), from: from ? formatJid(from) : ownBareJid, to: formatJid(to) };
}

/**
 * A forwarded chat/normal message with a body as a ChatMessage, or undefined (other types, no
 * body, bad addresses). Its id is the sender's stanza id (what receipts, markers and corrections
 * refer to), else its XEP-0359 origin-id, else `fallbackId`.
 */
export function forwardedChatMessage(
  message: XmlElement,
  parties: Parties,
  direction: 'in' | 'out',
  opts: { ownBareJid: string; timestamp: number; fallbackId: () => string },
): ChatMessage | undefined {
  const type = messageType(message);
  if (type !== 'chat' && type !== 'normal') return undefined;
  const body = parseBody(message);
  if (body === undefined) return undefined;
  const m: ChatMessage = {
    id: message.attr('id') || originId(message) || opts.fallbackId(),
    peer: parties.peer,
    from: parties.from,
    to: parties.to,
    direction,
    type,
    body,
    timestamp: opts.timestamp,
    state: direction === 'in' ? 'delivered' : 'sent',
  };
  const thread = parseThread(message);
  if (thread !== undefined) m.thread = thread;
  const subject = parseSubject(message);
  if (subject !== undefined) m.subject = subject;
  const stanzaId = ownStanzaId(message, opts.ownBareJid);
  if (stanzaId !== undefined) m.stanzaId = stanzaId;
  return m;
}
