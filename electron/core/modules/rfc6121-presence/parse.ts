// RFC 6121 §4.7: presence children → plain data; plus XEP-0115 <c/>, XEP-0319 <idle/>, XEP-0172 <nick/>.
import { NS } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { ResourcePresence, Show } from '../../../../shared/domain';
import { parseDateTime } from '../xep0082-datetime/parse';

export const NICK_NS = 'http://jabber.org/protocol/nick';

const SHOWS = new Set<string>(['chat', 'away', 'xa', 'dnd']);

/** §4.7.2.1: no <show/> (or an unknown value) means plain available. */
export function parseShow(presence: XmlElement): Show {
  const show = presence.childText('show', presence.ns)?.trim();
  return show !== undefined && SHOWS.has(show) ? (show as Show) : 'available';
}

/** §4.7.2.3: an integer in -128..127, 0 when absent or not an integer. */
export function parsePriority(presence: XmlElement): number {
  const text = presence.childText('priority', presence.ns)?.trim();
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return 0;
  return clampPriority(Number(text));
}

export function clampPriority(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.max(-128, Math.min(127, Math.trunc(n)));
}

/** §4.7.2.2: <status/> may repeat per xml:lang; the one without a language is the default. */
export function parseStatus(presence: XmlElement): string | undefined {
  const all = presence.elements('status', presence.ns);
  const chosen = all.find((s) => s.attr('xml:lang') === undefined) ?? all[0];
  const text = chosen?.text();
  return text ? text : undefined;
}

/** XEP-0115 §4: <c node ver hash/>; the legacy form without 'hash' cannot be verified, so it is left out. */
export function parseCaps(presence: XmlElement): ResourcePresence['caps'] {
  const c = presence.child('c', NS.caps);
  const node = c?.attr('node');
  const ver = c?.attr('ver');
  const hash = c?.attr('hash');
  return node && ver && hash ? { node, ver, hash } : undefined;
}

/** XEP-0319 §3: <idle since/>, normalized to ISO 8601 UTC; unparseable stamps are dropped. */
export function parseIdleSince(presence: XmlElement): string | undefined {
  const since = presence.child('idle', NS.idle)?.attr('since');
  const ms = since === undefined ? undefined : parseDateTime(since);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** XEP-0172: the nickname a subscription request may carry. */
export function parseNick(presence: XmlElement): string | undefined {
  const nick = presence.childText('nick', NICK_NS)?.trim();
  return nick ? nick : undefined;
}

export function parseResourcePresence(presence: XmlElement, resource: string): ResourcePresence {
  const rp: ResourcePresence = { resource, show: parseShow(presence), priority: parsePriority(presence) };
  const status = parseStatus(presence);
  if (status !== undefined) rp.status = status;
  const caps = parseCaps(presence);
  if (caps) rp.caps = caps;
  const idleSince = parseIdleSince(presence);
  if (idleSince !== undefined) rp.idleSince = idleSince;
  return rp;
}
