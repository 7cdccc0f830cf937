// Roster slice: contacts by bare JID and the sorted list of group names (RFC 6121 §2).
// Deltas come as roster.changed {upserted, removed, replace}; a change replaces only the
// entries it touches, so a row selecting `contacts[jid]` re-renders only when its contact changed.
import type { Contact } from '../../shared/domain';
import type { Action } from './actions';
import { sortNames } from './roster-order';
import { nullProto } from './records';

export interface RosterSlice {
  contacts: Readonly<Record<string, Contact>>;
  /** Distinct group names, sorted for display. */
  groups: readonly string[];
  ver?: string;
}

export const emptyRoster: RosterSlice = { contacts: {}, groups: [] };

/** The distinct groups of these contacts, in display order (the row model's, roster-order.ts). */
function groupsOf(contacts: readonly Contact[]): string[] {
  const set = new Set<string>();
  for (let i = 0; i < contacts.length; i++) {
    const { groups } = contacts[i]!;
    for (let j = 0; j < groups.length; j++) set.add(groups[j]!);
  }
  return sortNames(set);
}

/** Keep the previous array when the content is the same, so selectors depending on it stay put. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `all`: the contacts as a list (the map's values). */
function withContacts(s: RosterSlice, contacts: Record<string, Contact>, all: readonly Contact[], ver: string | undefined): RosterSlice {
  const groups = groupsOf(all);
  const next: RosterSlice = { contacts, groups: sameList(groups, s.groups) ? s.groups : groups };
  const v = ver ?? s.ver;
  return v === undefined ? next : { ...next, ver: v };
}

/**
 * A full list of contacts (a replace push, a snapshot) by JID, null-prototype ('__proto__' is an
 * ordinary JID), the last one winning where a JID repeats; and the list without the entries so
 * replaced — the list itself when no JID repeats (issue 4: reduced in the sign-in task, so plain
 * indexed loops and no copy of 10,000 entries).
 */
function fromList(list: readonly Contact[]): [Record<string, Contact>, readonly Contact[]] {
  const contacts = Object.create(null) as Record<string, Contact>;
  for (let i = 0; i < list.length; i++) contacts[list[i]!.jid] = list[i]!;
  for (let i = 0; i < list.length; i++) if (contacts[list[i]!.jid] !== list[i]) return [contacts, list.filter((c) => contacts[c.jid] === c)];
  return [contacts, list];
}

export function applyRoster(s: RosterSlice, a: Action): RosterSlice {
  switch (a.name) {
    case 'roster.changed': {
      const { upserted, removed, replace, ver } = a.payload;
      if (replace) return withContacts(s, ...fromList(upserted), ver);
      // Object.create(null): JIDs are peer-controlled strings; '__proto__' must be an ordinary key.
      const contacts: Record<string, Contact> = nullProto(s.contacts);
      for (const jid of removed) delete contacts[jid];
      for (const c of upserted) contacts[c.jid] = c;
      return withContacts(s, contacts, Object.values(contacts), ver);
    }
    case 'local.hydrated': {
      const { roster } = a.payload.snapshot;
      return withContacts(emptyRoster, ...fromList(roster), undefined);
    }
    case 'local.loggedOut':
      return emptyRoster;
    default:
      return s;
  }
}
