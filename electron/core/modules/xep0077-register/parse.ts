// XEP-0077 §3 registration forms (legacy fields §14.1, or an XEP-0004 data form, §6) → plain data.
import type { DataForm, FormField, RegistrationForm } from '../../../../shared/forms';
import type { XmlElement } from '../../xml/element';
import { DATA_FORMS_NS, parseDataForm } from '../xep0004-dataforms/parse';

export const REGISTER_NS = 'jabber:iq:register';
/** RFC 6120 stream feature a server announces when it allows in-band registration (XEP-0077 §4). */
export const REGISTER_FEATURE_NS = 'http://jabber.org/features/iq-register';
export const OOB_NS = 'jabber:x:oob';

/** §14.1: the registered field names, with the labels a person reads. */
export const LEGACY_REGISTER_LABELS: Record<string, string> = {
  username: 'User name',
  nick: 'Nickname',
  password: 'Password',
  name: 'Full name',
  first: 'First name',
  last: 'Last name',
  email: 'Email',
  address: 'Street',
  city: 'City',
  state: 'State or region',
  zip: 'Postal code',
  phone: 'Phone',
  url: 'Web page',
  date: 'Date',
  misc: 'Misc',
  text: 'Text',
};

/** Children of the query that are not fields. */
const NOT_FIELDS = new Set(['instructions', 'registered', 'remove', 'x']);

function legacyField(el: XmlElement): FormField {
  const name = el.name;
  const value = el.text();
  return {
    var: name,
    // 'key' (§14.1: a token from older servers) goes back as received, unseen.
    type: name === 'password' ? 'text-private' : name === 'key' ? 'hidden' : 'text-single',
    label: LEGACY_REGISTER_LABELS[name] ?? name,
    // §3.1: the fields the host lists are the ones it requires.
    required: name !== 'key',
    values: value ? [value] : [],
    options: [],
  };
}

export function parseRegistrationForm(query: XmlElement | undefined): RegistrationForm {
  const registered = query?.child('registered', REGISTER_NS) !== undefined;
  const url = query?.child('x', OOB_NS)?.childText('url', OOB_NS)?.trim();
  const extra = url ? { url } : {};
  const x = query?.child('x', DATA_FORMS_NS);
  if (x) return { kind: 'form', form: parseDataForm(x), registered, ...extra };
  const instructions = query?.childText('instructions', REGISTER_NS)?.trim();
  const form: DataForm = {
    type: 'form',
    instructions: instructions ? [instructions] : [],
    fields: (query?.elements(undefined, REGISTER_NS) ?? []).filter((c) => !NOT_FIELDS.has(c.name)).map(legacyField),
  };
  return { kind: 'legacy', form, registered, ...extra };
}
