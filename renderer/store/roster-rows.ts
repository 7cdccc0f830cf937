// The roster as a flat list of rows (group headers and contacts) for a virtualized tree.
// Computed in two memoized stages so a 10,000-contact roster stays cheap:
//  1. sort contacts by display name — only when the roster itself changes;
//  2. bucket into groups — when the roster, the set of *online* contacts, the filter, the
//     offline toggle or a group's collapsed state changes. A mere show/status change touches none
//     of these, so it re-renders one row (the row selects its own presence) and not the list.
import type { Contact, Show } from '../../shared/domain';
import type { RosterSort } from './actions';
import { memoizeLast } from './memo';
import { PMap } from './pmap';
import { SHOW_RANK } from './presence';
import type { RootState } from './root';

/** Group keys: named groups are prefixed so a group literally called "Offline" stays distinct. */
export const UNGROUPED_KEY = 'ungrouped';
export const OFFLINE_KEY = 'offline';
export const groupKey = (name: string): string => `g:${name}`;

export type GroupKind = 'named' | 'ungrouped' | 'offline';

export interface GroupRow {
  kind: 'group';
  key: string;
  groupKind: GroupKind;
  /** The group's own name for 'named' groups; the UI translates the other two. */
  name: string;
  online: number;
  total: number;
  collapsed: boolean;
  /** 1-based position among the groups (aria-posinset) and their number (aria-setsize). */
  posinset: number;
  setsize: number;
}

export interface ContactRow {
  kind: 'contact';
  /** Unique per row: a contact in two groups has two rows. */
  key: string;
  jid: string;
  groupKey: string;
  posinset: number;
  setsize: number;
}

export type RosterRow = GroupRow | ContactRow;

