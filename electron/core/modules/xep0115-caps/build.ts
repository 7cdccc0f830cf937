// XEP-0115 §4: the <c/> element carried in presence.
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';

export function buildCaps(node: string, ver: string): XmlElement {
  return x('c', { xmlns: NS.caps, hash: 'sha-1', node, ver });
}
