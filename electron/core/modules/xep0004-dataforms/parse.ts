// XEP-0004 §3: <x xmlns='jabber:x:data'/> → plain DataForm (shared/forms.ts). Lenient where real
// servers are sloppy (missing field type = text-single, unknown type = text-single, fields without
// var other than 'fixed' dropped), strict where it matters (only jabber:x:data children count).
import type { DataForm, FormField, FormFieldType, FormOption, FormType, FormValues } from '../../../../shared/forms';
import { FORM_FIELD_TYPES } from '../../../../shared/forms';
import type { XmlElement } from '../../xml/element';

export const DATA_FORMS_NS = 'jabber:x:data';
/** XEP-0122: Data Forms Validation. */
export const XDATA_VALIDATE_NS = 'http://jabber.org/protocol/xdata-validate';

const FIELD_TYPES: ReadonlySet<string> = new Set(FORM_FIELD_TYPES);
const FORM_TYPES: ReadonlySet<string> = new Set(['form', 'submit', 'cancel', 'result']);

/** A text that is only whitespace is no label. */
const clean = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t : undefined;
};

export function parseField(el: XmlElement): FormField | undefined {
  const rawType = el.attr('type');
  // §3.3: "If the type attribute is absent, the field type is text-single"; an unknown type is
  // treated the same way so the user still sees and can fill the field.
  const type: FormFieldType = rawType !== undefined && FIELD_TYPES.has(rawType) ? (rawType as FormFieldType) : 'text-single';
  const v = el.attr('var');
  if (v === undefined && type !== 'fixed') return undefined;
  const options: FormOption[] = [];
  for (const o of el.elements('option', DATA_FORMS_NS)) {
    const value = o.childText('value', DATA_FORMS_NS);
    if (value === undefined) continue;
    const label = clean(o.attr('label'));
    options.push({ value, ...(label !== undefined ? { label } : {}) });
  }
  const field: FormField = {
    type,
    required: el.child('required', DATA_FORMS_NS) !== undefined,
    values: el.elements('value', DATA_FORMS_NS).map((e) => e.text()),
    options,
  };
  if (v !== undefined) field.var = v;
  const label = clean(el.attr('label'));
  if (label !== undefined) field.label = label;
  const desc = clean(el.childText('desc', DATA_FORMS_NS));
  if (desc !== undefined) field.desc = desc;
  if (el.child('validate', XDATA_VALIDATE_NS)?.child('open', XDATA_VALIDATE_NS)) field.open = true;
  return field;
}

/** One <item/> of a multi-item result: var → values. */
function parseItem(el: XmlElement): FormValues {
  const row: FormValues = {};
  for (const f of el.elements('field', DATA_FORMS_NS)) {
    const v = f.attr('var');
    if (v === undefined) continue;
    row[v] = [...(row[v] ?? []), ...f.elements('value', DATA_FORMS_NS).map((e) => e.text())];
  }
  return row;
}

export function parseDataForm(x: XmlElement): DataForm {
  const rawType = x.attr('type') ?? '';
  // §3.1: type is REQUIRED; a form without one is most likely a form to fill in.
  const type: FormType = FORM_TYPES.has(rawType) ? (rawType as FormType) : 'form';
  const form: DataForm = {
    type,
    instructions: x.elements('instructions', DATA_FORMS_NS).map((i) => i.text().trim()).filter((s) => s !== ''),
    fields: [],
  };
  const title = clean(x.childText('title', DATA_FORMS_NS));
  if (title !== undefined) form.title = title;
  for (const el of x.elements('field', DATA_FORMS_NS)) {
    const f = parseField(el);
    if (f) form.fields.push(f);
  }
  const reported = x.child('reported', DATA_FORMS_NS);
  if (reported) {
    form.reported = reported.elements('field', DATA_FORMS_NS).map(parseField).filter((f): f is FormField => f !== undefined && f.var !== undefined);
    form.items = x.elements('item', DATA_FORMS_NS).map(parseItem);
  } else if (x.child('item', DATA_FORMS_NS)) {
    // Items without <reported/> break §3.4, but the rows are still readable.
    form.items = x.elements('item', DATA_FORMS_NS).map(parseItem);
  }
  return form;
}

/** The first data form child of `parent` (an iq payload such as <query/>), if any. */
export function findDataForm(parent: XmlElement | undefined): DataForm | undefined {
  const x = parent?.child('x', DATA_FORMS_NS);
  return x ? parseDataForm(x) : undefined;
}
