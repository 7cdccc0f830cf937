// XEP-0092 §2: the request and our answer (name and version only, see index.ts on <os/>).
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';

export function buildVersionRequest(to: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: NS.version }));
}

export function buildVersionAnswer(name: string, version: string): XmlElement {
  return x('query', { xmlns: NS.version }, x('name', {}, name), x('version', {}, version));
}
