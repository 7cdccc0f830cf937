// XEP-0184: Message Delivery Receipts — https://xmpp.org/extensions/xep-0184.html
// Namespace: urn:xmpp:receipts
import { defineModule, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import { bareJid, formatJid, tryParseJid, type Jid } from '../../../../shared/jid';
import { mayKnowOurPresence } from '../presence-authorization';
import type { OutgoingMessageDecorator } from '../rfc6121-im';
import { messageType } from '../rfc6121-im/parse';
import { buildReceipt, buildReceiptRequest } from './build';
import { hasReceiptRequest, parseReceipt, RECEIPTS_NS } from './parse';

export { RECEIPTS_NS } from './parse';
export const RECEIPTS_MODULE = 'xep0184-receipts';
/** Ids of our messages we remember (awaiting or acked); the oldest are forgotten beyond this. */
export const RECEIPT_IDS_LIMIT = 10_000;

export interface ReceiptsApi extends OutgoingMessageDecorator {
  /**
   * Wait for a receipt for our message `id` sent to `to` — for a message sent in an earlier run (the
   * store knows which are not yet delivered). Messages sent through rfc6121-im are awaited already.
   */
  expect(id: string, to: string): void;
  /**
   * An ack for `id` from `from`. Emits message.updated 'delivered' (once) only when `id` was sent
   * to `from`'s bare JID; an ack for a message we sent to someone else is a security.rejected, also
   * after the real ack came. An id we do not know is dropped unless `viaCarbon` (XEP-0280: a peer
   * acking a message that another of our devices sent; the consumer matches it by (peer, id)).
   */
  acknowledged(id: string, from: Jid, viaCarbon: boolean): void;
}

/** Factory: the ids we sent live across streams (a receipt can arrive after a reconnect). */
export function receiptsModule() {
  // id → the bare JID it was sent to, and whether it was acked — kept after the ack, so a later
  // forged ack from someone else is still recognised. Insertion order (Map) drops the oldest.
  const sent = new Map<string, { peer: string; acked: boolean }>();
  const remember = (id: string, peer: string) => {
    sent.delete(id);
    sent.set(id, { peer, acked: false });
    if (sent.size > RECEIPT_IDS_LIMIT) sent.delete(sent.keys().next().value!);
  };

  function acknowledged(ctx: ModuleContext, id: string, from: Jid, viaCarbon: boolean): void {
    const peer = bareJid(from);
    const ours = sent.get(id);
    if (ours === undefined) {
      if (viaCarbon) ctx.emit({ type: 'message.updated', id, peer, state: 'delivered' });
      else ctx.log.debug('receipt for a message we are not waiting for', { id });
      return;
    }
    if (ours.peer !== peer) {
      // Only the recipient can confirm delivery; anyone else who learnt the id could fake it.
      ctx.emit({ type: 'security.rejected', what: 'delivery receipt from someone the message was not sent to (XEP-0184)', from: formatJid(from) });
      return;
    }
    if (ours.acked) return; // delivered once is enough
    ours.acked = true;
    ctx.emit({ type: 'message.updated', id, peer, state: 'delivered' });
  }

  function answer(el: XmlElement, from: Jid, type: string, ctx: ModuleContext): void {
    const id = el.attr('id');
    if (!id) {
      ctx.log.debug('receipt requested without a message id: nothing to refer to');
      return;
    }
    const fromStr = formatJid(from);
    if (!mayKnowOurPresence(ctx, fromStr)) {
      // Security Considerations: a receipt tells the sender we are online right now.
      ctx.log.debug('receipt not sent: sender may not see our presence', { from: fromStr });
      return;
    }
    ctx.send(buildReceipt({ to: fromStr, id: ctx.id(), receivedId: id, type: type === 'chat' ? 'chat' : undefined }));
  }

  return defineModule<undefined, ReceiptsApi>({
    name: RECEIPTS_MODULE,
    features: [RECEIPTS_NS],
    message(el, ctx) {
      const type = messageType(el);
      // Receipts are not for errors, and not (When to Request Receipts, Groupchat) for rooms.
      if (type === 'error' || type === 'groupchat') return false;
      const from = tryParseJid(el.attr('from') ?? '');
      if (!from) return false;
      const ackFor = parseReceipt(el);
      if (ackFor !== undefined) acknowledged(ctx, ackFor, from, false);
      // An ack never asks for an ack (Ack Messages: no loops).
      else if (hasReceiptRequest(el)) answer(el, from, type, ctx);
      return false; // the body (if any) is still rfc6121-im's
    },
    api: (ctx) => ({
      decorateOutgoing(el, message) {
        // When to Request Receipts: any chat or normal content message, bare or full JID alike.
        el.append(buildReceiptRequest());
        remember(message.id, message.peer);
      },
      expect(id, to) {
        remember(id, bareJid(to));
      },
      acknowledged: (id, from, viaCarbon) => acknowledged(ctx, id, from, viaCarbon),
    }),
  });
}
