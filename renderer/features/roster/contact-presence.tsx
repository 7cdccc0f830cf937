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

/** One contact's presence, selected narrowly: re-renders only when that contact's best resource changes. */
export function usePresenceInfo(jid: string): PresenceInfo {
  const { t } = useTranslation();
  const best = useFlint((s) => s.presence.byJid[jid]?.best);
  const awaiting = useFlint((s) => s.roster.contacts[jid]?.ask === true);
  const kind: PresenceKind = best ? best.show : awaiting ? 'pending' : 'offline';
  return { kind, text: t(`presence.${kind}`), status: best?.status };
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
