// XEP-0334: Message Processing Hints — https://xmpp.org/extensions/xep-0334.html
// Namespace: urn:xmpp:hints. Not a module: the hint elements other modules put into messages.
import { x, type XmlElement } from '../../xml/element';

export const HINTS_NS = 'urn:xmpp:hints';

/** The no-copy hint: keep this message on the resource it is addressed to (XEP-0280 pairs it with <private/>). */
export const noCopyHint = (): XmlElement => x('no-copy', { xmlns: HINTS_NS });
