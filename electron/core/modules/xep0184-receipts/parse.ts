// XEP-0184 receipt requests and acks in a message → plain data.
import type { XmlElement } from '../../xml/element';

export const RECEIPTS_NS = 'urn:xmpp:receipts';

export const hasReceiptRequest = (message: XmlElement): boolean => message.child('request', RECEIPTS_NS) !== undefined;

/**
 * The id of the message an ack confirms: its <received id/>, or — from senders following the
 * 2010 versions of the XEP, whose <received/> had no id — the ack message's own id, which echoed it.
 */
export function parseReceipt(message: XmlElement): string | undefined {
  const received = message.child('received', RECEIPTS_NS);
  if (!received) return undefined;
  return received.attr('id') || message.attr('id') || undefined;
}
