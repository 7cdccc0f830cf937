// XEP-0115: Entity Capabilities — https://xmpp.org/extensions/xep-0115.html
// Namespace: http://jabber.org/protocol/caps
import { defineModule, NS, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { DiscoApi, DiscoInfo } from '../xep0030-disco';
import { ownDiscoInfo } from '../xep0030-disco/build';
import { buildCaps } from './build';
import { capsHash, verifyCaps, type CapsInfo } from './ver';

export const CAPS_NODE = 'https://flint.im';
/** Verified ver → features entries kept; a peer can mint endless valid vers, so the cache is bounded. */
export const CAPS_CACHE_LIMIT = 2000;

export interface CapsApi {
  /** Our own 'ver': SHA-1 over the disco identity and ctx.features(), no extended forms. */
  ver(): string;
  readonly node: typeof CAPS_NODE;
  /** <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node ver/> for our presence. */
  element(): XmlElement;
  /**
   * Features of the entity `jid` that announced `ver` (with its caps `node`, when known: the query
   * then goes to node#ver, XEP-0115 §6.2). Cached by ver only once the answer hashes to ver (§5.4);
   * an answer that does not is still returned for this jid but never cached.
   */
  featuresOf(ver: string, jid: string, node?: string): Promise<string[]>;
}

export interface CapsState {
  ownVer?: string;
  /** In-flight lookups by ver+jid: one disco query per entity, and a liar's answer stays its own. */
  inflight: Map<string, Promise<string[]>>;
}

/** The disco answer in the shape §5.4 checks: a form whose FORM_TYPE is not hidden is ignored (§5.4 step 3.6). */
export function toCapsInfo(info: DiscoInfo): CapsInfo {
  return {
    identities: info.identities,
    features: info.features,
    forms: info.forms.map((f) => {
      const formTypeField = f.fields.find((fl) => fl.var === 'FORM_TYPE');
      return { formType: formTypeField?.type === 'hidden' ? f.formType : '', fields: f.fields };
    }),
  };
}

/** Factory: the ver → features cache lives here, across streams, since a verified ver never changes meaning. */
export function capsModule() {
  const verified = new Map<string, string[]>();

  const remember = (ver: string, features: string[]) => {
    if (verified.size >= CAPS_CACHE_LIMIT) verified.delete(verified.keys().next().value!);
    verified.set(ver, features);
  };

  async function lookup(ctx: ModuleContext, ver: string, jid: string, node: string | undefined): Promise<string[]> {
    const info = await ctx.module<DiscoApi>('xep0030-disco').info(jid, node ? `${node}#${ver}` : undefined);
    const features = [...new Set(info.features)];
    if (verifyCaps(toCapsInfo(info), ver, ctx.crypto)) remember(ver, features);
    else ctx.log.warn('caps: disco#info does not match the announced ver; not cached', { jid, ver });
    return features;
  }

  return defineModule<CapsState, CapsApi>({
    name: 'xep0115-caps',
    features: [NS.caps],
    init: () => ({ inflight: new Map() }),
    offline(state) {
      state.inflight.clear();
    },
    api(ctx, state) {
      const ver = () => (state.ownVer ??= capsHash(ownDiscoInfo(ctx.features()), ctx.crypto));
      return {
        node: CAPS_NODE,
        ver,
        element: () => buildCaps(CAPS_NODE, ver()),
        featuresOf(peerVer, jid, node) {
          const hit = verified.get(peerVer);
          if (hit) return Promise.resolve([...hit]);
          const key = `${peerVer}\n${jid}`;
          let p = state.inflight.get(key);
          if (!p) {
            p = lookup(ctx, peerVer, jid, node).finally(() => state.inflight.delete(key));
            state.inflight.set(key, p);
          }
          return p.then((f) => [...f]);
        },
      };
    },
  });
}
