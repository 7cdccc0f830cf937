// XEP-0054 §3.2: an iq set replaces the whole vCard, so an update is merged into the stored one:
// the fields Flint edits are rewritten, everything else (N, ADR, BDAY, URL, …) is kept as it was,
// and an email or phone number that stays keeps its element (with HOME/WORK/PREF flags).
import type { VCardUpdate } from '../../../../shared/profile';
import { x, type XmlElement } from '../../xml/element';
import { VCARD_NS, vcardChildren } from './parse';

const MANAGED = new Set(['FN', 'NICKNAME', 'EMAIL', 'TEL', 'ORG', 'TITLE']);

const nonEmpty = (s: string | undefined): string | undefined => {
  const t = s?.trim();
  return t ? t : undefined;
};

function keptOrNew(existing: XmlElement | undefined, name: string, valueChild: string, value: string, fresh: () => XmlElement): XmlElement {
  const match = existing
    ? vcardChildren(existing, name).find((el) => (vcardChildren(el, valueChild)[0]?.text() ?? el.text()).trim() === value)
    : undefined;
  return match ?? fresh();
}

export function buildVCard(update: VCardUpdate, existing?: XmlElement): XmlElement {
  const keep = (existing?.elements() ?? []).filter((c) => {
    const name = c.name.toUpperCase();
    if (c.ns !== VCARD_NS) return true;
    if (MANAGED.has(name)) return false;
    return !(name === 'PHOTO' && update.photo !== undefined);
  });
  const fn = nonEmpty(update.fn);
  const nickname = nonEmpty(update.nickname);
  const title = nonEmpty(update.title);
  const orgName = nonEmpty(update.org?.name);
  const orgUnit = nonEmpty(update.org?.unit);
  const emails = [...new Set(update.email.map((e) => e.trim()).filter((e) => e !== ''))];
  const tels = [...new Set(update.tel.map((t) => t.trim()).filter((t) => t !== ''))];
  return x(
    'vCard',
    { xmlns: VCARD_NS },
    fn ? x('FN', {}, fn) : null,
    nickname ? x('NICKNAME', {}, nickname) : null,
    update.photo ? x('PHOTO', {}, update.photo.type ? x('TYPE', {}, update.photo.type) : null, x('BINVAL', {}, update.photo.data)) : null,
    keep,
    tels.map((t) => keptOrNew(existing, 'TEL', 'NUMBER', t, () => x('TEL', {}, x('VOICE'), x('NUMBER', {}, t)))),
    emails.map((e) => keptOrNew(existing, 'EMAIL', 'USERID', e, () => x('EMAIL', {}, x('INTERNET'), x('USERID', {}, e)))),
    title ? x('TITLE', {}, title) : null,
    orgName || orgUnit ? x('ORG', {}, orgName ? x('ORGNAME', {}, orgName) : null, orgUnit ? x('ORGUNIT', {}, orgUnit) : null) : null,
  );
}

/** §3.1 / §3.2: our own vCard has no 'to'; another user's goes to the bare JID. */
export function buildVCardGet(to?: string): XmlElement {
  return x('iq', { type: 'get', to }, x('vCard', { xmlns: VCARD_NS }));
}

export function buildVCardSet(vcard: XmlElement): XmlElement {
  return x('iq', { type: 'set' }, vcard);
}
