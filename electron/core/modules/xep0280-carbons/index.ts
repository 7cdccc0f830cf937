// XEP-0280: Message Carbons — https://xmpp.org/extensions/xep-0280.html
// Namespace: urn:xmpp:carbons:2. Copies of the messages our other devices send and receive, so a
// conversation reads the same everywhere.
import { defineModule, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import { isBareJid, parseJid, sameBareJid } from '../../../../shared/jid';
import { messageTimestamp, messageType, parseBody } from '../rfc6121-im/parse';
import { parseChatState } from '../xep0085-chatstates/parse';
import type { ReceiptsApi } from '../xep0184-receipts';
import { parseReceipt } from '../xep0184-receipts/parse';
import { forwardedChatMessage, forwardedParties, type Parties } from '../xep0297-forward/parse';
import { parseReplace } from '../xep0308-correction/parse';
import { parseDisplayed } from '../xep0333-markers/parse';
import { buildEnable, buildPrivate } from './build';
import { parseCarbon } from './parse';
import { errorText } from '../../../../shared/error-text';

export { CARBONS_NS } from './parse';
export const CARBONS_MODULE = 'xep0280-carbons';

export interface CarbonsApi {
  /** Whether the server accepted <enable/> on this stream. */
  enabled(): boolean;
  /** <private/> + <no-copy/>: pass as ImApi.send's `extensions` to keep one message off our other devices. */
  privateHints(): XmlElement[];
}

export interface CarbonsState {
  enabled: boolean;
}

/** What a copied message means for us: the same events a live one would give. */
function interpret(inner: XmlElement, direction: 'in' | 'out', parties: Parties, ctx: ModuleContext): void {
  const type = messageType(inner);
  // groupchat copies are the MUC module's business; errors, headlines: nothing to show.
  if (type !== 'chat' && type !== 'normal') return;
  const body = parseBody(inner);
  if (body !== undefined) {
    const replaces = parseReplace(inner);
    if (replaces !== undefined) {
      ctx.emit({ type: 'message.corrected', peer: parties.peer, id: replaces, body, from: parties.from });
    } else {
      const opts = { ownBareJid: ctx.bareJid, timestamp: messageTimestamp(inner, ctx.clock.now()), fallbackId: () => ctx.id() };
      const message = forwardedChatMessage(inner, parties, direction, opts);
      if (message) ctx.emit({ type: 'message.received', message });
    }
  }
  // What our own other device said (its chat states, acks, markers) is not news to us.
  if (direction === 'out') return;
  const from = parseJid(parties.from);
  const state = parseChatState(inner);
  if (state) ctx.emit({ type: 'chat.state', peer: parties.peer, resource: from.resource ?? '', state });
  if (body !== undefined) return;
  const ackFor = parseReceipt(inner);
  if (ackFor !== undefined) {
    try {
      ctx.module<ReceiptsApi>('xep0184-receipts').acknowledged(ackFor, from, true);
    } catch {
      ctx.emit({ type: 'message.updated', id: ackFor, peer: parties.peer, state: 'delivered' });
    }
  }
  const displayed = parseDisplayed(inner);
  if (displayed !== undefined) ctx.emit({ type: 'message.displayed', peer: parties.peer, id: displayed });
}

function handleMessage(el: XmlElement, ctx: ModuleContext): boolean {
  const carbon = parseCarbon(el);
  if (!carbon) return false;
  // Security Considerations: a carbon is genuine only from our own bare JID. Anyone can wrap a
  // <sent/> around a message "from us" and send it to us (CVE-2017-5589 and its many relatives).
  const from = el.attr('from');
  if (from === undefined || !isBareJid(from) || !sameBareJid(from, ctx.bareJid)) {
    ctx.emit({ type: 'security.rejected', what: 'message carbon not from our own bare JID (XEP-0280, CVE-2017-5589)', from });
    return true;
  }
  const parties = carbon.forwarded && forwardedParties(carbon.forwarded.message, carbon.direction, ctx.bareJid);
  if (!carbon.forwarded || !parties) {
    ctx.log.debug('carbon without a usable forwarded message ignored');
    return true;
  }
  interpret(carbon.forwarded.message, carbon.direction, parties, ctx);
  return true;
}

export const carbonsModule = defineModule<CarbonsState, CarbonsApi>({
  name: CARBONS_MODULE,
  init: () => ({ enabled: false }),
  message: (el, ctx) => handleMessage(el, ctx),
  online(ctx, state) {
    // Not awaited: nothing later in the login depends on it, so it costs no round trip. A server
    // without carbons answers with an error; then we simply get no copies.
    ctx.iq(buildEnable()).then(
      () => {
        state.enabled = true;
      },
      (e: unknown) => ctx.log.info('message carbons not enabled', { error: errorText(e) }),
    );
  },
  offline(state) {
    state.enabled = false;
  },
  api: (_ctx, state) => ({
    enabled: () => state.enabled,
    privateHints: buildPrivate,
  }),
});
