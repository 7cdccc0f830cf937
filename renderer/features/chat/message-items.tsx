// A conversation's rendered entries (message-list.tsx decides which): day separators, transfer
// cards and messages — each message with its sender and time, its styled body, its state (Sending /
// Sent / Delivered / Seen, failed with Retry), "edited", and Edit on our last one. Also drawn by the
// chat warm-up (warm-up.tsx).
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/domain';
import { errorText } from '../../../shared/error-text';
import { VisuallyHidden } from '../../ui/visually-hidden';
import { Button } from '../../ui/button';
import { domSafe } from '../../ui/dom-id';
import { useChatActions } from './chat-actions';
import { formatDay, formatTime, relativeDay } from './format';
import { MessageBody } from './message-body';
import type { TimelineEntry } from './timeline';
// Issue 6: transfer cards in the conversation.
import { TransferCard } from '../transfers/transfer-card';

export const messageDomId = (peer: string, id: string) => `msg-${domSafe(peer)}-${domSafe(id)}`;

export interface TimelineItemsProps {
  peer: string;
  peerName: string;
  entries: readonly TimelineEntry[];
  lng: string;
  /** Index into `entries` of the last message the peer displayed (our messages up to it show Seen), or -1. */
  seenAt: number;
  seenId?: string;
  /** A search hit being shown (highlighted). */
  focus?: string;
  /** Our last message (it carries Edit unless it failed). */
  lastOwnId?: string;
  onEdit(message: ChatMessage): void;
}

/** A conversation's rendered entries: day separators, transfer cards and messages (also drawn by the chat warm-up, warm-up.tsx). */
export function TimelineItems({ peer, peerName, entries, lng, seenAt, seenId, focus, lastOwnId, onEdit }: TimelineItemsProps) {
  const { t } = useTranslation();
  const now = Date.now();
  return entries.map((e, at) => {
    if (e.kind === 'day') {
      const rel = relativeDay(e.timestamp, now);
      return (
        <li key={e.key} className="messages__day">
          <span>{rel === 'today' ? t('chat.today') : rel === 'yesterday' ? t('chat.yesterday') : formatDay(e.timestamp, lng)}</span>
        </li>
      );
    }
    if (e.kind === 'transfer') return <TransferCard key={e.key} id={e.id} />;
    const m = e.message;
    return (
      <MessageItem
        key={e.key}
        peer={peer}
        message={m}
        showSender={e.showSender}
        peerName={peerName}
        lng={lng}
        seen={m.direction === 'out' && at <= seenAt}
        latestSeen={m.id === seenId}
        highlighted={focus === m.id}
        editable={m.id === lastOwnId && m.state !== 'error'}
        onEdit={onEdit}
      />
    );
  });
}

const STATE_ICON: Record<ChatMessage['state'], string> = { pending: '🕓', sent: '✓', delivered: '✓✓', error: '!' };

interface MessageItemProps {
  peer: string;
  message: ChatMessage;
  showSender: boolean;
  peerName: string;
  lng: string;
  seen: boolean;
  /** The message the peer's last displayed marker names: the word "Seen" is shown there only. */
  latestSeen: boolean;
  highlighted: boolean;
  editable: boolean;
  onEdit(message: ChatMessage): void;
}

const MessageItem = memo(function MessageItem({ peer, message: m, showSender, peerName, lng, seen, latestSeen, highlighted, editable, onEdit }: MessageItemProps) {
  const { t } = useTranslation();
  const actions = useChatActions();
  const [retryError, setRetryError] = useState<string | null>(null);
  // Here, not in the list's loop: escaping the id costs, and an item is rendered again only when it changes.
  const domId = useMemo(() => messageDomId(peer, m.id), [peer, m.id]);
  const own = m.direction === 'out';
  const sender = own ? t('chat.you') : peerName;
  const time = formatTime(m.timestamp, lng);
  // Seen only once it left: a displayed marker cannot overtake a message still queued or failed.
  const stateText = seen && (m.state === 'sent' || m.state === 'delivered') ? t('talk.seen') : t(`chat.state.${m.state}`);
  const classes = ['msg', own ? 'msg--out' : 'msg--in', showSender ? 'msg--first' : '', m.state === 'error' ? 'msg--error' : '', highlighted ? 'msg--highlight' : ''];
  return (
    <li id={domId} className={classes.filter(Boolean).join(' ')} aria-current={highlighted ? 'true' : undefined}>
      {showSender ? (
        <p className="msg__meta">
          <span className="msg__sender">{sender}</span> <time dateTime={new Date(m.timestamp).toISOString()}>{time}</time>
        </p>
      ) : (
        <VisuallyHidden>
          {sender} {time}
        </VisuallyHidden>
      )}
      <div className="msg__bubble">
        {m.subject ? <p className="msg__subject">{m.subject}</p> : null}
        <MessageBody body={m.body} />
        {m.correctedAt !== undefined ? <span className="msg__edited">{t('talk.edited')}</span> : null}
        {own ? (
          <span className={`msg__state msg__state--${seen ? 'seen' : m.state}`} title={stateText}>
            <span aria-hidden="true">{latestSeen && m.state !== 'error' && m.state !== 'pending' ? t('talk.seen') : STATE_ICON[m.state]}</span>
            <VisuallyHidden>{stateText}</VisuallyHidden>
          </span>
        ) : null}
      </div>
      {m.state === 'error' ? (
        <p className="msg__error">
          {t('chat.errorReason', { reason: m.error ?? t('chat.state.error') })}{' '}
          <Button
            variant="ghost"
            size="small"
            onClick={() => {
              setRetryError(null);
              actions.retry(m.id).catch((err: unknown) => setRetryError(t('talk.retryFailed', { detail: errorText(err) })));
            }}
          >
            {t('talk.retry')}
          </Button>
          {retryError ? <span role="alert"> {retryError}</span> : null}
        </p>
      ) : null}
      {editable ? (
        <Button variant="ghost" size="small" className="msg__action" aria-label={t('talk.editMessage')} onClick={() => onEdit(m)}>
          {t('talk.edit')}
        </Button>
      ) : null}
    </li>
  );
});