export interface RosterRows {
  rows: readonly RosterRow[];
  /** Contacts matching the filter (each counted once), and how many of them are online. */
  matching: number;
  online: number;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export const displayName = (c: Pick<Contact, 'jid' | 'name'>): string => (c.name && c.name.trim() !== '' ? c.name : c.jid);

interface SortedContact {
  contact: Contact;
  /** Lower-cased name + JID for the filter, made on first use (not for every sign-in). */
  search?: string;
}

const searchText = (e: SortedContact): string => (e.search ??= `${e.contact.name ?? ''}\n${e.contact.jid}`.toLocaleLowerCase());

/**
 * A cheap stand-in for the collator's order (issue 4, 10,000 contacts): lower case, digit runs
 * padded so that "Contact 2" < "Contact 10" as with numeric collation. Only a first pass: the
 * result is then sorted with the real collator (below), which is what decides the order.
 */
export function roughKey(name: string): string {
  const lower = name.toLowerCase();
  return /\d/.test(lower) ? lower.replace(/\d+/g, (d) => d.padStart(12, '0')) : lower;
}

/**
 * Names whose rough key orders exactly as the collator does (base strength, numeric): only ASCII
 * letters, digits and spaces, digit runs of at most 12. For those, case is the only difference
 * base strength ignores; a space sorts before digits before letters in both; numeric runs compare
 * by value in both (leading zeros ignored, as the padding makes them equal). One other name in
 * the roster and the collator pass runs over the whole list.
 */
export const PLAIN_NAME = /^(?:[A-Za-z ]|\d{1,12}(?!\d))*$/;

const byJid = (a: SortedContact, b: SortedContact) => (a.contact.jid < b.contact.jid ? -1 : a.contact.jid > b.contact.jid ? 1 : 0);

export const sortContacts = memoizeLast((contacts: Readonly<Record<string, Contact>>): readonly SortedContact[] => {
  const list: (SortedContact & { rough: string; name: string })[] = [];
  for (const jid in contacts) {
    const contact = contacts[jid]!;
    const name = displayName(contact);
    list.push({ contact, name, rough: roughKey(name) });
  }
  // Intl.Collator.compare costs ~10 µs a call in Chromium: a plain sort by it of 10,000 names is
  // ~140,000 calls. Sorting first by the rough key leaves the list (nearly) in collator order, and
  // V8's TimSort then needs about one collator call per element to confirm or fix it.
  list.sort((a, b) => (a.rough < b.rough ? -1 : a.rough > b.rough ? 1 : byJid(a, b)));
  if (list.every((e) => PLAIN_NAME.test(e.name))) return list;
  return list.sort((a, b) => collator.compare(a.name, b.name) || byJid(a, b));
});

export function buildRows(
  sorted: readonly SortedContact[],
  online: PMap<true>,
  filter: string,
  showOffline: boolean,
  collapsed: Readonly<Record<string, true>>,
  // Issue 4: order inside a group ('presence': most available first, then by name), groups whose
  // members are all offline shown as a header, and the shows sorting needs (only then an input).
  sortBy: RosterSort = 'name',
  showEmptyGroups = false,
  shows: PMap<Show> = NO_SHOWS,
): RosterRows {
  const needle = filter.trim().toLocaleLowerCase();
  const named = new Map<string, { members: string[]; total: number }>();
  const ungrouped: string[] = [];
  let ungroupedTotal = 0;
  const offline: string[] = [];
  let matching = 0;
  let onlineCount = 0;

  for (const entry of sorted) {
    const { contact } = entry;
    if (needle !== '' && !searchText(entry).includes(needle)) continue;
    matching++;
    const isOnline = online.has(contact.jid);
    if (isOnline) onlineCount++;
    else offline.push(contact.jid);
    if (contact.groups.length === 0) {
      ungroupedTotal++;
      if (isOnline) ungrouped.push(contact.jid);
    }
    for (const g of contact.groups) {
      let bucket = named.get(g);
      if (!bucket) named.set(g, (bucket = { members: [], total: 0 }));
      bucket.total++;
      if (isOnline) bucket.members.push(contact.jid);
    }
  }

  // The members are in name order; a stable sort by show keeps it within each show.
  const byPresence = (members: string[]) => (sortBy === 'presence' ? members.sort((a, b) => rank(shows, b) - rank(shows, a)) : members);
  // Groups with nobody online are left out (unless asked for): their members are all under "Offline".
  const groups: { key: string; groupKind: GroupKind; name: string; members: string[]; total: number }[] = [];
  for (const name of [...named.keys()].sort(collator.compare)) {
    const b = named.get(name)!;
    if (b.members.length > 0 || showEmptyGroups) groups.push({ key: groupKey(name), groupKind: 'named', name, members: byPresence(b.members), total: b.total });
  }
  if (ungrouped.length > 0 || (showEmptyGroups && ungroupedTotal > 0)) groups.push({ key: UNGROUPED_KEY, groupKind: 'ungrouped', name: '', members: byPresence(ungrouped), total: ungroupedTotal });
  if (showOffline && offline.length > 0) groups.push({ key: OFFLINE_KEY, groupKind: 'offline', name: '', members: offline, total: offline.length });

  const rows: RosterRow[] = [];
  groups.forEach((g, gi) => {
    const isCollapsed = collapsed[g.key] === true;
    const online = g.groupKind === 'offline' ? 0 : g.members.length;
    rows.push({ kind: 'group', key: g.key, groupKind: g.groupKind, name: g.name, online, total: g.total, collapsed: isCollapsed, posinset: gi + 1, setsize: groups.length });
    if (isCollapsed) return;
    g.members.forEach((jid, i) => rows.push({ kind: 'contact', key: `${g.key}\u0000${jid}`, jid, groupKey: g.key, posinset: i + 1, setsize: g.members.length }));
  });
  return { rows, matching, online: onlineCount };
}

const NO_SHOWS: PMap<Show> = PMap.empty();
const rank = (shows: PMap<Show>, jid: string): number => {
  const show = shows.get(jid);
  return show ? SHOW_RANK[show] : 0;
};

const buildRowsMemo = memoizeLast(buildRows);

/** The row model for the current state; the same object until one of its inputs changes. */
export function selectRosterRows(s: RootState): RosterRows {
  const { filter, showOffline, collapsed, sortBy, showEmptyGroups } = s.settings;
  // Shows are an input only when sorting by them: sorted by name, a show change costs one row.
  return buildRowsMemo(sortContacts(s.roster.contacts), s.presence.online, filter, showOffline, collapsed, sortBy, showEmptyGroups, sortBy === 'presence' ? s.presence.shows : NO_SHOWS);
}
