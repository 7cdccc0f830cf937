// RFC 6121 §2.1: roster items and queries → plain data (shared/domain.ts Contact).
// Parsing is forgiving where the RFC allows it and skips what cannot be used.
//
// A roster result can carry thousands of items, and it is read once per login in a process whose
// code is still cold (issue 2's connect-to-roster benchmark): one plain loop per item, no
// intermediate arrays or Sets, and JIDs that are already in canonical form skip the general
// RFC 7622 preparation (see itemJid).
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { Contact, Subscription } from '../../../../shared/domain';
import { formatJid, tryParseJid } from '../../../../shared/jid';

export type RosterItemChange = { kind: 'upsert'; contact: Contact } | { kind: 'remove'; jid: string };

/** §2.1.2.5 lists the only subscription states; anything else reads as 'none'. */
function subscription(sub: string | undefined): Subscription {
  return sub === 'both' || sub === 'to' || sub === 'from' ? sub : 'none';
}

/** XML Schema boolean (RFC 6121 §2.1.2.1 'approved' is xs:boolean). */
const xsTrue = (v: string | undefined) => v === 'true' || v === '1';

/**
 * `local@` where the localpart is one that RFC 7622 §3.3 preparation (PRECIS UsernameCaseMapped)
 * leaves unchanged: lower-case ASCII letters, digits, '.', '_' and '-' — what nearly every roster JID
 * looks like. ('@' is not in the class, so this is the part before the first '@'.)
 */
const CANONICAL_LOCAL_AT = /^[a-z0-9._-]{1,1023}@/;

/**
 * The prepared JID of an item, or undefined when it is missing or invalid (RFC 7622): the same as
 * formatJid(tryParseJid(jid)). With `domains` (a roster result), `local@domain` with a canonical
 * localpart skips the general preparation, and each domain is prepared once, through `domains`.
 */
function itemJid(item: XmlElement, domains: Map<string, string | null> | undefined): string | undefined {
  const raw = item.attr('jid');
  if (raw === undefined) return undefined;
  if (domains !== undefined && CANONICAL_LOCAL_AT.test(raw)) {
    const at = raw.indexOf('@');
    if (raw.indexOf('@', at + 1) === -1 && raw.indexOf('/', at + 1) === -1) {
      const rawDomain = raw.slice(at + 1);
      let domain = domains.get(rawDomain);
      if (domain === undefined) {
        // Parsed alone, a string without '@' and '/' is a domainpart (RFC 7622 §3.1).
        domain = tryParseJid(rawDomain)?.domain ?? null;
        domains.set(rawDomain, domain);
      }
      if (domain === null) return undefined;
      return domain === rawDomain ? raw : `${raw.slice(0, at)}@${domain}`;
    }
  }
  const parsed = tryParseJid(raw);
  return parsed ? formatJid(parsed) : undefined;
}

/** The contact an upsert item describes (its JID prepared by itemJid). */
function itemContact(item: XmlElement, jid: string, sub: string | undefined): Contact {
  // §2.1.2.6: group names are non-empty; one listed twice is one group. Most items have one group:
  // it gets a one-element array (the first push onto [] reserves 17 slots, for each of thousands).
  let groups: string[] | undefined;
  const children = item.children;
  for (let i = 0; i < children.length; i++) {
    const g = children[i]!;
    if (typeof g === 'string' || g.name !== 'group' || g.ns !== NS.roster) continue;
    const group = g.text();
    if (group === '') continue;
    if (groups === undefined) groups = [group];
    else if (!groups.includes(group)) groups.push(group);
  }
  // §2.1.2.4: an empty name is the same as none. Made whole, with or without a name, so that the
  // object is not reshaped (and its properties moved out of line) by a later assignment.
  const name = item.attr('name');
  const contact: Contact = name
    ? { jid, name, groups: groups ?? [], subscription: subscription(sub) }
    : { jid, groups: groups ?? [], subscription: subscription(sub) };
  // §2.1.2.2: ask='subscribe' is the only defined value (an outgoing request is pending).
  if (item.attr('ask') === 'subscribe') contact.ask = true;
  if (xsTrue(item.attr('approved'))) contact.approved = true;
  return contact;
}

/**
 * One <item/>. Undefined when its JID is missing or invalid (RFC 7622). Unknown subscription values
 * read as 'none' (§2.1.2.5 lists the only states); 'remove' only appears in pushes (§2.5.2).
 */
export function parseRosterItem(item: XmlElement): RosterItemChange | undefined {
  const jid = itemJid(item, undefined);
  if (jid === undefined) return undefined;
  const sub = item.attr('subscription');
  if (sub === 'remove') return { kind: 'remove', jid };
  return { kind: 'upsert', contact: itemContact(item, jid, sub) };
}

/**
 * A roster result <query/>: every usable item once (the last of duplicates wins, in the place of
 * the first), both as a list and as a map by JID, and the XEP-0237 ver.
 */
export function parseRoster(query: XmlElement): { ver?: string; items: Contact[]; byJid: Map<string, Contact> } {
  let items: Contact[] = [];
  const byJid = new Map<string, Contact>();
  const domains = new Map<string, string | null>();
  let duplicates = false;
  const children = query.children;
  for (let i = 0; i < children.length; i++) {
    const el = children[i]!;
    if (typeof el === 'string' || el.name !== 'item' || el.ns !== NS.roster) continue;
    const jid = itemJid(el, domains);
    if (jid === undefined) continue;
    const sub = el.attr('subscription');
    // A 'remove' item has no place in a roster result: nothing to add.
    if (sub === 'remove') continue;
    const contact = itemContact(el, jid, sub);
    if (byJid.has(contact.jid)) duplicates = true;
    else items.push(contact);
    byJid.set(contact.jid, contact);
  }
  if (duplicates) items = [...byJid.values()];
  const ver = query.attr('ver');
  return ver !== undefined ? { ver, items, byJid } : { items, byJid };
}
