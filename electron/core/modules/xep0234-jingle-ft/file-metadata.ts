// The file description shared by XEP-0446 (File metadata element, urn:xmpp:file:metadata:0) and
// XEP-0234 §5 (<file/> in urn:xmpp:jingle:apps:file-transfer:5): name, media-type, size, date,
// desc, XEP-0300 hashes. Parsed into plain data with limits; nothing here is trusted — the name is
// sanitized by whoever saves the file (electron/main/transfers/safe-path.ts).
import { x, type XmlElement } from '../../xml/element';
import { buildHash, parseHashes, type FileHash } from './hashes';

export const FILE_METADATA_NS = 'urn:xmpp:file:metadata:0';

export interface FileMeta {
  name?: string;
  size?: number;
  mediaType?: string;
  /** XEP-0082 DateTime as sent. */
  date?: string;
  desc?: string;
  hashes: FileHash[];
}

const MAX_NAME = 1024;
const MAX_DESC = 4096;
const MAX_MEDIA_TYPE = 255;
/** Sizes are decimal integers; beyond 2^53 they cannot be represented (and no one sends 9 PB). */
const SIZE_RE = /^\d{1,16}$/;

export function parseSize(s: string | undefined): number | undefined {
  const t = s?.trim();
  if (!t || !SIZE_RE.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

const clip = (s: string | undefined, max: number): string | undefined => {
  if (s === undefined) return undefined;
  const t = s.trim();
  return t === '' ? undefined : t.slice(0, max);
};

/** Reads a <file/> element of namespace `ns` (its children are in the same namespace). */
export function parseFileMeta(file: XmlElement): FileMeta {
  const ns = file.ns;
  const text = (name: string) => file.child(name, ns)?.text();
  const meta: FileMeta = { hashes: parseHashes(file) };
  const name = clip(text('name'), MAX_NAME);
  if (name !== undefined) meta.name = name;
  const size = parseSize(text('size'));
  if (size !== undefined) meta.size = size;
  const mediaType = clip(text('media-type'), MAX_MEDIA_TYPE);
  if (mediaType !== undefined && /^[\w.+-]+\/[\w.+-]+$/.test(mediaType)) meta.mediaType = mediaType.toLowerCase();
  const date = clip(text('date'), 64);
  if (date !== undefined) meta.date = date;
  const desc = clip(text('desc'), MAX_DESC);
  if (desc !== undefined) meta.desc = desc;
  return meta;
}

/** <file xmlns=ns> with the children in the order of XEP-0446 §3. */
export function buildFileMeta(meta: FileMeta, ns: string = FILE_METADATA_NS, extra: XmlElement[] = []): XmlElement {
  return x(
    'file',
    { xmlns: ns },
    meta.mediaType ? x('media-type', {}, meta.mediaType) : null,
    meta.name !== undefined ? x('name', {}, meta.name) : null,
    meta.size !== undefined ? x('size', {}, String(meta.size)) : null,
    meta.date ? x('date', {}, meta.date) : null,
    meta.desc ? x('desc', {}, meta.desc) : null,
    meta.hashes.map(buildHash),
    extra,
  );
}
