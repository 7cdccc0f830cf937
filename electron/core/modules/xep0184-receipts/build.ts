// XEP-0184 elements we send.
import { x, type XmlElement } from '../../xml/element';
import { RECEIPTS_NS } from './parse';

export const buildReceiptRequest = (): XmlElement => x('request', { xmlns: RECEIPTS_NS });

/**
 * Protocol Format: the ack carries only <received/>, in a message of the same type as the one it
 * confirms; never a <request/> in it (When to Request Receipts, Ack Messages: no loops).
 */
export const buildReceipt = (opts: { to: string; id: string; receivedId: string; type?: string }): XmlElement =>
  x('message', { to: opts.to, id: opts.id, type: opts.type }, x('received', { xmlns: RECEIPTS_NS, id: opts.receivedId }));
