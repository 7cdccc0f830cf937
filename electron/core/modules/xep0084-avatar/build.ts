// XEP-0084 §4.1 publishing data and metadata, §4.2 retrieving data; XEP-0060 §6.5 items request.
import { x, type XmlElement } from '../../xml/element';
import { AVATAR_DATA_NS, AVATAR_METADATA_NS, PUBSUB_NS, type AvatarInfo } from './parse';

export function buildDataPublish(hash: string, base64: string): XmlElement {
  return x('iq', { type: 'set' }, x('pubsub', { xmlns: PUBSUB_NS }, x('publish', { node: AVATAR_DATA_NS }, x('item', { id: hash }, x('data', { xmlns: AVATAR_DATA_NS }, base64)))));
}

/** `info` absent: §4.3 an empty <metadata/>, which disables the avatar. */
export function buildMetadataPublish(info: AvatarInfo | undefined): XmlElement {
  const metadata = x(
    'metadata',
    { xmlns: AVATAR_METADATA_NS },
    info ? x('info', { bytes: info.bytes, id: info.id, type: info.type, width: info.width, height: info.height, url: info.url }) : null,
  );
  // §4.3: the disabling item has no hash to name it by; 'current' as XEP-0060 allows any id.
  return x('iq', { type: 'set' }, x('pubsub', { xmlns: PUBSUB_NS }, x('publish', { node: AVATAR_METADATA_NS }, x('item', { id: info?.id ?? 'current' }, metadata))));
}

export function buildDataRequest(to: string, hash: string): XmlElement {
  return x('iq', { type: 'get', to }, x('pubsub', { xmlns: PUBSUB_NS }, x('items', { node: AVATAR_DATA_NS }, x('item', { id: hash }))));
}
