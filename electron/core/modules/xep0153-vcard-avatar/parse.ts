// XEP-0153 §3.1 / §4.1: the <x xmlns='vcard-temp:x:update'/> in presence, and the avatar hash.
import type { CryptoPort } from '../../ports';
import { hex } from '../../util/hex';
import type { XmlElement } from '../../xml/element';

export const VCARD_UPDATE_NS = 'vcard-temp:x:update';

const HEX = /^[0-9a-f]{40}$/;

/**
 * What a presence says about the sender's vCard photo: a hash, null (§3.1: an empty <photo/> —
 * "no avatar"), or undefined when it says nothing (no <x/>, or §4.2 "not ready": <x/> without
 * <photo/>). A hash that is not 40 hex digits is treated as saying nothing.
 */
export function parsePhotoUpdate(presence: XmlElement): string | null | undefined {
  const photo = presence.child('x', VCARD_UPDATE_NS)?.child('photo', VCARD_UPDATE_NS);
  if (!photo) return undefined;
  const hash = photo.text().trim().toLowerCase();
  if (hash === '') return null;
  return HEX.test(hash) ? hash : undefined;
}

export function isAvatarHash(s: string): boolean {
  return HEX.test(s.toLowerCase());
}

/** XEP-0153 §2 / XEP-0084 §4.2: the hash is the SHA-1 of the image bytes, lower-case hex. */
export function avatarHash(crypto: CryptoPort, bytes: Uint8Array): string {
  return hex(crypto.hash('sha1', bytes));
}
