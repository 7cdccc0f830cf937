// XEP-0199: XMPP Ping — https://xmpp.org/extensions/xep-0199.html
// Namespace: urn:xmpp:ping
import { defineModule, IqError, NS, type ModuleContext } from '../../module';
import { buildPing } from './build';

export const PING_NS = NS.ping;

export interface PingApi {
  /** Pings `to` (default: our server) and resolves with the round-trip time in ms. */
  ping(to?: string, timeoutMs?: number): Promise<number>;
}

// XEP-0199 §4: an entity that does not support ping answers service-unavailable (or, from older
// servers, feature-not-implemented). Either is still an answer, so the path is alive.
const ALIVE_CONDITIONS = new Set(['service-unavailable', 'feature-not-implemented']);

export const pingModule = defineModule<undefined, PingApi>({
  name: 'xep0199-ping',
  features: [PING_NS],
  // XEP-0199 §4.1: answer a ping with an empty result.
  iq: [{ type: 'get', ns: PING_NS, child: 'ping', handle: () => null }],
  api: (ctx: ModuleContext) => ({
    async ping(to, timeoutMs) {
      const start = ctx.clock.now();
      try {
        // XEP-0199 §4.2: a client-to-server ping is addressed to the server's domain.
        await ctx.iq(buildPing(to ?? ctx.domain), timeoutMs);
      } catch (e) {
        // Only an error stanza received from the wire (it carries `el`) proves liveness; a local
        // timeout or the stream ending do not.
        if (!(e instanceof IqError && e.el && ALIVE_CONDITIONS.has(e.condition))) throw e;
      }
      return ctx.clock.now() - start;
    },
  }),
});
