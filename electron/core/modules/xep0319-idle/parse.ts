// XEP-0012 §3–§5: a jabber:iq:last answer → seconds (and the status text a bare-JID answer may carry).
import type { XmlElement } from '../../xml/element';

export const LAST_NS = 'jabber:iq:last';

export interface LastActivity {
  /** Seconds idle (full JID), since logout (bare JID of an offline user), or up (a server). */
  seconds: number;
  /** §4: the status of the user's last unavailable presence, when the server keeps it. */
  status?: string;
}

/** undefined when the answer has no usable seconds (missing, negative, not an integer). */
export function parseLastActivity(query: XmlElement | undefined): LastActivity | undefined {
  const s = query?.attr('seconds')?.trim();
  if (s === undefined || !/^\d{1,12}$/.test(s)) return undefined;
  const status = query!.text().trim();
  return { seconds: Number(s), ...(status ? { status } : {}) };
}
