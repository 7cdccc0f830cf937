// Roster slice: contacts by bare JID (RFC 6121 §2); the sorted list of group names is derived on use.
// Deltas come as roster.changed {upserted, removed, replace}; a change replaces only the
// entries it touches, so a row selecting `contacts[jid]` re-renders only when its contact changed.
import type { Contact } from '../../shared/domain';
import type { Action } from './actions';
import { sortNames } from './roster-order';
import { nullProto } from './records';

export interface RosterSlice {
  contacts: Readonly<Record<string, Contact>>;
  ver?: string;
}

export const emptyRoster: RosterSlice = { contacts: {} };

const groupNames = new WeakMap<object, readonly string[]>();

/**
 * The distinct groups of the roster, in display order (the row model's, roster-order.ts), for the
 * group dialogs' suggestions. Derived when asked, once per contacts object: building it in the
 * reducer cost every roster push a pass over all contacts (≈ 3–4 ms of the sign-in task at 10,000).
 */
export function groupNamesOf(contacts: Readonly<Record<string, Contact>>): readonly string[] {
  let names = groupNames.get(contacts);
  if (!names) {
    const set = new Set<string>();
    for (const jid in contacts) for (const g of contacts[jid]!.groups) set.add(g);
    names = sortNames(set);
    groupNames.set(contacts, names);
  }
  return names;
}

function withContacts(s: RosterSlice, contacts: Record<string, Contact>, ver: string | undefined): RosterSlice {
  const v = ver ?? s.ver;
  return v === undefined ? { contacts } : { contacts, ver: v };
}

/**
 * A full list of contacts (a replace push, a snapshot) by JID, null-prototype ('__proto__' is an
 * ordinary JID), the last one winning where a JID repeats (issue 4: reduced in the sign-in task,
 * so a plain indexed loop).
 */
function fromList(list: readonly Contact[]): Record<string, Contact> {
  const contacts = Object.create(null) as Record<string, Contact>;
  for (let i = 0; i < list.length; i++) contacts[list[i]!.jid] = list[i]!;
  return contacts;
}

export function applyRoster(s: RosterSlice, a: Action): RosterSlice {
  switch (a.name) {
    case 'roster.changed': {
      const { upserted, removed, replace, ver } = a.payload;
      if (replace) return withContacts(s, fromList(upserted), ver);
      // Object.create(null): JIDs are peer-controlled strings; '__proto__' must be an ordinary key.
      const contacts: Record<string, Contact> = nullProto(s.contacts);
      for (const jid of removed) delete contacts[jid];
      for (const c of upserted) contacts[c.jid] = c;
      return withContacts(s, contacts, ver);
    }
    case 'local.hydrated': {
      const { roster } = a.payload.snapshot;
      return withContacts(emptyRoster, fromList(roster), undefined);
    }
    case 'local.loggedOut':
      return emptyRoster;
    default:
      return s;
  }
}
