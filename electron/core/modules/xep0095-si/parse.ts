// XEP-0095 <si/> with the XEP-0096 file profile, and its XEP-0020 feature negotiation → plain data.
import type { XmlElement } from '../../xml/element';
import { parseSize } from '../xep0234-jingle-ft/file-metadata';
import { validSid } from '../xep0047-ibb/parse';

export const SI_NS = 'http://jabber.org/protocol/si';
/** XEP-0096 */
export const SI_FT_NS = 'http://jabber.org/protocol/si/profile/file-transfer';
/** XEP-0020 */
export const FEATURE_NEG_NS = 'http://jabber.org/protocol/feature-neg';
export const DATA_NS = 'jabber:x:data';

export interface SiFile {
  name: string;
  size: number;
  date?: string;
  desc?: string;
  /** XEP-0096 §3: MD5, hex — informational only (MD5 proves nothing). */
  md5?: string;
}

export interface SiOffer {
  sid: string;
  mimeType?: string;
  profile: string;
  /** Undefined when the profile is not XEP-0096 or the <file/> lacks name or size. */
  file?: SiFile;
  /** stream-method options, in the sender's order. */
  methods: string[];
}

export function parseSiOffer(si: XmlElement): SiOffer | undefined {
  const sid = si.attr('id');
  if (!validSid(sid)) return undefined;
  const profile = si.attr('profile') ?? '';
  const mime = si.attr('mime-type')?.trim();
  const offer: SiOffer = { sid, profile, methods: parseMethods(si, 'form') };
  if (mime && /^[\w.+-]+\/[\w.+-]+$/.test(mime) && mime.length <= 255) offer.mimeType = mime.toLowerCase();
  const f = si.child('file', SI_FT_NS);
  const size = parseSize(f?.attr('size'));
  const name = f?.attr('name')?.trim();
  if (f && name && size !== undefined) {
    const file: SiFile = { name: name.slice(0, 1024), size };
    const date = f.attr('date')?.trim();
    if (date) file.date = date.slice(0, 64);
    const desc = f.childText('desc', SI_FT_NS)?.trim();
    if (desc) file.desc = desc.slice(0, 4096);
    const md5 = f.attr('hash')?.trim();
    if (md5 && /^[0-9a-fA-F]{32}$/.test(md5)) file.md5 = md5.toLowerCase();
    offer.file = file;
  }
  return offer;
}

/** The stream-method values of the feature-neg form (type 'form' in an offer, 'submit' in the answer). */
export function parseMethods(si: XmlElement | undefined, type: 'form' | 'submit'): string[] {
  const form = si?.child('feature', FEATURE_NEG_NS)?.child('x', DATA_NS);
  if (!form || (form.attr('type') ?? 'form') !== type) return [];
  const field = form.elements('field', DATA_NS).find((f) => f.attr('var') === 'stream-method');
  if (!field) return [];
  const values = type === 'form' ? field.elements('option', DATA_NS).map((o) => o.childText('value', DATA_NS)) : field.elements('value', DATA_NS).map((v) => v.text());
  return values.map((v) => v?.trim() ?? '').filter((v) => v !== '').slice(0, 16);
}
