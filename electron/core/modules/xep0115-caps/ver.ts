// XEP-0115 (Entity Capabilities) §5: the verification string and its hash, and the §5.4 checks
// that make a disco#info result unusable for caps (duplicates would let two different feature
// sets produce the same string).

import type { CryptoPort, HashAlg } from '../../ports';
import { encodeBase64 } from '../../util/base64';
import { utf8Encode } from '../../util/text';

export interface CapsIdentity {
  category: string;
  type: string;
  lang?: string;
  name?: string;
}
export interface CapsField {
  var: string;
  values: string[];
}
/** An XEP-0128 extended-info form; `formType` is the value of its hidden FORM_TYPE field. */
export interface CapsForm {
  formType: string;
  fields: CapsField[];
}
export interface CapsInfo {
  identities: CapsIdentity[];
  features: string[];
  forms?: CapsForm[];
}

/**
 * §5.1: "octet string" order of the UTF-8 encodings, which is code point order. JavaScript's `<`
 * compares UTF-16 code units and puts U+10000.. before U+E000..U+FFFF; this does not.
 */
export function compareOctets(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (U+10000 and up) sort after U+E000..U+FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * §5.1 verification string S. Forms without a FORM_TYPE are left out (§5.4 step 3.6: ignore
 * such a form); the FORM_TYPE field itself is not repeated among the fields.
 */
export function capsVerificationString(info: CapsInfo): string {
  let s = '';
  // Steps 2–3: identities by category, then type, then xml:lang; §5.1 leaves ties open, the name
  // breaks them so the result does not depend on the order the identities arrived in.
  const identities = info.identities.map((id) => [id.category, id.type, id.lang ?? '', id.name ?? ''] as const);
  identities.sort((p, q) => compareOctets(p[0], q[0]) || compareOctets(p[1], q[1]) || compareOctets(p[2], q[2]) || compareOctets(p[3], q[3]));
  for (const id of identities) s += id.join('/') + '<';
  // Steps 4–5: features.
  for (const f of [...info.features].sort(compareOctets)) s += f + '<';
  // Step 6: extended forms, by FORM_TYPE; within each, fields by var, values sorted.
  const forms = (info.forms ?? []).filter((f) => f.formType !== '');
  forms.sort((p, q) => compareOctets(p.formType, q.formType));
  for (const form of forms) {
    s += form.formType + '<';
    const fields = form.fields.filter((f) => f.var !== 'FORM_TYPE').sort((p, q) => compareOctets(p.var, q.var));
    for (const field of fields) {
      s += field.var + '<';
      for (const v of [...field.values].sort(compareOctets)) s += v + '<';
    }
  }
  return s;
}

/** §5.1 step 7: base64 of the hash of S's UTF-8 encoding; the 'ver' attribute. SHA-1 by default (§5.1 "sha-1"). */
export function capsHash(info: CapsInfo, crypto: CryptoPort, alg: HashAlg = 'sha1'): string {
  return encodeBase64(crypto.hash(alg, utf8Encode(capsVerificationString(info))));
}

export type CapsValidation = { ok: true } | { ok: false; reason: string };

/**
 * §5.4 step 3: a disco#info result is ill-formed for caps when it has two identities with the
 * same category/type/lang/name, a feature twice, or two extended forms with the same FORM_TYPE.
 */
export function validateCapsInfo(info: CapsInfo): CapsValidation {
  const ids = new Set<string>();
  for (const id of info.identities) {
    const key = JSON.stringify([id.category, id.type, id.lang ?? '', id.name ?? '']);
    if (ids.has(key)) return { ok: false, reason: `duplicate identity ${id.category}/${id.type}/${id.lang ?? ''}/${id.name ?? ''}` };
    ids.add(key);
  }
  const features = new Set<string>();
  for (const f of info.features) {
    if (features.has(f)) return { ok: false, reason: `duplicate feature ${f}` };
    features.add(f);
  }
  const formTypes = new Set<string>();
  for (const form of info.forms ?? []) {
    if (form.formType === '') continue;
    if (formTypes.has(form.formType)) return { ok: false, reason: `two extended forms with FORM_TYPE ${form.formType}` };
    formTypes.add(form.formType);
  }
  return { ok: true };
}

/** §5.4 step 3–4: true when `info` is well-formed and hashes to `ver`. */
export function verifyCaps(info: CapsInfo, ver: string, crypto: CryptoPort, alg: HashAlg = 'sha1'): boolean {
  return validateCapsInfo(info).ok && capsHash(info, crypto, alg) === ver;
}
