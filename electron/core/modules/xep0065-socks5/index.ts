// XEP-0065: SOCKS5 Bytestreams — https://xmpp.org/extensions/xep-0065.html
// Namespace http://jabber.org/protocol/bytestreams. The engine's half: finding the server's proxy
// (§4), the requester's iqs (§5.3.1 request, §5.3.4 activation), and the target's answer (§5.3.3).
// The sockets are main's (electron/main/transfers/socks5.ts). As target, a request is considered
// only when a transfer with that peer and sid was accepted by the user (expect()), and only from
// that peer; anything else is refused with not-acceptable without a single connection attempt.
import { defineModule, IqError, type ModuleContext } from '../../module';
import { formatJid, tryParseJid } from '../../../../shared/jid';
import type { XmlElement } from '../../xml/element';
import { hex } from '../../util/hex';
import { utf8Encode } from '../../util/text';
import type { DiscoApi } from '../xep0030-disco';
import { buildActivate, buildAddressQuery, buildRequest, buildUsed } from './build';
import { BYTESTREAMS_NS, parseStreamHosts, parseStreamHostUsed, parseHostAttrs, type StreamHost } from './parse';

export { BYTESTREAMS_NS, MAX_STREAMHOSTS, parseStreamHosts, parseHostAttrs, validHost, type StreamHost } from './parse';

export const SOCKS5_MODULE = 'xep0065-socks5';
const ACTIVATE_TIMEOUT_MS = 20_000;

/** Tries the offered hosts (main: within time limits) and resolves with the one connected to. */
export type StreamHostConnector = (hosts: StreamHost[]) => Promise<StreamHost>;

export interface Socks5Api {
  /** Our full JID on this stream: the jid of our direct streamhosts. */
  readonly jid: string;
  /** The server's SOCKS5 proxies (disco items with identity proxy/bytestreams, §4), cached for the stream. */
  proxies(): Promise<StreamHost[]>;
  /** Requester (§5.3.1): offers `hosts` to `target` and resolves with the JID of the host it used (one of `hosts`). */
  request(target: string, sid: string, hosts: StreamHost[], timeoutMs?: number): Promise<string>;
  /** Requester (§5.3.4): asks `proxy` to join our connection with the target's. */
  activate(proxy: string, sid: string, target: string): Promise<void>;
  /** Target: the next request for `sid` from exactly `peer` is handed to `connect`. Returns a withdraw function. */
  expect(peer: string, sid: string, connect: StreamHostConnector): () => void;
  /** §5.3.2: DST.ADDR = hex SHA-1(SID + Requester JID + Target JID). */
  dstAddr(sid: string, requester: string, target: string): string;
}

interface Socks5State {
  proxies?: Promise<StreamHost[]>;
  expected: Map<string, StreamHostConnector>;
}

const norm = (jid: string | undefined): string | undefined => {
  const j = tryParseJid(jid ?? '');
  return j ? formatJid(j) : undefined;
};
const key = (peer: string, sid: string) => `${sid}\n${peer}`;

export function dstAddr(ctx: Pick<ModuleContext, 'crypto'>, sid: string, requester: string, target: string): string {
  return hex(ctx.crypto.hash('sha1', utf8Encode(sid + requester + target)));
}

async function discoverProxies(ctx: ModuleContext): Promise<StreamHost[]> {
  const disco = ctx.module<DiscoApi>('xep0030-disco');
  const items = await disco.items(ctx.domain).catch(() => []);
  const found: StreamHost[] = [];
  await Promise.all(
    items
      .filter((i) => !i.node)
      .map(async (item) => {
        const info = await disco.info(item.jid).catch(() => undefined);
        if (!info?.identities.some((id) => id.category === 'proxy' && id.type === 'bytestreams')) return;
        const res = await ctx.iq(buildAddressQuery(item.jid)).catch(() => undefined);
        const el = res?.child('query', BYTESTREAMS_NS)?.child('streamhost', BYTESTREAMS_NS);
        const host = el ? parseHostAttrs(el) : undefined;
        // The proxy speaks for itself only: a streamhost naming another JID is not its address.
        if (host && host.jid === item.jid) found.push(host);
      }),
  );
  return found;
}

function onRequest(iq: XmlElement, ctx: ModuleContext, state: Socks5State): Promise<XmlElement> {
  const query = iq.child('query', BYTESTREAMS_NS)!;
  const sid = query.attr('sid');
  const from = norm(iq.attr('from'));
  if (!sid || !from) return Promise.reject(new IqError('bad-request', 'modify'));
  if (query.attr('mode') === 'udp') return Promise.reject(new IqError('not-acceptable', 'cancel', 'udp mode is not supported'));
  const connect = state.expected.get(key(from, sid));
  if (!connect) {
    // No accepted transfer with this peer and sid: never connect anywhere on someone's say-so.
    return Promise.reject(new IqError('not-acceptable', 'cancel'));
  }
  state.expected.delete(key(from, sid));
  const hosts = parseStreamHosts(query);
  if (hosts.length === 0) return Promise.reject(new IqError('item-not-found', 'cancel'));
  return connect(hosts).then(
    (used) => buildUsed(sid, used.jid),
    // §5.3.2: could not connect to any of them.
    () => {
      throw new IqError('item-not-found', 'cancel');
    },
  );
}

export const socks5Module = defineModule<Socks5State, Socks5Api>({
  name: SOCKS5_MODULE,
  features: [BYTESTREAMS_NS],
  init: () => ({ expected: new Map() }),
  iq: [{ type: 'set', ns: BYTESTREAMS_NS, child: 'query', handle: onRequest }],
  offline(state) {
    state.expected.clear();
    state.proxies = undefined;
  },
  api: (ctx, state) => ({
    jid: ctx.jid,
    proxies: () => (state.proxies ??= discoverProxies(ctx)),
    async request(target, sid, hosts, timeoutMs = 60_000) {
      const res = await ctx.iq(buildRequest(target, sid, hosts), timeoutMs);
      const used = parseStreamHostUsed(res.child('query', BYTESTREAMS_NS));
      // §5.3.3: it must be one we offered; anything else is a lie or a mix-up.
      if (!used || !hosts.some((h) => h.jid === used)) throw new IqError('bad-request', 'cancel', 'the target named a streamhost we did not offer');
      return used;
    },
    async activate(proxy, sid, target) {
      await ctx.iq(buildActivate(proxy, sid, target), ACTIVATE_TIMEOUT_MS);
    },
    expect(peerRaw, sid, connect) {
      const peer = norm(peerRaw);
      if (!peer) throw new Error('SOCKS5: invalid peer');
      const k = key(peer, sid);
      state.expected.set(k, connect);
      return () => {
        if (state.expected.get(k) === connect) state.expected.delete(k);
      };
    },
    dstAddr: (sid, requester, target) => dstAddr(ctx, sid, requester, target),
  }),
});
