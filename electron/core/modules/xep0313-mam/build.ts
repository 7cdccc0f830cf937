// XEP-0313 queries we send, paged with XEP-0059 Result Set Management.
import { x, type XmlElement } from '../../xml/element';
import { MAM_NS, RSM_NS } from './parse';

export interface MamQuery {
  /** Only messages with this JID (Filtering by JID: a bare JID matches all its resources). */
  with?: string;
  /** XEP-0082 DateTime bounds, inclusive. */
  start?: string;
  end?: string;
  /** RSM: the page after this archive id (paging forward, e.g. catch-up from the last id stored). */
  after?: string;
  /** RSM: the page before this archive id; `true` = the last page (most recent messages). */
  before?: string | true;
  /** RSM: at most this many messages (the server may cap it further). */
  max?: number;
}

const DATA_FORMS_NS = 'jabber:x:data';

function filterForm(q: MamQuery): XmlElement | null {
  const fields: [string, string | undefined][] = [
    ['with', q.with],
    ['start', q.start],
    ['end', q.end],
  ];
  const given = fields.filter((f): f is [string, string] => f[1] !== undefined);
  if (given.length === 0) return null;
  // Filtering results: filters travel as an XEP-0004 submit form with FORM_TYPE urn:xmpp:mam:2.
  return x(
    'x',
    { xmlns: DATA_FORMS_NS, type: 'submit' },
    x('field', { var: 'FORM_TYPE', type: 'hidden' }, x('value', {}, MAM_NS)),
    given.map(([v, value]) => x('field', { var: v }, x('value', {}, value))),
  );
}

function rsm(q: MamQuery): XmlElement | null {
  const max = q.max !== undefined ? Math.max(0, Math.floor(q.max)) : undefined;
  if (max === undefined && q.after === undefined && q.before === undefined) return null;
  return x(
    'set',
    { xmlns: RSM_NS },
    max !== undefined ? x('max', {}, String(max)) : null,
    q.after !== undefined ? x('after', {}, q.after) : null,
    // XEP-0059 §2.5: an empty <before/> asks for the last page.
    q.before === true ? x('before') : q.before !== undefined ? x('before', {}, q.before) : null,
  );
}

/** Querying an archive: a query of our own archive (no 'to': the archive is our bare JID) tagged with `queryid`. */
export const buildQuery = (queryid: string, q: MamQuery): XmlElement =>
  x('iq', { type: 'set' }, x('query', { xmlns: MAM_NS, queryid }, filterForm(q), rsm(q)));
