// Per-resource details for the contact card (issue 4: client name and version from caps/disco):
// not a spec of its own but the XEP-0115 caps cache, XEP-0030 disco and XEP-0092 version put
// together. Remembers each resource's caps from its presence (never consuming the stanza).
import { defineModule, NS } from '../../module';
import type { ResourceInfo } from '../../../../shared/profile';
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { CapsApi } from '../xep0115-caps';
import type { DiscoApi } from '../xep0030-disco';
import { buildVersionRequest } from '../xep0092-version/build';
import { parseVersion } from '../xep0092-version/parse';
import { parseCaps } from '../rfc6121-presence/parse';

export type { ResourceInfo } from '../../../../shared/profile';

export const RESOURCE_INFO_MODULE = 'resource-info';
/** A client that does not answer its version within this is described without it. */
export const VERSION_TIMEOUT_MS = 10_000;

export interface ResourceInfoApi {
  /** Client name/version and features of a full JID (a contact's resource, or one of ours). */
  describeResource(fullJid: string): Promise<ResourceInfo>;
}

type Caps = NonNullable<ReturnType<typeof parseCaps>>;

export interface ResourceInfoState {
  /** Caps each available resource announced, by full JID. */
  caps: Map<string, Caps>;
  /** Descriptions per full JID and caps ver for this stream (a card reopened asks nothing again). */
  described: Map<string, Promise<ResourceInfo>>;
}

export const resourceInfoModule = defineModule<ResourceInfoState, ResourceInfoApi>({
  name: RESOURCE_INFO_MODULE,
  init: () => ({ caps: new Map(), described: new Map() }),
  presence(el, _ctx, state) {
    const from = tryParseJid(el.attr('from') ?? '');
    if (!from || from.resource === undefined) return false;
    const full = formatJid(from);
    const type = el.attr('type');
    if (type === undefined) {
      const caps = parseCaps(el);
      const before = state.caps.get(full);
      if (before?.ver !== caps?.ver) state.described.delete(full);
      if (caps) state.caps.set(full, caps);
      else state.caps.delete(full);
    } else if (type === 'unavailable' || type === 'error') {
      state.caps.delete(full);
      state.described.delete(full);
    }
    return false;
  },
  offline(state) {
    state.caps.clear();
    state.described.clear();
  },
  api: (ctx, state) => ({
    describeResource(fullJid) {
      const parsed = tryParseJid(fullJid);
      if (!parsed || parsed.resource === undefined) return Promise.reject(new Error(`not a full JID: ${fullJid}`));
      const jid = formatJid(parsed);
      const hit = state.described.get(jid);
      if (hit) return hit;
      const caps = state.caps.get(jid);
      const p = (async (): Promise<ResourceInfo> => {
        let features: string[] = [];
        try {
          // Caps with a hash we can verify: the cache (one disco query per client version, ever).
          features =
            caps && caps.hash === 'sha-1'
              ? await ctx.module<CapsApi>('xep0115-caps').featuresOf(caps.ver, jid, caps.node)
              : [...new Set((await ctx.module<DiscoApi>('xep0030-disco').info(jid)).features)];
        } catch (e) {
          ctx.log.debug('resource features unknown', { jid, error: String(e) });
        }
        const info: ResourceInfo = { jid, features: features.sort(), ...(caps ? { capsNode: caps.node } : {}) };
        // XEP-0092 only where the client announces it (or we could not learn its features).
        if (features.length === 0 || features.includes(NS.version)) {
          try {
            const v = parseVersion((await ctx.iq(buildVersionRequest(jid), VERSION_TIMEOUT_MS)).child('query', NS.version));
            if (v.name) info.client = { name: v.name, version: v.version, ...(v.os ? { os: v.os } : {}) };
          } catch (e) {
            ctx.log.debug('resource version unknown', { jid, error: String(e) });
          }
        }
        return info;
      })();
      state.described.set(jid, p);
      return p;
    },
  }),
});
