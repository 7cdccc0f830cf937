// XEP-0004 data forms as plain data, so the renderer can draw any form the server sends (user
// directory search, in-band registration, …) without knowing XML; plus the pure checks both sides
// run before a form is submitted. The engine turns <x xmlns='jabber:x:data'/> into these types
// (electron/core/modules/xep0004-dataforms) and back.
import { tryParseJid } from './jid';

/** XEP-0004 §3.3 field types. A field without a type is text-single. */
export const FORM_FIELD_TYPES = [
  'boolean',
  'fixed',
  'hidden',
  'jid-multi',
  'jid-single',
  'list-multi',
  'list-single',
  'text-multi',
  'text-private',
  'text-single',
] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** XEP-0004 §3.1 form types. */
export type FormType = 'form' | 'submit' | 'cancel' | 'result';

export interface FormOption {
  value: string;
  label?: string;
}

export interface FormField {
  /** Absent only for 'fixed' fields (XEP-0004 §3.2: they carry no data). */
  var?: string;
  type: FormFieldType;
  label?: string;
  desc?: string;
  required: boolean;
  /** Default values (in a form) or the values (in a result/submit). Multi-line text is one value per line. */
  values: string[];
  /** For list-single / list-multi. */
  options: FormOption[];
  /** XEP-0122 <open/>: a list field that also takes values outside its options. */
  open?: boolean;
}

export interface DataForm {
  type: FormType;
  title?: string;
  /** One entry per <instructions/> element, in order. */
  instructions: string[];
  fields: FormField[];
  /** XEP-0004 §3.4 multi-item results: the column headers… */
  reported?: FormField[];
  /** …and one row per item, var → values. */
  items?: FormValues[];
}

/** What the user entered: field var → values (one string for single-valued fields). */
export type FormValues = Record<string, string[]>;

/** The hidden FORM_TYPE value (XEP-0068), when the form has one. */
export function formTypeOf(form: DataForm): string | undefined {
  return form.fields.find((f) => f.var === 'FORM_TYPE')?.values[0];
}

/** The values a form starts with (its defaults), for a UI to edit. */
export function initialValues(form: DataForm): FormValues {
  const out: FormValues = {};
  for (const f of form.fields) if (f.var !== undefined && f.type !== 'fixed') out[f.var] = [...f.values];
  return out;
}

export type FormProblemKind = 'required' | 'single-value' | 'not-boolean' | 'not-a-jid' | 'not-an-option';

export interface FormProblem {
  var: string;
  label?: string;
  problem: FormProblemKind;
}

const MULTI: ReadonlySet<FormFieldType> = new Set<FormFieldType>(['jid-multi', 'list-multi', 'text-multi']);

/**
 * What stops `values` from being a valid submission of `form` (XEP-0004 §3.3): a required field
 * left empty, several values in a single-valued field, a boolean that is not 0/1/true/false, a
 * JID that does not parse, a list value that is not one of the options (unless XEP-0122 <open/>).
 * Fields the user did not touch count with their default values. Empty list = ready to submit.
 */
export function validateForm(form: DataForm, values: FormValues): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const f of form.fields) {
    if (f.var === undefined || f.type === 'fixed' || f.type === 'hidden') continue;
    const given = (values[f.var] ?? f.values).filter((v) => v !== '');
    const report = (problem: FormProblemKind) => problems.push({ var: f.var!, ...(f.label !== undefined ? { label: f.label } : {}), problem });
    if (given.length === 0) {
      if (f.required) report('required');
      continue;
    }
    if (!MULTI.has(f.type) && given.length > 1) {
      report('single-value');
      continue;
    }
    if (f.type === 'boolean' && !['0', '1', 'true', 'false'].includes(given[0]!)) report('not-boolean');
    else if ((f.type === 'jid-single' || f.type === 'jid-multi') && given.some((v) => !tryParseJid(v.trim()))) report('not-a-jid');
    else if ((f.type === 'list-single' || f.type === 'list-multi') && !f.open && f.options.length > 0) {
      const allowed = new Set(f.options.map((o) => o.value));
      if (given.some((v) => !allowed.has(v))) report('not-an-option');
    }
  }
  return problems;
}

/** XEP-0055 §2 / §3: a directory's search form, as a data form or converted from the legacy fields. */
export interface SearchForm {
  /** 'legacy': the service sent only the old <first/> <last/> <nick/> <email/> fields. */
  kind: 'form' | 'legacy';
  /** Legacy fields are presented as text-single fields of a data form, so one UI draws both. */
  form: DataForm;
}

export interface SearchResult {
  /** The columns (XEP-0004 <reported/> fields, or jid/first/last/nick/email for legacy results). */
  columns: FormField[];
  /** One row per match: column var → values. */
  items: FormValues[];
}

/** XEP-0077 §3: a registration form (account creation, or the current registration when logged in). */
export interface RegistrationForm {
  kind: 'form' | 'legacy';
  form: DataForm;
  /** §3.2.1: the account is already registered (only when logged in). */
  registered: boolean;
  /** XEP-0066 out-of-band URL some servers send instead of (or besides) fields: register on the web. */
  url?: string;
}
