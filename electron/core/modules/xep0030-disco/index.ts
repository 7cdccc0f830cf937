// XEP-0030: Service Discovery — https://xmpp.org/extensions/xep-0030.html
// Namespaces: http://jabber.org/protocol/disco#info, http://jabber.org/protocol/disco#items
import { defineModule, IqError, NS, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { CapsApi } from '../xep0115-caps';
import { buildInfoQuery, buildInfoRequest, buildItemsQuery, buildItemsRequest, CLIENT_IDENTITY, ownDiscoInfo } from './build';
import { parseDiscoInfo, parseDiscoItems, type DiscoInfo, type DiscoItem } from './parse';

export type { DiscoInfo, DiscoItem, DiscoIdentity, DiscoForm, DiscoField } from './parse';
export { CLIENT_IDENTITY, ownDiscoInfo } from './build';

export const DISCO_MODULE = 'xep0030-disco';

export interface DiscoApi {
  /** disco#info of an entity (optionally at a node); cached per jid+node for this stream. */
  info(jid: string, node?: string): Promise<DiscoInfo>;
  /** disco#items of an entity (optionally at a node); cached per jid+node for this stream. */
  items(jid: string, node?: string): Promise<DiscoItem[]>;
  readonly identity: { category: string; type: string; name: string };
}

export interface DiscoState {
  info: Map<string, Promise<DiscoInfo>>;
  items: Map<string, Promise<DiscoItem[]>>;
}

const cacheKey = (jid: string, node?: string) => (node ? `${jid}\n${node}` : jid);

/** Caches the promise so concurrent callers share one request; a failure is not cached. */
function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  const p = load();
  map.set(key, p);
  p.catch(() => {
    if (map.get(key) === p) map.delete(key);
  });
  return p;
}

/** The caps node#ver we announce, or undefined when the caps module is not registered. */
function ownCapsNode(ctx: ModuleContext): string | undefined {
  try {
    const caps = ctx.module<CapsApi>('xep0115-caps');
    return `${caps.node}#${caps.ver()}`;
  } catch {
    return undefined;
  }
}

function answerInfo(iq: XmlElement, ctx: ModuleContext): XmlElement {
  const node = iq.child('query', NS.discoInfo)?.attr('node');
  // XEP-0115 §6.2: a query at node#ver gets the same info as the plain query, with that node.
  // Other nodes: we publish none, so item-not-found (XEP-0030 error cases).
  if (node !== undefined && node !== ownCapsNode(ctx)) throw new IqError('item-not-found', 'cancel');
  return buildInfoQuery(ownDiscoInfo(ctx.features()), node);
}

function answerItems(iq: XmlElement): XmlElement {
  const node = iq.child('query', NS.discoItems)?.attr('node');
  // A client has no items to publish: an empty result (XEP-0030 items query).
  return buildItemsQuery(node);
}

export const discoModule = defineModule<DiscoState, DiscoApi>({
  name: DISCO_MODULE,
  features: [NS.discoInfo, NS.discoItems],
  init: () => ({ info: new Map(), items: new Map() }),
  iq: [
    { type: 'get', ns: NS.discoInfo, child: 'query', handle: answerInfo },
    { type: 'get', ns: NS.discoItems, child: 'query', handle: answerItems },
  ],
  offline(state) {
    state.info.clear();
    state.items.clear();
  },
  api: (ctx, state) => ({
    identity: { ...CLIENT_IDENTITY },
    info: (jid, node) =>
      cached(state.info, cacheKey(jid, node), async () => parseDiscoInfo((await ctx.iq(buildInfoRequest(jid, node))).child('query', NS.discoInfo))),
    items: (jid, node) =>
      cached(state.items, cacheKey(jid, node), async () => parseDiscoItems((await ctx.iq(buildItemsRequest(jid, node))).child('query', NS.discoItems))),
  }),
});
