// Presence slice: every available resource of every contact (RFC 6121 §4), the best one per
// contact, and our own presence. Only the entries an update touches are replaced, and `online`
// (the set the roster's grouping depends on) is replaced only when someone comes or goes — so a
// status-message change re-renders one row and leaves the row model alone.
// The maps are persistent (pmap.ts): a batch of a presence flood costs in proportion to its
// updates, not to the 10,000 contacts (a plain-object copy per batch cost ~10 ms per map).
import type { ResourcePresence, Show } from '../../shared/domain';
import type { Action } from './actions';
import { PMap } from './pmap';
import { nullProto } from './records';

export interface ContactPresence {
  /** Available resources by resource name. */
  resources: Readonly<Record<string, ResourcePresence>>;
  /** The resource shown for the contact: highest priority, then most available show. */
  best: ResourcePresence;
}

export interface OwnPresence {
  show: Show | 'offline';
  status?: string;
}

export interface PresenceSlice {
  /** Bare JID → presence; absent = offline. */
  byJid: PMap<ContactPresence>;
  /** Bare JIDs with at least one available resource. */
  online: PMap<true>;
  /**
   * Bare JID → the best resource's show (issue 4: sorting by presence). Replaced only when a
   * contact's show changes, comes or goes — not on a status-message change.
   */
  shows: PMap<Show>;
  own: OwnPresence;
}

export const emptyPresence: PresenceSlice = { byJid: PMap.empty(), online: PMap.empty(), shows: PMap.empty(), own: { show: 'offline' } };

/** How available a show value is, for picking the best resource (RFC 6121 §4.7.2.1 values). */
export const SHOW_RANK: Readonly<Record<Show, number>> = { chat: 5, available: 4, away: 3, xa: 2, dnd: 1 };

/** a is better than b: priority first (RFC 6121 §4.7.2.3), then availability, then resource name for stability. */
function better(a: ResourcePresence, b: ResourcePresence): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (SHOW_RANK[a.show] !== SHOW_RANK[b.show]) return SHOW_RANK[a.show] > SHOW_RANK[b.show];
  return a.resource < b.resource;
}

export function bestResource(resources: Readonly<Record<string, ResourcePresence>>): ResourcePresence | undefined {
  let best: ResourcePresence | undefined;
  for (const r in resources) {
    const p = resources[r]!;
    if (!best || better(p, best)) best = p;
  }
  return best;
}

export function applyPresence(s: PresenceSlice, a: Action): PresenceSlice {
  switch (a.name) {
    case 'presence.changed': {
      const { updates } = a.payload;
      if (updates.length === 0) return s;
      const comeOrGone: [string, boolean][] = [];
      const showChanges: [string, Show | null][] = [];
      const byJid = s.byJid.update((d) => {
        for (const u of updates) {
          const prev = d.get(u.jid);
          const resources = nullProto(prev?.resources ?? {});
          if (u.presence) resources[u.resource] = u.presence;
          else delete resources[u.resource];
          const best = bestResource(resources);
          if (best) {
            d.set(u.jid, { resources, best });
            if (!prev) comeOrGone.push([u.jid, true]);
            if (prev?.best.show !== best.show) showChanges.push([u.jid, best.show]);
          } else if (prev) {
            d.delete(u.jid);
            comeOrGone.push([u.jid, false]);
            showChanges.push([u.jid, null]);
          }
        }
      });
      if (byJid === s.byJid) return s;
      const online = comeOrGone.length === 0 ? s.online : s.online.update((d) => comeOrGone.forEach(([j, on]) => (on ? d.set(j, true) : d.delete(j))));
      const shows = showChanges.length === 0 ? s.shows : s.shows.update((d) => showChanges.forEach(([j, show]) => (show ? d.set(j, show) : d.delete(j))));
      return { ...s, byJid, online, shows };
    }
    case 'presence.own': {
      const { show, status } = a.payload;
      return { ...s, own: status === undefined ? { show } : { show, status } };
    }
    case 'connection.changed': {
      // Without a session nobody's presence is known any more (RFC 6121 §4.2.1: it is re-sent on
      // the next initial presence). While reconnecting, a resumed XEP-0198 session keeps it.
      const st = a.payload.state.status;
      if (st === 'offline' || st === 'failed') return s.own.show === 'offline' && s.byJid.size === 0 ? s : { ...emptyPresence };
      return s;
    }
    case 'local.hydrated': {
      let next: PresenceSlice = { ...emptyPresence, own: a.payload.snapshot.own };
      if (a.payload.snapshot.presence.length > 0) next = applyPresence(next, { name: 'presence.changed', payload: { updates: a.payload.snapshot.presence } });
      return next;
    }
    case 'local.loggedOut':
      return emptyPresence;
    default:
      return s;
  }
}
