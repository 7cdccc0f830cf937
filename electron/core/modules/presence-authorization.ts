// Who may learn that we are online. Delivery receipts (XEP-0184, Security Considerations) and
// chat markers (XEP-0333, Security Considerations) reveal it, so they go only to entities
// "authorized to view [our] presence": a roster contact whose subscription is 'from' or 'both'
// (RFC 6121 §2.1.2.5), or our own account.
import type { ModuleContext } from '../module';
import { bareJid, sameBareJid, tryParseJid } from '../../../shared/jid';
import type { RosterApi } from './rfc6121-roster';

export function mayKnowOurPresence(ctx: ModuleContext, jid: string): boolean {
  const parsed = tryParseJid(jid);
  if (!parsed) return false;
  if (sameBareJid(parsed, ctx.bareJid)) return true;
  let roster: RosterApi;
  try {
    roster = ctx.module<RosterApi>('rfc6121-roster');
  } catch {
    return false; // no roster, no authorization: fail closed
  }
  const bare = bareJid(parsed);
  // Per receipt and marker: a lookup, not a scan of a 10,000-contact roster.
  const contact = roster.get(bare);
  return contact?.subscription === 'from' || contact?.subscription === 'both';
}
