// XEP-0319 §3 the <idle/> child of our presence; XEP-0012 §3 the last-activity query.
import { NS } from '../../module';
import { x, type XmlElement } from '../../xml/element';
import { LAST_NS } from './parse';

/** XEP-0082 DateTime in UTC, whole seconds (as the XEP-0319 examples write it). */
export function formatDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function buildIdle(sinceMs: number): XmlElement {
  return x('idle', { xmlns: NS.idle, since: formatDateTime(sinceMs) });
}

export function buildLastActivityRequest(to: string): XmlElement {
  return x('iq', { type: 'get', to }, x('query', { xmlns: LAST_NS }));
}
