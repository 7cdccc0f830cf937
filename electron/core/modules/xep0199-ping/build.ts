// XEP-0199 §4: <iq type='get' to=…><ping xmlns='urn:xmpp:ping'/></iq>
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';

export function buildPing(to: string): XmlElement {
  return x('iq', { type: 'get', to }, x('ping', { xmlns: NS.ping }));
}
