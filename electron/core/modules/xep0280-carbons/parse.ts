// XEP-0280 carbon wrappers → which way the copied message went, and the message.
import type { XmlElement } from '../../xml/element';
import { parseForwarded, type Forwarded } from '../xep0297-forward/parse';

export const CARBONS_NS = 'urn:xmpp:carbons:2';

export interface Carbon {
  /** 'in': <received/>, a message someone sent to another of our resources; 'out': <sent/>, one our other resource sent. */
  direction: 'in' | 'out';
  /** The forwarded message, or undefined when the wrapper holds none. */
  forwarded?: Forwarded;
}

/** The carbon in `message`, or undefined when it is not one. */
export function parseCarbon(message: XmlElement): Carbon | undefined {
  const received = message.child('received', CARBONS_NS);
  const wrapper = received ?? message.child('sent', CARBONS_NS);
  if (!wrapper) return undefined;
  const forwarded = parseForwarded(wrapper);
  return { direction: received ? 'in' : 'out', ...(forwarded ? { forwarded } : {}) };
}
