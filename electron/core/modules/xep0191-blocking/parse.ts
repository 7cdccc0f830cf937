// XEP-0191 §3.2–3.5: blocklist results and block/unblock pushes → JIDs.
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';

export const BLOCKING_NS = 'urn:xmpp:blocking';
/** XEP-0191 §3.6 / §4: the error child a server adds to a stanza it bounces because of a block. */
export const BLOCKING_ERRORS_NS = 'urn:xmpp:blocking:errors';

/** The <item jid/> JIDs of a blocklist/block/unblock element, normalized (RFC 7622), invalid ones left out. */
export function parseItems(el: XmlElement | undefined): string[] {
  const out: string[] = [];
  for (const item of el?.elements('item', BLOCKING_NS) ?? []) {
    const j = tryParseJid(item.attr('jid') ?? '');
    if (!j) continue;
    const jid = formatJid(j);
    if (!out.includes(jid)) out.push(jid);
  }
  return out;
}
