// XEP-0077 §3.1 registration requests and submissions, §3.3 password change.
import type { FormValues, RegistrationForm } from '../../../../shared/forms';
import { validateForm } from '../../../../shared/forms';
import { x, type XmlElement } from '../../xml/element';
import { buildSubmit, FormInvalidError } from '../xep0004-dataforms/build';
import { REGISTER_NS } from './parse';

export function buildRegisterGet(to?: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: REGISTER_NS }));
}

/** The <query/> that submits `form` with `values`; throws FormInvalidError when a required field is empty. */
export function buildRegisterSubmit(form: RegistrationForm, values: FormValues): XmlElement {
  if (form.kind === 'form') return x('query', { xmlns: REGISTER_NS }, buildSubmit(form.form, values));
  const problems = validateForm(form.form, values);
  if (problems.length > 0) throw new FormInvalidError(problems);
  return x(
    'query',
    { xmlns: REGISTER_NS },
    form.form.fields.flatMap((f) => {
      if (f.var === undefined) return [];
      const v = f.type === 'hidden' ? f.values[0] : (values[f.var] ?? f.values)[0];
      return [x(f.var, {}, v ?? '')];
    }),
  );
}

export function buildRegisterSet(query: XmlElement, to?: string): XmlElement {
  return x('iq', { type: 'set', to }, query);
}

/** §3.3: the username is the localpart of the account whose password changes. */
export function buildPasswordChange(domain: string, username: string, password: string): XmlElement {
  return x('iq', { type: 'set', to: domain }, x('query', { xmlns: REGISTER_NS }, x('username', {}, username), x('password', {}, password)));
}
