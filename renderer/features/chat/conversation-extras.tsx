// Issue 5 pieces around a conversation: the typing line, the header actions (export, mute) and
// the total-unread report to main (taskbar/dock badge, tray tooltip).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Menu } from '../../ui/menu';
import { getState } from '../../store/store';
import { useTransferActions } from '../transfers/transfer-actions';
import { useFlint } from '../../store/store';
import { exportFileName } from '../../../shared/export-name';
import { useChatActions } from './chat-actions';
import { errorText } from '../../../shared/error-text';

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

export function ConversationActions({ peer }: { peer: string }) {
  const { t } = useTranslation();
  const actions = useChatActions();
  const muted = useFlint((s) => s.chatStatus.muted.has(peer));
  const transfers = useTransferActions();
  const [error, setError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const exportButton = useRef<HTMLButtonElement>(null);

  const exportIt = async (format: 'text' | 'html') => {
    setError(null);
    try {
      // The desktop app cannot download from the page (main refuses every download): main asks
      // where to save with its own dialog and writes the file. In the browser, a Blob download.
      let nativeDialogs = getState().transfers.settings?.nativeDialogs;
      if (nativeDialogs === undefined) nativeDialogs = await transfers.loadSettings().then((st) => st.nativeDialogs, () => false);
      if (nativeDialogs) {
        await actions.saveExport(peer, format);
        return;
      }
      const text = await actions.exportConversation(peer, format);
      const url = URL.createObjectURL(new Blob([text], { type: format === 'html' ? 'text/html;charset=utf-8' : 'text/plain;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(peer, format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(t('talk.exportFailed', { detail: errorText(err) }));
    }
  };

  return (
    <div className="chat__actions">
      <Button size="small" variant="ghost" aria-pressed={muted} onClick={() => void actions.setMuted(peer, !muted).catch(() => {})}>
        {t('talk.mute')}
      </Button>
      <Button ref={exportButton} size="small" variant="ghost" aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen(true)}>
        {t('talk.export')}
      </Button>
      {menuOpen && exportButton.current ? (
        <Menu
          label={t('talk.exportMenu')}
          anchor={exportButton.current}
          returnFocus={exportButton.current}
          onClose={() => setMenuOpen(false)}
          entries={[
            { id: 'text', label: t('talk.exportText'), onSelect: () => void exportIt('text') },
            { id: 'html', label: t('talk.exportHtml'), onSelect: () => void exportIt('html') },
          ]}
        />
      ) : null}
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
