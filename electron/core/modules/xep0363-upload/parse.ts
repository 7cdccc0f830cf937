// XEP-0363 slot answers and service discovery data → plain data.
import type { XmlElement } from '../../xml/element';
import type { DiscoInfo } from '../xep0030-disco';
import { parseHttpUrl } from '../xep0066-oob';

export const UPLOAD_NS = 'urn:xmpp:http:upload:0';

export interface SlotHeader {
  name: 'Authorization' | 'Cookie' | 'Expires';
  value: string;
}

export interface UploadSlot {
  /** The service that handed out the slot. */
  service: string;
  putUrl: string;
  getUrl: string;
  /** Only the headers §5 allows, newlines stripped. */
  headers: SlotHeader[];
}

/** §5: the only headers a client may copy into its PUT. */
const ALLOWED_HEADERS: Record<string, SlotHeader['name']> = { authorization: 'Authorization', cookie: 'Cookie', expires: 'Expires' };

/** The max-file-size of the service's XEP-0128 form (FORM_TYPE urn:xmpp:http:upload:0), if any (§4). */
export function parseMaxFileSize(info: DiscoInfo): number | undefined {
  for (const form of info.forms) {
    if (form.formType !== UPLOAD_NS) continue;
    const v = form.fields.find((f) => f.var === 'max-file-size')?.values[0]?.trim();
    if (v && /^\d{1,16}$/.test(v)) {
      const n = Number(v);
      if (Number.isSafeInteger(n) && n > 0) return n;
    }
  }
  return undefined;
}

export class SlotError extends Error {}

/** §4 Example 3: <slot><put url><header/></put><get url/></slot>. Throws SlotError when unusable. */
export function parseSlot(slot: XmlElement | undefined, service: string): UploadSlot {
  if (!slot) throw new SlotError('the upload service answered without a slot');
  const put = slot.child('put', UPLOAD_NS);
  const get = slot.child('get', UPLOAD_NS);
  const putUrl = parseHttpUrl(put?.attr('url'));
  const getUrl = parseHttpUrl(get?.attr('url'));
  if (!putUrl || !getUrl) throw new SlotError('the upload service sent an invalid slot URL');
  const headers: SlotHeader[] = [];
  for (const h of put!.elements('header', UPLOAD_NS)) {
    const name = ALLOWED_HEADERS[(h.attr('name') ?? '').trim().toLowerCase()];
    if (!name) continue; // §5: any other header MUST be ignored
    // §5: newline characters MUST be stripped, or a header value could inject more headers.
    const value = h.text().replace(/[\r\n]/g, '').trim();
    if (value === '' || headers.some((o) => o.name === name)) continue;
    headers.push({ name, value });
  }
  return { service, putUrl, getUrl, headers };
}

/** §4.1: the size limit in a <file-too-large/> error, when the service says it. */
export function parseTooLarge(error: XmlElement | undefined): { max?: number } | undefined {
  const el = error?.child('error')?.child('file-too-large', UPLOAD_NS);
  if (!el) return undefined;
  const v = el.childText('max-file-size', UPLOAD_NS)?.trim();
  const n = v && /^\d{1,16}$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? { max: n } : {};
}
