// The message box: Enter sends, Shift+Enter starts a new line, and Enter while an input method
// is composing (pinyin, kana…) confirms the composition instead of sending.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { useFlint } from '../../store/store';
import { useSession } from '../app/session-context';

export function Composer({ peer }: { peer: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const draft = useFlint((s) => s.conversations.drafts[peer] ?? '');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useEffect(() => {
    const focusIfAsked = () => {
      if (session.takeComposerFocus(peer)) ref.current?.focus();
    };
    focusIfAsked();
    return session.onComposerFocusRequest(focusIfAsked);
  }, [session, peer]);

  const send = async () => {
    const body = draft;
    if (body.trim() === '') return;
    setError(null);
    // Clear first so fast typists can go on; the text comes back if sending fails.
    session.setDraft(peer, '');
    try {
      await session.send(peer, body);
    } catch (err) {
      session.setDraft(peer, body);
      setError(t('chat.sendFailed', { detail: err instanceof Error ? err.message : String(err) }));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
    // keyCode 229: the key went to an input method (older Chromium reports isComposing late).
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void send();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send();
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={`${id}-text`} className="sr-only">
        {t('chat.message')}
      </label>
      <textarea
        ref={ref}
        id={`${id}-text`}
        className="composer__input"
        rows={1}
        value={draft}
        placeholder={t('chat.messagePlaceholder')}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(e) => session.setDraft(peer, e.target.value)}
        onKeyDown={onKeyDown}
      />
      <Button type="submit" variant="primary" disabled={draft.trim() === ''}>
        {t('chat.send')}
      </Button>
      <p id={`${id}-hint`} className="sr-only">
        {t('chat.composerHint')}
      </p>
      {error ? (
        <p id={`${id}-error`} className="composer__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
