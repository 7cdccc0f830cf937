// RFC 6121 §5: message children → plain data; XEP-0203 delay stamps, XEP-0359 stanza-ids.
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import { isBareJid, sameBareJid } from '../../../../shared/jid';
import { parseDateTime } from '../xep0082-datetime/parse';

/** Stamps later than this ahead of our clock are clamped: a wrong server clock must not pin a message to the bottom forever. */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** §5.2.2: a missing or unknown type means 'normal'. */
export function messageType(message: XmlElement): string {
  const type = message.attr('type');
  return type === 'chat' || type === 'groupchat' || type === 'headline' || type === 'error' ? type : 'normal';
}

/** §5.2.3 / §5.2.4: one per xml:lang may be present; the one without a language is the default. */
function pickLocalized(message: XmlElement, name: string): string | undefined {
  const all = message.elements(name, message.ns);
  const chosen = all.find((e) => e.attr('xml:lang') === undefined) ?? all[0];
  return chosen?.text();
}

export const parseBody = (message: XmlElement): string | undefined => pickLocalized(message, 'body');
export const parseSubject = (message: XmlElement): string | undefined => pickLocalized(message, 'subject') || undefined;
/** §5.2.5: <thread/> is an opaque identifier. */
export const parseThread = (message: XmlElement): string | undefined => message.childText('thread', message.ns)?.trim() || undefined;

/**
 * XEP-0203: when the message was first sent. The earliest valid stamp wins (each hop that held the
 * message may add one), clamped to [epoch, now + 1 day]; without a usable stamp, now.
 */
export function messageTimestamp(message: XmlElement, now: number): number {
  let earliest: number | undefined;
  for (const d of message.elements('delay', NS.delay)) {
    const t = parseDateTime(d.attr('stamp') ?? '');
    if (t !== undefined && (earliest === undefined || t < earliest)) earliest = t;
  }
  if (earliest === undefined) return now;
  return Math.min(Math.max(earliest, 0), now + MAX_FUTURE_MS);
}

/**
 * XEP-0359 (Business Rules, Security Considerations): a <stanza-id/> is trustworthy only when added by our own server, which for a
 * 1:1 message means by='our bare JID'; anyone else's could be forged by the sender.
 */
export function ownStanzaId(message: XmlElement, ownBareJid: string): string | undefined {
  for (const s of message.elements('stanza-id', NS.sid)) {
    const by = s.attr('by');
    const id = s.attr('id');
    if (id && by !== undefined && isBareJid(by) && sameBareJid(by, ownBareJid)) return id;
  }
  return undefined;
}

/** XEP-0359: the sender's own id for its message. */
export function originId(message: XmlElement): string | undefined {
  return message.child('origin-id', NS.sid)?.attr('id') || undefined;
}
