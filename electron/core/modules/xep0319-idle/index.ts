// XEP-0319: Last User Interaction in Presence — https://xmpp.org/extensions/xep-0319.html
// Namespace: urn:xmpp:idle:1. Our side: an <idle since/> in every presence while the user is
// idle, contributed through the rfc6121-presence extension point; others' idle is read by
// rfc6121-presence (ResourcePresence.idleSince). For contacts whose clients do not send it,
// XEP-0012: Last Activity (jabber:iq:last — https://xmpp.org/extensions/xep-0012.html) is asked.
// We do not answer jabber:iq:last ourselves: any JID may ask, and idle time is for contacts,
// who get it in presence.
import { defineModule, IqError, NS } from '../../module';
import type { PresenceApi, PresenceContributor } from '../rfc6121-presence';
import { buildIdle, buildLastActivityRequest } from './build';
import { LAST_NS, parseLastActivity, type LastActivity } from './parse';

export { LAST_NS, parseLastActivity, type LastActivity } from './parse';
export { buildIdle, formatDateTime } from './build';

export const IDLE_MODULE = 'xep0319-idle';

export interface IdleApi extends PresenceContributor {
  /**
   * The user has been idle since this time (epoch ms or Date), or is back (null). Our presence is
   * sent again with the change unless `broadcast: false` — for a caller about to change show too
   * (auto-away), so one presence carries both.
   */
  setIdleSince(since: Date | number | null, opts?: { broadcast?: boolean }): void;
  idleSince(): number | null;
  /**
   * XEP-0012: seconds since `jid` was last active. A full JID answers its idle time, a bare JID of
   * an offline user the time since logout (§4), a server its uptime (§5).
   */
  lastActivity(jid: string): Promise<LastActivity>;
}

/** Factory: being idle is the user's state, kept across reconnects. */
export function idleModule() {
  let since: number | null = null;

  return defineModule<undefined, IdleApi>({
    name: IDLE_MODULE,
    // §4: an entity that sends <idle/> announces the namespace.
    features: [NS.idle],
    api: (ctx) => ({
      presenceChild: () => (since === null ? undefined : buildIdle(since)),
      idleSince: () => since,
      setIdleSince(value, opts) {
        const next = value === null ? null : typeof value === 'number' ? value : value.getTime();
        if (next !== null && !Number.isFinite(next)) throw new Error('invalid idle time');
        // §3: a time in the future would be a lie about the user; it is clamped to now.
        const clamped = next === null ? null : Math.min(next, ctx.clock.now());
        if (clamped === since) return;
        since = clamped;
        if (opts?.broadcast === false) return;
        try {
          ctx.module<PresenceApi>('rfc6121-presence').rebroadcast();
        } catch {
          // presence not registered: nothing to re-send
        }
      },
      async lastActivity(jid) {
        const result = await ctx.iq(buildLastActivityRequest(jid));
        const last = parseLastActivity(result.child('query', LAST_NS));
        if (!last) throw new IqError('bad-request', 'modify', 'the last-activity answer has no valid seconds');
        return last;
      },
    }),
  });
}
