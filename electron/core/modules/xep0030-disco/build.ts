// XEP-0030: our own disco#info / disco#items answers and the queries we send.
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';
import type { DiscoIdentity, DiscoInfo } from './parse';

/** The XMPP registrar's identity "client/pc" (XEP-0030 identities): what Flint is. */
export const CLIENT_IDENTITY = { category: 'client', type: 'pc', name: 'Flint' } as const;

/**
 * What we answer to disco#info and what XEP-0115 hashes into our caps 'ver': both come from here
 * so the two cannot drift apart. Features sorted and deduplicated (several modules may announce one).
 */
export function ownDiscoInfo(features: string[]): DiscoInfo {
  return { identities: [{ ...CLIENT_IDENTITY }], features: [...new Set(features)].sort(), forms: [] };
}

export function buildInfoQuery(info: DiscoInfo, node?: string): XmlElement {
  return x(
    'query',
    { xmlns: NS.discoInfo, node },
    info.identities.map((id: DiscoIdentity) => x('identity', { category: id.category, type: id.type, 'xml:lang': id.lang, name: id.name })),
    info.features.map((f) => x('feature', { var: f })),
  );
}

export function buildItemsQuery(node?: string): XmlElement {
  return x('query', { xmlns: NS.discoItems, node });
}

export function buildInfoRequest(to: string, node?: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: NS.discoInfo, node }));
}

export function buildItemsRequest(to: string, node?: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: NS.discoItems, node }));
}
