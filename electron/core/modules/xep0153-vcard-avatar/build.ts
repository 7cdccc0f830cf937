// XEP-0153 §4.2: the update child of our presence.
import { x, type XmlElement } from '../../xml/element';
import { VCARD_UPDATE_NS } from './parse';

/** undefined: "not ready" (we have not read our vCard yet); null: no avatar; else the hash. */
export function buildPhotoUpdate(hash: string | null | undefined): XmlElement {
  return x('x', { xmlns: VCARD_UPDATE_NS }, hash === undefined ? null : x('photo', {}, hash || null));
}
