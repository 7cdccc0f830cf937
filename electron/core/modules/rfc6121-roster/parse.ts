// RFC 6121 §2.1: roster items and queries → plain data (shared/domain.ts Contact).
// Parsing is forgiving where the RFC allows it and skips what cannot be used.
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { Contact, Subscription } from '../../../../shared/domain';
import { formatJid, tryParseJid } from '../../../../shared/jid';

export type RosterItemChange = { kind: 'upsert'; contact: Contact } | { kind: 'remove'; jid: string };

const SUBSCRIPTIONS = new Set<string>(['none', 'to', 'from', 'both']);

/** XML Schema boolean (RFC 6121 §2.1.2.1 'approved' is xs:boolean). */
const xsTrue = (v: string | undefined) => v === 'true' || v === '1';

/**
 * One <item/>. Undefined when its JID is missing or invalid (RFC 7622). Unknown subscription values
 * read as 'none' (§2.1.2.5 lists the only states); 'remove' only appears in pushes (§2.5.2).
 */
export function parseRosterItem(item: XmlElement): RosterItemChange | undefined {
  const parsed = tryParseJid(item.attr('jid') ?? '');
  if (!parsed) return undefined;
  const jid = formatJid(parsed);
  const sub = item.attr('subscription');
  if (sub === 'remove') return { kind: 'remove', jid };
  // §2.1.2.4: an empty name is the same as none.
  const name = item.attr('name') || undefined;
  // §2.1.2.6: group names are non-empty; one listed twice is one group.
  const groups = [...new Set(item.elements('group', NS.roster).map((g) => g.text()).filter((g) => g !== ''))];
  const contact: Contact = {
    jid,
    groups,
    subscription: sub !== undefined && SUBSCRIPTIONS.has(sub) ? (sub as Subscription) : 'none',
  };
  if (name !== undefined) contact.name = name;
  // §2.1.2.2: ask='subscribe' is the only defined value (an outgoing request is pending).
  if (item.attr('ask') === 'subscribe') contact.ask = true;
  if (xsTrue(item.attr('approved'))) contact.approved = true;
  return { kind: 'upsert', contact };
}

/** A roster result <query/>: every usable item once (the last of duplicates wins) and the XEP-0237 ver. */
export function parseRosterQuery(query: XmlElement): { ver?: string; items: Contact[] } {
  const byJid = new Map<string, Contact>();
  for (const el of query.elements('item', NS.roster)) {
    const change = parseRosterItem(el);
    // A 'remove' item has no place in a roster result: nothing to add.
    if (change?.kind === 'upsert') byJid.set(change.contact.jid, change.contact);
  }
  const ver = query.attr('ver');
  return { ...(ver !== undefined ? { ver } : {}), items: [...byJid.values()] };
}
