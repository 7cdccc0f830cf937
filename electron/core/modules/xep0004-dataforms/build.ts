// XEP-0004 §3: DataForm → <x xmlns='jabber:x:data'/>, and the submit/cancel answers to a form.
import type { DataForm, FormField, FormValues } from '../../../../shared/forms';
import { validateForm, type FormProblem } from '../../../../shared/forms';
import { x, type XmlElement } from '../../xml/element';
import { DATA_FORMS_NS } from './parse';

function buildField(f: FormField, withDetails: boolean): XmlElement {
  return x(
    'field',
    { var: f.var, type: withDetails || f.var === 'FORM_TYPE' ? f.type : undefined, label: withDetails ? f.label : undefined },
    withDetails && f.desc !== undefined ? x('desc', {}, f.desc) : null,
    withDetails && f.required ? x('required') : null,
    f.values.map((v) => x('value', {}, v)),
    withDetails ? f.options.map((o) => x('option', { label: o.label }, x('value', {}, o.value))) : null,
  );
}

/** Any form, as written. Submissions carry only var and values (§3.2), plus FORM_TYPE's type. */
export function buildDataForm(form: DataForm): XmlElement {
  const details = form.type !== 'submit';
  return x(
    'x',
    { xmlns: DATA_FORMS_NS, type: form.type },
    form.title !== undefined ? x('title', {}, form.title) : null,
    form.instructions.map((i) => x('instructions', {}, i)),
    form.fields.map((f) => buildField(f, details)),
    form.reported ? x('reported', {}, form.reported.map((f) => buildField(f, true))) : null,
    (form.items ?? []).map((row) => x('item', {}, Object.entries(row).map(([v, vals]) => x('field', { var: v }, vals.map((s) => x('value', {}, s)))))),
  );
}

export class FormInvalidError extends Error {
  constructor(readonly problems: FormProblem[]) {
    super(`form incomplete: ${problems.map((p) => `${p.var} (${p.problem})`).join(', ')}`);
    this.name = 'FormInvalidError';
  }
}

/**
 * The submit answer to `form` (XEP-0004 §3.2): the fields with a var except 'fixed', with the
 * user's values or else the defaults; hidden fields (FORM_TYPE) echoed as received. Throws
 * FormInvalidError listing what validateForm() finds, so nothing half-filled leaves the client.
 */
export function buildSubmit(form: DataForm, values: FormValues): XmlElement {
  const problems = validateForm(form, values);
  if (problems.length > 0) throw new FormInvalidError(problems);
  const fields: FormField[] = [];
  for (const f of form.fields) {
    if (f.var === undefined || f.type === 'fixed') continue;
    const given = f.type === 'hidden' ? f.values : (values[f.var] ?? f.values);
    // text-multi: one <value/> per line (§3.3); a value the UI kept as one string is split here.
    const vals = f.type === 'text-multi' ? given.flatMap((v) => v.split(/\r?\n/)) : given.filter((v) => v !== '');
    // A field left empty is left out: "no value" and "not given" mean the same to a search or
    // registration service, and some treat an empty <field/> as a value to match.
    if (vals.length === 0 || (f.type === 'text-multi' && vals.every((v) => v === ''))) continue;
    fields.push({ ...f, values: f.type === 'boolean' ? vals.map((v) => (v === 'true' || v === '1' ? '1' : '0')) : vals });
  }
  return buildDataForm({ type: 'submit', instructions: [], fields });
}

/** §3.1: the answer that declines to fill in a form. */
export function buildCancel(): XmlElement {
  return x('x', { xmlns: DATA_FORMS_NS, type: 'cancel' });
}
