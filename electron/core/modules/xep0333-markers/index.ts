// XEP-0333: Displayed Markers — https://xmpp.org/extensions/xep-0333.html
// Namespace: urn:xmpp:chat-markers:0. Only <displayed/> ("read") is used; <received/> duplicates
// XEP-0184 and <acknowledged/> needs a UI we do not have.
import { defineModule } from '../../module';
import { bareJid, formatJid, parseJid, tryParseJid } from '../../../../shared/jid';
import { mayKnowOurPresence } from '../presence-authorization';
import type { OutgoingMessageDecorator } from '../rfc6121-im';
import { messageType, parseBody } from '../rfc6121-im/parse';
import { buildDisplayed, buildMarkable } from './build';
import { isMarkable, MARKERS_NS, parseDisplayed } from './parse';

export { MARKERS_NS } from './parse';
export const MARKERS_MODULE = 'xep0333-markers';
/** Incoming message ids remembered as markable or not; the oldest are forgotten beyond this. */
export const SEEN_LIMIT = 10_000;

export interface MarkersApi extends OutgoingMessageDecorator {
  /**
   * Tells `to` we displayed their message `id` and everything before it (call it for the latest
   * one, once the conversation is on screen and caught up — Business Rules, Optimizations).
   * Not sent when `to` may not see our presence (Security Considerations), nor for a message we
   * saw arrive without <markable/> (Requirements). Returns whether it went out. Throws JidError
   * for an invalid `to`.
   */
  displayed(to: string, id: string): boolean;
}

/** Factory: which incoming messages were markable is remembered across streams. */
export function markersModule() {
  const markable = new Map<string, boolean>(); // "peer\nid" → had <markable/>
  const key = (peer: string, id: string) => `${peer}\n${id}`;

  return defineModule<undefined, MarkersApi>({
    name: MARKERS_MODULE,
    features: [MARKERS_NS],
    message(el, ctx) {
      const type = messageType(el);
      if (type !== 'chat' && type !== 'normal') return false; // groupchat: the MUC module's
      const from = tryParseJid(el.attr('from') ?? '');
      if (!from) return false;
      const peer = bareJid(from);
      const id = el.attr('id');
      if (id && parseBody(el) !== undefined) {
        markable.set(key(peer, id), isMarkable(el));
        if (markable.size > SEEN_LIMIT) markable.delete(markable.keys().next().value!);
      }
      const displayed = parseDisplayed(el);
      if (displayed !== undefined) ctx.emit({ type: 'message.displayed', peer, id: displayed });
      return false;
    },
    api: (ctx) => ({
      displayed(to, id) {
        const jid = parseJid(to);
        // A message seen without <markable/> must not be marked; one we never saw (from the
        // archive, from before a restart) may be: a peer ignores markers for ids it does not know.
        if (markable.get(key(bareJid(jid), id)) === false) return false;
        if (!mayKnowOurPresence(ctx, formatJid(jid))) return false;
        ctx.send(buildDisplayed(formatJid(jid), ctx.id(), id));
        return true;
      },
      decorateOutgoing(el, message) {
        if (message.type === 'chat') el.append(buildMarkable());
      },
    }),
  });
}
