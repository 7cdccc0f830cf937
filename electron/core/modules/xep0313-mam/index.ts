// XEP-0313: Message Archive Management — https://xmpp.org/extensions/xep-0313.html
// Namespace: urn:xmpp:mam:2, paged with XEP-0059 (http://jabber.org/protocol/rsm). Queries of our
// own archive: catch-up after a disconnect and scroll-back beyond the local store.
import { defineModule, type ModuleContext } from '../../module';
import { hex } from '../../util/hex';
import type { XmlElement } from '../../xml/element';
import { isBareJid, sameBareJid } from '../../../../shared/jid';
import { buildQuery, type MamQuery } from './build';
import { parseArchivedMessage, parseFin, parseResult, type ArchivedMessage } from './parse';

export type { MamQuery } from './build';
export { MAM_NS, RSM_NS, type ArchivedMessage } from './parse';
export const MAM_MODULE = 'xep0313-mam';
/** A page of a few hundred messages can take a busy server a while. */
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

export interface MamPage {
  /** The page's one-to-one messages with a body, in archive (chronological) order. */
  messages: ArchivedMessage[];
  /** No more messages in the direction paged (forward with `after`, backward with `before`). */
  complete: boolean;
  /** Archive ids of the page's first and last result (bodyless ones included): page on from these. */
  first?: string;
  last?: string;
  /** How many messages the whole query matches, when the server says. */
  count?: number;
}

export interface MamApi {
  /**
   * Queries our own archive. Rejects with IqError (e.g. item-not-found when `after`/`before` names
   * an id the archive no longer has), on timeout, or when the answer has no <fin/>.
   */
  query(opts?: MamQuery, timeoutMs?: number): Promise<MamPage>;
}

export interface MamState {
  /** Results collected per queryid of the queries in flight. */
  inflight: Map<string, ArchivedMessage[]>;
}

function handleMessage(el: XmlElement, ctx: ModuleContext, state: MamState): boolean {
  const result = parseResult(el);
  if (!result) return false;
  // From here on the stanza is ours whatever happens: an archive result must never reach
  // rfc6121-im as if it were a live message.
  const from = el.attr('from');
  // Query results: our own archive answers from our bare JID, or from no address (our server).
  if (from !== undefined && !(isBareJid(from) && sameBareJid(from, ctx.bareJid))) {
    ctx.emit({ type: 'security.rejected', what: 'archive result not from our own archive (XEP-0313)', from });
    return true;
  }
  const bucket = result.queryid !== undefined ? state.inflight.get(result.queryid) : undefined;
  if (!bucket) {
    ctx.emit({ type: 'security.rejected', what: 'archive result for no query of ours (XEP-0313 queryid)', ...(from !== undefined ? { from } : {}) });
    return true;
  }
  const message = parseArchivedMessage(result, ctx.bareJid, ctx.clock.now(), () => ctx.id());
  if (message) bucket.push(message);
  return true;
}

export const mamModule = defineModule<MamState, MamApi>({
  name: MAM_MODULE,
  init: () => ({ inflight: new Map() }),
  message: handleMessage,
  offline(state) {
    state.inflight.clear();
  },
  api: (ctx, state) => ({
    async query(opts = {}, timeoutMs = DEFAULT_QUERY_TIMEOUT_MS) {
      // Unguessable, unlike stanza ids (which peers see): a forged result must also guess this.
      const queryid = hex(ctx.crypto.randomBytes(9));
      const messages: ArchivedMessage[] = [];
      state.inflight.set(queryid, messages);
      try {
        const res = await ctx.iq(buildQuery(queryid, opts), timeoutMs);
        const fin = parseFin(res);
        if (!fin) throw new Error('the archive answered without <fin/>');
        return { messages, ...fin };
      } finally {
        state.inflight.delete(queryid);
      }
    },
  }),
});
