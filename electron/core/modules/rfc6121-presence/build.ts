// RFC 6121 §4.2 / §4.4 presence broadcast and §3 subscription stanzas.
import { x, type XmlElement } from '../../xml/element';
import type { Show, SubscriptionRequestKind } from '../../../../shared/domain';
import { NICK_NS } from './parse';

export interface OwnPresence {
  show: Show;
  status?: string;
  priority: number;
}

/** §4.2 / §4.4: no 'to', so the server broadcasts it. 'available' is the absence of <show/>. */
export function buildPresence(own: OwnPresence, caps?: XmlElement, extensions: XmlElement[] = []): XmlElement {
  return x(
    'presence',
    {},
    own.show !== 'available' && x('show', {}, own.show),
    own.status ? x('status', {}, own.status) : null,
    own.priority !== 0 && x('priority', {}, String(own.priority)),
    caps,
    extensions,
  );
}

/** §3.1 subscribe (to a bare JID, with an XEP-0172 nick) and subscribed, §3.2 unsubscribed, §3.3 unsubscribe. */
export function buildSubscription(to: string, type: SubscriptionRequestKind, nick?: string): XmlElement {
  return x('presence', { to, type }, type === 'subscribe' && nick ? x('nick', { xmlns: NICK_NS }, nick) : null);
}
