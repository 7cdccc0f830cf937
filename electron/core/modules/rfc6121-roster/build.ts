// RFC 6121 §2.2–2.5: roster get, set and remove requests.
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';

/** §2.2 roster get; with `ver` (XEP-0237 §2.3 / RFC 6121 §2.6.2) when the server supports versioning. */
export function buildRosterGet(ver?: string): XmlElement {
  return x('iq', { type: 'get' }, x('query', { xmlns: NS.roster, ver }));
}

/**
 * §2.3 / §2.4 roster set (add or update). §2.1.2.2 / §2.1.2.5: a client never sends 'subscription' (other than
 * 'remove') nor 'ask' — the server owns those.
 */
export function buildRosterSet(jid: string, name: string | undefined, groups: string[]): XmlElement {
  return x(
    'iq',
    { type: 'set' },
    x('query', { xmlns: NS.roster }, x('item', { jid, name: name || undefined }, groups.map((g) => x('group', {}, g)))),
  );
}

/** §2.5 roster remove (the server also cancels the subscriptions both ways). */
export function buildRosterRemove(jid: string): XmlElement {
  return x('iq', { type: 'set' }, x('query', { xmlns: NS.roster }, x('item', { jid, subscription: 'remove' })));
}
