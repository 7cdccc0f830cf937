// XEP-0363 §4: the slot request; §7 + XEP-0066 + XEP-0447/0446: what the shared file's message carries.
import { x, type XmlElement } from '../../xml/element';
import { buildOob } from '../xep0066-oob';
import { buildFileMeta, type FileMeta } from '../xep0234-jingle-ft/file-metadata';
import { UPLOAD_NS } from './parse';

export const SFS_NS = 'urn:xmpp:sfs:0';
export const URL_DATA_NS = 'http://jabber.org/protocol/url-data';

export function buildSlotRequest(service: string, file: { name: string; size: number; mediaType?: string }): XmlElement {
  return x('iq', { type: 'get', to: service }, x('request', { xmlns: UPLOAD_NS, filename: file.name, size: String(file.size), 'content-type': file.mediaType }));
}

/**
 * The payload next to the body (= the URL, so clients without these specs show a link):
 * XEP-0066 <x><url/></x> (what most clients read), and XEP-0447 <file-sharing/> with the XEP-0446
 * metadata (name, size, type, hash) and the URL as its source.
 */
export function buildSharedFileExtensions(url: string, meta: FileMeta): XmlElement[] {
  return [
    buildOob({ url }),
    x(
      'file-sharing',
      { xmlns: SFS_NS, disposition: meta.mediaType?.startsWith('image/') ? 'inline' : 'attachment' },
      buildFileMeta(meta),
      x('sources', {}, x('url-data', { xmlns: URL_DATA_NS, target: url })),
    ),
  ];
}
