// Roster slice: contacts by bare JID and the sorted list of group names (RFC 6121 §2).
// Deltas come as roster.changed {upserted, removed, replace}; a change replaces only the
// entries it touches, so a row selecting `contacts[jid]` re-renders only when its contact changed.
import type { Contact } from '../../shared/domain';
import type { Action } from './actions';
import { sortNames } from './roster-rows';

export interface RosterSlice {
  contacts: Readonly<Record<string, Contact>>;
  /** Distinct group names, sorted for display. */
  groups: readonly string[];
  ver?: string;
}

export const emptyRoster: RosterSlice = { contacts: {}, groups: [] };

/** The distinct groups of these contacts, in display order (the row model's, roster-rows.ts). */
function groupsOf(contacts: Iterable<Contact>): string[] {
  const set = new Set<string>();
  for (const c of contacts) for (const g of c.groups) set.add(g);
  return sortNames(set);
}

/** Keep the previous array when the content is the same, so selectors depending on it stay put. */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `all`: the contacts as a list when the caller has one (a full push), to spare a walk of the map. */
function withContacts(s: RosterSlice, contacts: Record<string, Contact>, ver: string | undefined, all: Iterable<Contact> = Object.values(contacts)): RosterSlice {
  const groups = groupsOf(all);
  const next: RosterSlice = { contacts, groups: sameList(groups, s.groups) ? s.groups : groups };
  const v = ver ?? s.ver;
  return v === undefined ? next : { ...next, ver: v };
}

export function applyRoster(s: RosterSlice, a: Action): RosterSlice {
  switch (a.name) {
    case 'roster.changed': {
      const { upserted, removed, replace, ver } = a.payload;
      // Object.create(null): JIDs are peer-controlled strings; '__proto__' must be an ordinary key.
      const contacts: Record<string, Contact> = Object.assign(Object.create(null) as Record<string, Contact>, replace ? {} : s.contacts);
      for (const jid of removed) delete contacts[jid];
      for (const c of upserted) contacts[c.jid] = c;
      // A full push: the map holds the pushed contacts (the last one where a JID repeats).
      return withContacts(s, contacts, ver, replace ? upserted.filter((c) => contacts[c.jid] === c) : undefined);
    }
    case 'local.hydrated': {
      const contacts = Object.create(null) as Record<string, Contact>;
      for (const c of a.payload.snapshot.roster) contacts[c.jid] = c;
      return withContacts(emptyRoster, contacts, undefined);
    }
    case 'local.loggedOut':
      return emptyRoster;
    default:
      return s;
  }
}
