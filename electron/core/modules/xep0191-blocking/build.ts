// XEP-0191 §3.2 list request, §3.3 block, §3.4 unblock.
import { x, type XmlElement } from '../../xml/element';
import { BLOCKING_NS } from './parse';

export function buildBlocklistGet(): XmlElement {
  return x('iq', { type: 'get' }, x('blocklist', { xmlns: BLOCKING_NS }));
}

/** §3.4: <unblock/> without items unblocks everyone; `jids` must not be empty for <block/>. */
export function buildBlockSet(kind: 'block' | 'unblock', jids: string[]): XmlElement {
  return x('iq', { type: 'set' }, x(kind, { xmlns: BLOCKING_NS }, jids.map((jid) => x('item', { jid }))));
}
