// XEP-0055 §2 fields request and search submission (§2 legacy, §4 data form).
import type { FormValues, SearchForm } from '../../../../shared/forms';
import { x, type XmlElement } from '../../xml/element';
import { buildSubmit } from '../xep0004-dataforms/build';
import { SEARCH_NS } from './parse';

export function buildFieldsRequest(to: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: SEARCH_NS }));
}

/** Data form: a submit of that form (validated); legacy: the non-empty fields only. */
export function buildSearch(to: string, form: SearchForm, values: FormValues): XmlElement {
  if (form.kind === 'form') return x('iq', { type: 'set', to }, x('query', { xmlns: SEARCH_NS }, buildSubmit(form.form, values)));
  const fields = form.form.fields.flatMap((f) => {
    const v = (values[f.var ?? ''] ?? [])[0]?.trim();
    return f.var && v ? [x(f.var, {}, v)] : [];
  });
  return x('iq', { type: 'set', to }, x('query', { xmlns: SEARCH_NS }, fields));
}
