// XEP-0030 disco#info / disco#items results → plain data; XEP-0128 extended info as data forms (XEP-0004).
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import { tryParseJid, formatJid } from '../../../../shared/jid';
import type { CapsIdentity } from '../xep0115-caps/ver';

export const DATA_FORMS_NS = 'jabber:x:data';

export type DiscoIdentity = CapsIdentity;

export interface DiscoField {
  var: string;
  /** XEP-0004 field type, when given ('hidden' matters for FORM_TYPE, XEP-0068). */
  type?: string;
  values: string[];
}

export interface DiscoForm {
  /** Value of the FORM_TYPE field, '' when the form has none. */
  formType: string;
  fields: DiscoField[];
}

export interface DiscoInfo {
  identities: DiscoIdentity[];
  /** As received, order and duplicates kept: XEP-0115 §5.4 must see duplicates to reject them. */
  features: string[];
  forms: DiscoForm[];
}

export interface DiscoItem {
  jid: string;
  node?: string;
  name?: string;
}

/** Reads a disco#info <query/>; missing category/type/var make that entry unusable, so it is skipped. */
export function parseDiscoInfo(query: XmlElement | undefined): DiscoInfo {
  const info: DiscoInfo = { identities: [], features: [], forms: [] };
  if (!query) return info;
  for (const el of query.elements('identity', NS.discoInfo)) {
    const category = el.attr('category');
    const type = el.attr('type');
    if (!category || !type) continue;
    const lang = el.attr('xml:lang');
    const name = el.attr('name');
    info.identities.push({ category, type, ...(lang ? { lang } : {}), ...(name !== undefined ? { name } : {}) });
  }
  for (const el of query.elements('feature', NS.discoInfo)) {
    const v = el.attr('var');
    if (v) info.features.push(v);
  }
  for (const el of query.elements('x', DATA_FORMS_NS)) info.forms.push(parseDataForm(el));
  return info;
}

export function parseDataForm(form: XmlElement): DiscoForm {
  const fields: DiscoField[] = [];
  let formType = '';
  for (const f of form.elements('field', DATA_FORMS_NS)) {
    const v = f.attr('var');
    if (v === undefined) continue; // XEP-0004 §3.2: only 'fixed' fields may lack var; they carry no data
    const type = f.attr('type');
    const values = f.elements('value', DATA_FORMS_NS).map((e) => e.text());
    fields.push({ var: v, ...(type ? { type } : {}), values });
    if (v === 'FORM_TYPE' && formType === '') formType = values[0] ?? '';
  }
  return { formType, fields };
}

/** Reads a disco#items <query/>; items with an invalid JID are skipped. */
export function parseDiscoItems(query: XmlElement | undefined): DiscoItem[] {
  const items: DiscoItem[] = [];
  if (!query) return items;
  for (const el of query.elements('item', NS.discoItems)) {
    const jid = tryParseJid(el.attr('jid') ?? '');
    if (!jid) continue;
    const node = el.attr('node');
    const name = el.attr('name');
    items.push({ jid: formatJid(jid), ...(node ? { node } : {}), ...(name ? { name } : {}) });
  }
  return items;
}
