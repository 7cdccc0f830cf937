// XEP-0055 §2 search forms and §3 results (legacy fields or XEP-0004 data forms) → plain data.
import type { DataForm, FormField, FormValues, SearchForm, SearchResult } from '../../../../shared/forms';
import type { XmlElement } from '../../xml/element';
import { DATA_FORMS_NS, parseDataForm } from '../xep0004-dataforms/parse';

export const SEARCH_NS = 'jabber:iq:search';

/** §2: the legacy fields the spec names, with the labels a person reads. */
export const LEGACY_LABELS: Record<string, string> = { first: 'First name', last: 'Last name', nick: 'Nickname', email: 'Email', jid: 'Jabber ID' };

const legacyField = (name: string, values: string[] = []): FormField => ({
  var: name,
  type: name === 'jid' ? 'jid-single' : 'text-single',
  label: LEGACY_LABELS[name] ?? name,
  required: false,
  values,
  options: [],
});

/** The legacy field elements of a <query/>: everything but instructions, items and extensions. */
function legacyChildren(query: XmlElement): XmlElement[] {
  return query.elements(undefined, SEARCH_NS).filter((c) => c.name !== 'instructions' && c.name !== 'item' && c.name !== 'key');
}

/** §2: the answer to a fields request. A data form wins over legacy fields (§4). */
export function parseSearchForm(query: XmlElement | undefined): SearchForm {
  const x = query?.child('x', DATA_FORMS_NS);
  if (x) return { kind: 'form', form: parseDataForm(x) };
  const instructions = query?.childText('instructions', SEARCH_NS)?.trim();
  const form: DataForm = {
    type: 'form',
    instructions: instructions ? [instructions] : [],
    fields: query ? legacyChildren(query).map((c) => legacyField(c.name, c.text() ? [c.text()] : [])) : [],
  };
  return { kind: 'legacy', form };
}

/** §3: the answer to a search: the reported columns and one row per match. */
export function parseSearchResult(query: XmlElement | undefined): SearchResult {
  const x = query?.child('x', DATA_FORMS_NS);
  if (x) {
    const form = parseDataForm(x);
    const columns = form.reported ?? inferColumns(form.items ?? []);
    return { columns, items: form.items ?? [] };
  }
  const names: string[] = ['jid'];
  const items: FormValues[] = [];
  for (const item of query?.elements('item', SEARCH_NS) ?? []) {
    const row: FormValues = {};
    const jid = item.attr('jid');
    if (jid) row.jid = [jid];
    for (const c of item.elements(undefined, SEARCH_NS)) {
      if (!names.includes(c.name)) names.push(c.name);
      row[c.name] = [...(row[c.name] ?? []), c.text()];
    }
    items.push(row);
  }
  return { columns: names.map((n) => legacyField(n)), items };
}

/** Items without <reported/>: the columns are the vars in the order they first appear. */
function inferColumns(items: FormValues[]): FormField[] {
  const names: string[] = [];
  for (const row of items) for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
  return names.map((n) => ({ var: n, type: 'text-single', label: n, required: false, values: [], options: [] }));
}
