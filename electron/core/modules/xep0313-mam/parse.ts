// XEP-0313 results and the final <fin/> → plain data.
import type { XmlElement } from '../../xml/element';
import type { ChatMessage } from '../../../../shared/domain';
import { sameBareJid } from '../../../../shared/jid';
import { messageTimestamp } from '../rfc6121-im/parse';
import { parseReplace } from '../xep0308-correction/parse';
import { forwardedChatMessage, forwardedParties, parseForwarded } from '../xep0297-forward/parse';

export const MAM_NS = 'urn:xmpp:mam:2';
export const RSM_NS = 'http://jabber.org/protocol/rsm';

/** A message from the archive: a ChatMessage whose stanzaId is its archive id. */
export interface ArchivedMessage extends ChatMessage {
  /** The archive's id for it (Query results: the <result/> id): where to page on from, and the dedupe key. */
  stanzaId: string;
  /**
   * XEP-0308: this message corrects the message with this id (sent by the same sender — check it,
   * as for message.corrected) rather than being a new one.
   */
  replaces?: string;
}

export interface MamResult {
  queryid?: string;
  id: string;
  el: XmlElement;
}

/** The <result/> in a message, when it has an id. */
export function parseResult(message: XmlElement): MamResult | undefined {
  const el = message.child('result', MAM_NS);
  const id = el?.attr('id');
  if (!el || !id) return undefined;
  const queryid = el.attr('queryid');
  return { id, el, ...(queryid !== undefined ? { queryid } : {}) };
}

/**
 * One archived one-to-one message with a body, or undefined (groupchat, errors, bodyless chat
 * states and markers, broken results). Direction: 'out' when the forwarded message is from our
 * own account. Time: the <delay/> on <forwarded/>, clamped like any delay stamp.
 */
export function parseArchivedMessage(result: MamResult, ownBareJid: string, now: number, fallbackId: () => string): ArchivedMessage | undefined {
  const forwarded = parseForwarded(result.el);
  if (!forwarded) return undefined;
  const from = forwarded.message.attr('from');
  const direction = from !== undefined && sameBareJid(from, ownBareJid) ? 'out' : 'in';
  const parties = forwardedParties(forwarded.message, direction, ownBareJid);
  if (!parties) return undefined;
  const m = forwardedChatMessage(forwarded.message, parties, direction, { ownBareJid, timestamp: messageTimestamp(forwarded.el, now), fallbackId });
  if (!m) return undefined;
  const archived: ArchivedMessage = { ...m, stanzaId: result.id };
  const replaces = parseReplace(forwarded.message);
  if (replaces !== undefined) archived.replaces = replaces;
  return archived;
}

export interface Fin {
  /** The last page: nothing more in the direction we paged. */
  complete: boolean;
  /** XEP-0059: archive ids of the first and last message of this page. */
  first?: string;
  last?: string;
  /** XEP-0059 §2.6: how many messages match the whole query, when the server says. */
  count?: number;
}

/** The <fin/> of a query result iq, or undefined when it has none. */
export function parseFin(iq: XmlElement): Fin | undefined {
  const fin = iq.child('fin', MAM_NS);
  if (!fin) return undefined;
  const complete = fin.attr('complete');
  const out: Fin = { complete: complete === 'true' || complete === '1' };
  const set = fin.child('set', RSM_NS);
  const first = set?.childText('first', RSM_NS)?.trim();
  const last = set?.childText('last', RSM_NS)?.trim();
  const count = Number(set?.childText('count', RSM_NS)?.trim());
  if (first) out.first = first;
  if (last) out.last = last;
  if (set?.child('count', RSM_NS) && Number.isSafeInteger(count) && count >= 0) out.count = count;
  return out;
}
