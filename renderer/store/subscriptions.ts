// Subscription requests waiting for the user's answer (RFC 6121 §3.1.3: an inbound 'subscribe').
// A request is dropped when the user answers it, when the requester withdraws it (an inbound
// 'unsubscribe', §3.3), or when the roster shows it was approved elsewhere (another client of
// ours answered: subscription 'from' or 'both').
import type { Action } from './actions';

export interface SubscriptionRequest {
  from: string;
  nick?: string;
  status?: string;
}

export interface SubscriptionsSlice {
  /** In arrival order, at most one per JID. */
  pending: readonly SubscriptionRequest[];
}

export const emptySubscriptions: SubscriptionsSlice = { pending: [] };

function without(s: SubscriptionsSlice, jids: ReadonlySet<string>): SubscriptionsSlice {
  const pending = s.pending.filter((r) => !jids.has(r.from));
  return pending.length === s.pending.length ? s : { pending };
}

export function applySubscriptions(s: SubscriptionsSlice, a: Action): SubscriptionsSlice {
  switch (a.name) {
    case 'subscription.request': {
      const { from, kind, nick, status } = a.payload;
      if (kind === 'unsubscribe') return without(s, new Set([from]));
      if (kind !== 'subscribe') return s;
      const req: SubscriptionRequest = { from };
      if (nick !== undefined) req.nick = nick;
      if (status !== undefined) req.status = status;
      const i = s.pending.findIndex((r) => r.from === from);
      if (i < 0) return { pending: [...s.pending, req] };
      // A repeated request keeps its place and refreshes the nick/status it carries.
      const pending = s.pending.slice();
      pending[i] = req;
      return { pending };
    }
    case 'roster.changed': {
      // Usually nothing is pending: then a 10,000-item roster costs nothing here.
      if (s.pending.length === 0) return s;
      const waiting = new Set(s.pending.map((r) => r.from));
      const approved = new Set<string>();
      for (const c of a.payload.upserted) if (waiting.has(c.jid) && (c.subscription === 'from' || c.subscription === 'both')) approved.add(c.jid);
      return approved.size === 0 ? s : without(s, approved);
    }
    case 'local.subscriptionAnswered':
      return without(s, new Set([a.payload.jid]));
    case 'local.hydrated':
      return { pending: a.payload.snapshot.pendingSubscriptions.map((r) => ({ ...r })) };
    case 'local.loggedOut':
      return emptySubscriptions;
    default:
      return s;
  }
}
