import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PresenceDot, type PresenceKind } from '../../ui/presence-dot';
import { useFlint } from '../../store/store';

export interface PresenceInfo {
  kind: PresenceKind;
  /** The presence in words ("Away"). */
  text: string;
  /** The contact's own status message, if any. */
  status: string | undefined;
}

/**
 * Whether we may see their presence (RFC 6121 §3): 'pending' — we asked, no answer yet;
 * 'none' — we are not subscribed to them ('none' or 'from' without a request), so "offline"
 * would be a guess; 'yes' — subscription 'to' or 'both' (or not in the roster).
 */
export type Visibility = 'yes' | 'pending' | 'none';

function visibilityOf(c: { subscription: string; ask?: boolean } | undefined): Visibility {
  if (!c) return 'yes';
  if (c.ask) return 'pending';
  return c.subscription === 'to' || c.subscription === 'both' ? 'yes' : 'none';
}

/** One contact's presence, selected narrowly: re-renders only when that contact's best resource changes. */
export function usePresenceInfo(jid: string): PresenceInfo {
  const { t } = useTranslation();
  const best = useFlint((s) => s.presence.byJid.get(jid)?.best);
  const visibility = useFlint((s) => visibilityOf(s.roster.contacts[jid]));
  const kind: PresenceKind = best ? best.show : visibility === 'pending' ? 'pending' : 'offline';
  // Issue 4: a contact who does not share their presence with us is not "offline".
  const notShared = !best && visibility === 'none';
  const text = useMemo(() => (notShared ? t('contacts.row.notShared') : t(`presence.${kind}`)), [t, notShared, kind]);
  return { kind, text, status: best?.status };
}

/** "● Away — at lunch" under a conversation's title. */
export function ContactPresenceLine({ jid }: { jid: string }) {
  const p = usePresenceInfo(jid);
  return (
    <p className="presence-line">
      <PresenceDot kind={p.kind} />
      <span>{p.text}</span>
      {p.status ? <span className="presence-line__status">— {p.status}</span> : null}
    </p>
  );
}
