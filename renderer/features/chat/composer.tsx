// The message box: Enter sends, Shift+Enter starts a new line, and Enter while an input method
// is composing (pinyin, kana…) confirms the composition instead of sending.
// Issue 5: our chat state goes out debounced as we type (typing-notifier.ts); Up in an empty box
// (or the Edit action on our last message) edits our last message — Enter saves the correction,
// Escape cancels.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/domain';
import { Button } from '../../ui/button';
import { getState, useFlint } from '../../store/store';
import { useSession } from '../app/session-context';
import { useChatActions } from './chat-actions';
import { TypingNotifier } from './typing-notifier';
// Issue 6: "Send file".
import { SendFileButton } from '../transfers/send-file-button';
import { errorText } from '../../../shared/error-text';

export interface ComposerProps {
  peer: string;
  /** The message being corrected, when in edit mode. */
  editing: ChatMessage | null;
  onEditStart(message: ChatMessage): void;
  onEditEnd(): void;
  /** Issue 6: files picked with "Send file" in the page (confirmed, then sent). */
  onFiles(files: File[]): void;
}

/** Our last message in the conversation that can still be corrected. */
export function lastEditable(messages: readonly ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.direction === 'out') return m.state === 'error' ? undefined : m;
  }
  return undefined;
}

export function Composer({ peer, editing, onEditStart, onEditEnd, onFiles }: ComposerProps) {
  const { t } = useTranslation();
  const session = useSession();
  const actions = useChatActions();
  const draft = useFlint((s) => s.conversations.drafts[peer] ?? '');
  const [editText, setEditText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  const typing = useRef<TypingNotifier | null>(null);

  useEffect(() => {
    const notifier = new TypingNotifier((state) => actions.setChatState(peer, state));
    typing.current = notifier;
    return () => {
      notifier.dispose();
      typing.current = null;
    };
  }, [actions, peer]);

  useEffect(() => {
    const focusIfAsked = () => {
      if (session.takeComposerFocus(peer)) ref.current?.focus();
    };
    focusIfAsked();
    return session.onComposerFocusRequest(focusIfAsked);
  }, [session, peer]);

  useEffect(() => {
    if (!editing) return;
    setEditText(editing.body);
    setError(null);
    const el = ref.current;
    if (el) {
      el.focus();
      // Caret at the end, as when one starts editing by hand.
      requestAnimationFrame(() => el.setSelectionRange(el.value.length, el.value.length));
    }
  }, [editing]);

  const value = editing ? editText : draft;

  const send = async () => {
    if (editing) {
      const body = editText;
      if (body.trim() === '') return;
      setError(null);
      try {
        if (body !== editing.body) await actions.correct(editing.id, body);
        onEditEnd();
      } catch (err) {
        setError(t('talk.editFailed', { detail: errorText(err) }));
      }
      return;
    }
    const body = draft;
    if (body.trim() === '') return;
    setError(null);
    // Clear first so fast typists can go on; the text comes back if sending fails.
    session.setDraft(peer, '');
    typing.current?.sent();
    try {
      await session.send(peer, body);
    } catch (err) {
      session.setDraft(peer, body);
      setError(t('chat.sendFailed', { detail: errorText(err) }));
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape' && editing) {
      e.preventDefault();
      onEditEnd();
      return;
    }
    if (e.key === 'ArrowUp' && !editing && draft === '' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      const last = lastEditable(getState().conversations.byPeer[peer]?.messages ?? []);
      if (last) {
        e.preventDefault();
        onEditStart(last);
      }
      return;
    }
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
    <form className={`composer${editing ? ' composer--editing' : ''}`} onSubmit={onSubmit}>
      {editing ? (
        <p id={`${id}-editing`} className="composer__editing">
          {t('talk.editing')}{' '}
          <Button variant="ghost" size="small" onClick={onEditEnd}>
            {t('talk.cancelEdit')}
          </Button>
        </p>
      ) : null}
      {editing ? null : <SendFileButton peer={peer} onFiles={onFiles} />}
      <label htmlFor={`${id}-text`} className="sr-only">
        {t('chat.message')}
      </label>
      <textarea
        ref={ref}
        id={`${id}-text`}
        className="composer__input"
        rows={1}
        value={value}
        placeholder={t('chat.messagePlaceholder')}
        aria-describedby={`${id}-hint${editing ? ` ${id}-editing` : ''}${error ? ` ${id}-error` : ''}`}
        onChange={(e) => {
          if (editing) setEditText(e.target.value);
          else {
            session.setDraft(peer, e.target.value);
            typing.current?.input(e.target.value);
          }
        }}
        onKeyDown={onKeyDown}
      />
      <Button type="submit" variant="primary" disabled={value.trim() === ''}>
        {editing ? t('talk.save') : t('chat.send')}
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
