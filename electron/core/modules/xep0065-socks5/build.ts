// XEP-0065 iqs: the request with streamhosts (§5.3.1), the answer naming the one used (§5.3.3),
// proxy address query (§4) and activation (§5.3.4).
import { x, type XmlElement } from '../../xml/element';
import { BYTESTREAMS_NS, type StreamHost } from './parse';

export const buildRequest = (to: string, sid: string, hosts: StreamHost[]): XmlElement =>
  x('iq', { type: 'set', to }, x('query', { xmlns: BYTESTREAMS_NS, sid, mode: 'tcp' }, hosts.map((h) => x('streamhost', { jid: h.jid, host: h.host, port: String(h.port) }))));

export const buildUsed = (sid: string, jid: string): XmlElement => x('query', { xmlns: BYTESTREAMS_NS, sid }, x('streamhost-used', { jid }));

export const buildAddressQuery = (proxy: string): XmlElement => x('iq', { type: 'get', to: proxy }, x('query', { xmlns: BYTESTREAMS_NS }));

export const buildActivate = (proxy: string, sid: string, target: string): XmlElement =>
  x('iq', { type: 'set', to: proxy }, x('query', { xmlns: BYTESTREAMS_NS, sid }, x('activate', {}, target)));
