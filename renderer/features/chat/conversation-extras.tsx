// Issue 5 pieces around a conversation: the typing line, the header actions (export, mute) and
// the total-unread report to main (taskbar/dock badge, tray tooltip).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { useFlint } from '../../store/store';
import { useChatActions } from './chat-actions';

const NOBODY: readonly string[] = [];

/** "<name> is typing…" while any of the peer's resources composes; a polite live region. */
export function TypingIndicator({ peer, name }: { peer: string; name: string }) {
  const { t } = useTranslation();
  const typing = useFlint((s) => s.chatStatus.typing[peer] ?? NOBODY);
  return (
    <p className="chat__typing" role="status">
      {typing.length > 0 ? t('talk.typing', { name }) : ''}
    </p>
  );
}

/** A file name from the peer's JID: letters, digits, dot, dash, underscore and @ only. */
export function exportFileName(peer: string, format: 'text' | 'html'): string {
  return `flint-${peer.replace(/[^\p{L}\p{N}._@-]+/gu, '_').slice(0, 100)}.${format === 'html' ? 'html' : 'txt'}`;
}

export function ConversationActions({ peer }: { peer: string }) {
  const { t } = useTranslation();
  const actions = useChatActions();
  const muted = useFlint((s) => s.chatStatus.muted.has(peer));
  const [error, setError] = useState<string | null>(null);

  const exportIt = async () => {
    setError(null);
    try {
      const text = await actions.exportConversation(peer, 'text');
      // A Blob download works in Electron and in web mode alike; nothing is sent anywhere.
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(peer, 'text');
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(t('talk.exportFailed', { detail: err instanceof Error ? err.message : String(err) }));
    }
  };

  return (
    <div className="chat__actions">
      <Button size="small" variant="ghost" aria-pressed={muted} onClick={() => void actions.setMuted(peer, !muted).catch(() => {})}>
        {t('talk.mute')}
      </Button>
      <Button size="small" variant="ghost" onClick={() => void exportIt()}>
        {t('talk.export')}
      </Button>
      {error ? (
        <p className="chat__actions-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Tells main the total unread count whenever it changes (including to zero). */
export function UnreadReporter() {
  const actions = useChatActions();
  const total = useFlint((s) => {
    let n = 0;
    for (const c of Object.values(s.conversations.byPeer)) n += c.unread;
    return n;
  });
  useEffect(() => {
    actions.setUnread(total);
  }, [actions, total]);
  return null;
}
