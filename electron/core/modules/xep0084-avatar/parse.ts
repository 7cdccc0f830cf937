// XEP-0084 §4 metadata notifications and §4.2 data items → plain data.
import type { XmlElement } from '../../xml/element';
import { isAvatarHash } from '../xep0153-vcard-avatar/parse';

export const AVATAR_DATA_NS = 'urn:xmpp:avatar:data';
export const AVATAR_METADATA_NS = 'urn:xmpp:avatar:metadata';
export const PUBSUB_NS = 'http://jabber.org/protocol/pubsub';
export const PUBSUB_EVENT_NS = 'http://jabber.org/protocol/pubsub#event';
/** XEP-0398: the server keeps vCard PHOTO and the PEP avatar in step itself. */
export const PEP_VCARD_CONVERSION_NS = 'urn:xmpp:pep-vcard-conversion:0';

export interface AvatarInfo {
  /** SHA-1 hex of the image = the item id. */
  id: string;
  type: string;
  bytes?: number;
  width?: number;
  height?: number;
  /** §4.2.1: an image held elsewhere (never fetched by Flint: no remote images). */
  url?: string;
}

/** What a metadata notification says: the current avatar, or null (§4.3 disabled / retracted / purged). */
export type MetadataUpdate = { hash: string; info?: AvatarInfo } | { hash: null };

const num = (s: string | undefined): number | undefined => (s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : undefined);

export function parseInfo(el: XmlElement): AvatarInfo | undefined {
  const id = el.attr('id')?.toLowerCase();
  if (!id || !isAvatarHash(id)) return undefined;
  const info: AvatarInfo = { id, type: el.attr('type') ?? '' };
  const bytes = num(el.attr('bytes'));
  const width = num(el.attr('width'));
  const height = num(el.attr('height'));
  const url = el.attr('url');
  if (bytes !== undefined) info.bytes = bytes;
  if (width !== undefined) info.width = width;
  if (height !== undefined) info.height = height;
  if (url) info.url = url;
  return info;
}

/**
 * A pubsub#event for the metadata node → the update it carries; undefined when the event is about
 * something else. §4.1: the item id is the hash of the image/png version; <info/> elements may
 * list other formats too — the one whose id is the item id describes what fetch() gets.
 */
export function parseMetadataEvent(event: XmlElement): MetadataUpdate | undefined {
  const purge = event.child('purge', PUBSUB_EVENT_NS);
  if (purge?.attr('node') === AVATAR_METADATA_NS) return { hash: null };
  const items = event.child('items', PUBSUB_EVENT_NS);
  if (items?.attr('node') !== AVATAR_METADATA_NS) return undefined;
  const item = items.elements('item', PUBSUB_EVENT_NS).at(-1);
  if (!item) {
    // A retraction of the current item: the avatar is gone.
    return items.child('retract', PUBSUB_EVENT_NS) ? { hash: null } : undefined;
  }
  const metadata = item.child('metadata', AVATAR_METADATA_NS);
  if (!metadata) return undefined;
  const infos = metadata.elements('info', AVATAR_METADATA_NS).map(parseInfo).filter((i): i is AvatarInfo => i !== undefined);
  // §4.3: an empty <metadata/> disables the avatar.
  if (infos.length === 0) return metadata.elements('info', AVATAR_METADATA_NS).length === 0 ? { hash: null } : undefined;
  const itemId = item.attr('id')?.toLowerCase();
  const info = infos.find((i) => i.id === itemId) ?? infos.find((i) => i.type === 'image/png') ?? infos[0]!;
  return { hash: info.id, info };
}

/** The base64 text of the data item in an items result, undefined when it is not there. */
export function parseDataItem(result: XmlElement, id: string): string | undefined {
  const items = result.child('pubsub', PUBSUB_NS)?.child('items', PUBSUB_NS);
  if (items?.attr('node') !== AVATAR_DATA_NS) return undefined;
  const item = items.elements('item', PUBSUB_NS).find((i) => i.attr('id')?.toLowerCase() === id) ?? items.elements('item', PUBSUB_NS)[0];
  return item?.child('data', AVATAR_DATA_NS)?.text();
}
