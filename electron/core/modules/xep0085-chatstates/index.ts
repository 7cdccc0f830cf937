// XEP-0085: Chat State Notifications — https://xmpp.org/extensions/xep-0085.html
// Namespace: http://jabber.org/protocol/chatstates
import { defineModule } from '../../module';
import type { ChatState } from '../../events';
import { bareJid, formatJid, parseJid, tryParseJid } from '../../../../shared/jid';
import type { OutgoingMessageDecorator } from '../rfc6121-im';
import { messageType, parseBody } from '../rfc6121-im/parse';
import { buildChatState, buildStandaloneState } from './build';
import { CHATSTATES_NS, parseChatState } from './parse';

export { CHATSTATES_NS, parseChatState } from './parse';
export const CHATSTATES_MODULE = 'xep0085-chatstates';

export interface ChatStatesApi extends OutgoingMessageDecorator {
  /**
   * Sends a standalone notification (debouncing is the caller's: composing on the first keystroke,
   * paused after a few idle seconds). Sent only when `to` has shown it supports chat states
   * (Business Rules, Generation of Notifications: not before the contact replied with one) and when
   * it differs from the last state we sent them (Repetition). Returns whether it went out. Throws
   * JidError for an invalid `to`.
   */
  set(to: string, state: ChatState): boolean;
  /** What we know of `peer`'s support: true (it sent a chat state), false (it replied without one), undefined. */
  supports(peer: string): boolean | undefined;
}

export interface ChatStatesOptions {
  /**
   * Whether the user lets Flint send chat states (Support Requirements: a client MUST let the user
   * choose). When it says false, nothing goes out — no <active/> either; incoming ones still count.
   */
  send?: () => boolean;
}

/** Factory: what we know of each contact's support outlives a reconnect. */
export function chatStatesModule(opts: ChatStatesOptions = {}) {
  const allowed = () => opts.send?.() ?? true;
  const support = new Map<string, boolean>();
  // The last state we told each contact, so a standalone notification is never repeated.
  const lastSent = new Map<string, ChatState>();

  return defineModule<undefined, ChatStatesApi>({
    name: CHATSTATES_MODULE,
    features: [CHATSTATES_NS],
    message(el, ctx) {
      const type = messageType(el);
      // Context of Usage: chat (one-to-one); groupchat belongs to the MUC module.
      if (type !== 'chat' && type !== 'normal') return false;
      const from = tryParseJid(el.attr('from') ?? '');
      if (!from) return false;
      const peer = bareJid(from);
      const state = parseChatState(el);
      if (state) {
        support.set(peer, true);
        ctx.emit({ type: 'chat.state', peer, resource: from.resource ?? '', state });
      } else if (parseBody(el) !== undefined) {
        // Generation of Notifications, rule 3: a reply without a notification means "no thanks".
        support.set(peer, false);
      }
      return false; // a body is still rfc6121-im's; markers or receipts may ride along
    },
    offline() {
      // A new stream may reach a different client of the contact: say the next state again.
      lastSent.clear();
    },
    api: (ctx) => ({
      set(to, state) {
        const jid = parseJid(to);
        const peer = bareJid(jid);
        if (!allowed() || support.get(peer) !== true || lastSent.get(peer) === state) return false;
        ctx.send(buildStandaloneState(formatJid(jid), ctx.id(), state));
        lastSent.set(peer, state);
        return true;
      },
      supports: (peer) => support.get(bareJid(peer)),
      decorateOutgoing(el, message) {
        // Rule 1: the first content message carries <active/>; Repetition: so does every later one —
        // unless the contact has shown it does not want notifications.
        if (!allowed() || message.type !== 'chat' || support.get(message.peer) === false) return;
        el.append(buildChatState('active'));
        lastSent.set(message.peer, 'active');
      },
    }),
  });
}
