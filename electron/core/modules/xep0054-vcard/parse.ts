// XEP-0054 §3 vCards (vcard-temp) → plain VCard. Written for the vCards found in the wild:
// element names in any case, EMAIL/TEL with the address as direct text instead of USERID/NUMBER,
// no FN but an N, BINVAL folded over many lines or with broken padding, TYPE missing or a data:
// URI in BINVAL. What cannot be read is left out rather than failing the whole vCard.
import type { VCard, VCardPhoto } from '../../../../shared/profile';
import { decodeBase64, encodeBase64 } from '../../util/base64';
import type { XmlElement } from '../../xml/element';

export const VCARD_NS = 'vcard-temp';

/** Children named `name` (case-insensitively) in the vcard-temp namespace. */
export function vcardChildren(el: XmlElement, name: string): XmlElement[] {
  const upper = name.toUpperCase();
  return el.elements(undefined, VCARD_NS).filter((c) => c.name.toUpperCase() === upper);
}

/** Trimmed text of the first such child that has any; undefined when none has. */
function textOf(el: XmlElement, name: string): string | undefined {
  for (const c of vcardChildren(el, name)) {
    const t = c.text().trim();
    if (t) return t;
  }
  return undefined;
}

/** The <vCard/> in an iq result (any case of the name), or undefined for an empty result. */
export function findVCard(iq: XmlElement): XmlElement | undefined {
  return iq.elements(undefined, VCARD_NS).find((c) => c.name.toLowerCase() === 'vcard');
}

/** EMAIL and TEL carry their value in USERID / NUMBER, or (older clients) as direct text. */
function values(vcard: XmlElement, name: string, valueChild: string): string[] {
  const out: string[] = [];
  for (const el of vcardChildren(vcard, name)) {
    const v = textOf(el, valueChild) ?? (el.text().trim() || undefined);
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * Decodes base64 the way vCards carry it: RFC 2425 folding and stray whitespace removed, missing
 * padding restored, non-zero pad bits (sloppy encoders) cleared. Returns canonical base64 and the
 * bytes, or undefined when it is not base64 at all.
 */
export function decodeLenientBase64(text: string): { bytes: Uint8Array; base64: string } | undefined {
  let s = text.replace(/\s+/g, '').replace(/=+$/, '');
  if (s.length % 4 === 1) return undefined; // no byte sequence encodes to this length
  const rem = s.length % 4;
  if (rem > 0) {
    // The last sextet's unused low bits must be zero for the strict decoder (RFC 4648 §3.5).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = alphabet.indexOf(s.charAt(s.length - 1));
    if (last < 0) return undefined;
    s = s.slice(0, -1) + alphabet.charAt(last & (rem === 2 ? 0b110000 : 0b111100)) + '='.repeat(4 - rem);
  }
  try {
    const bytes = decodeBase64(s);
    return { bytes, base64: encodeBase64(bytes) };
  } catch {
    return undefined;
  }
}

/** The image type from its first bytes, for vCards whose PHOTO has no TYPE. */
export function sniffImageType(b: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  return '';
}

/** The first PHOTO with inline data (BINVAL); EXTVAL (a URL) is never fetched: no remote images. */
export function parsePhoto(vcard: XmlElement | undefined): (VCardPhoto & { bytes: Uint8Array }) | undefined {
  if (!vcard) return undefined;
  for (const photo of vcardChildren(vcard, 'PHOTO')) {
    let binval = textOf(photo, 'BINVAL');
    if (binval === undefined) continue;
    let type = textOf(photo, 'TYPE')?.toLowerCase() ?? '';
    const dataUri = /^data:([^;,]*)(?:;[^,]*)?;base64,/i.exec(binval);
    if (dataUri) {
      binval = binval.slice(dataUri[0].length);
      if (!type) type = dataUri[1]!.toLowerCase();
    }
    const decoded = decodeLenientBase64(binval);
    if (!decoded || decoded.bytes.length === 0) continue;
    return { type: type || sniffImageType(decoded.bytes), data: decoded.base64, bytes: decoded.bytes };
  }
  return undefined;
}

export function parseVCard(vcard: XmlElement | undefined): VCard {
  const card: VCard = { email: [], tel: [] };
  if (!vcard) return card;
  let fn = textOf(vcard, 'FN');
  const n = vcardChildren(vcard, 'N')[0];
  if (!fn && n) {
    const parts = ['PREFIX', 'GIVEN', 'MIDDLE', 'FAMILY', 'SUFFIX'].map((p) => textOf(n, p)).filter((p): p is string => p !== undefined);
    if (parts.length > 0) fn = parts.join(' ');
  }
  if (fn) card.fn = fn;
  const nickname = textOf(vcard, 'NICKNAME');
  if (nickname) card.nickname = nickname;
  card.email = values(vcard, 'EMAIL', 'USERID');
  card.tel = values(vcard, 'TEL', 'NUMBER');
  for (const org of vcardChildren(vcard, 'ORG')) {
    const name = textOf(org, 'ORGNAME');
    const unit = textOf(org, 'ORGUNIT');
    if (name || unit) {
      card.org = { ...(name ? { name } : {}), ...(unit ? { unit } : {}) };
      break;
    }
  }
  const title = textOf(vcard, 'TITLE');
  if (title) card.title = title;
  const photo = parsePhoto(vcard);
  if (photo) card.photo = { type: photo.type, data: photo.data };
  return card;
}
