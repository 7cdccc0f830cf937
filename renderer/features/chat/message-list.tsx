// The messages of one conversation, oldest first, in a role=log region (screen readers announce
// what is added). Keeps the view pinned to the newest message unless the user scrolled up.
import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/domain';
import { VisuallyHidden } from '../../ui/visually-hidden';
import { useFlint } from '../../store/store';
import { formatDay, formatTime, relativeDay } from './format';
import { MessageBody } from './message-body';
import { buildTimeline } from './timeline';

const NO_MESSAGES: readonly ChatMessage[] = [];
/** Within this many pixels of the bottom counts as "at the bottom". */
const STICK_PX = 80;

export function MessageList({ peer, peerName }: { peer: string; peerName: string }) {
  const { t, i18n } = useTranslation();
  const messages = useFlint((s) => s.conversations.byPeer[peer]?.messages ?? NO_MESSAGES);
  const timeline = useMemo(() => buildTimeline(messages), [messages]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [timeline]);

  const now = Date.now();
  const lng = i18n.language;
  return (
    <div
      ref={scrollRef}
      className="messages"
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
      }}
    >
      {messages.length === 0 ? <p className="messages__empty">{t('chat.noMessages')}</p> : null}
      <ol className="messages__list" role="log" aria-label={t('chat.log', { name: peerName })}>
        {timeline.map((e) => {
          if (e.kind === 'day') {
            const rel = relativeDay(e.timestamp, now);
            return (
              <li key={e.key} className="messages__day">
                <span>{rel === 'today' ? t('chat.today') : rel === 'yesterday' ? t('chat.yesterday') : formatDay(e.timestamp, lng)}</span>
              </li>
            );
          }
          return <MessageItem key={e.key} message={e.message} showSender={e.showSender} peerName={peerName} lng={lng} />;
        })}
      </ol>
    </div>
  );
}

const STATE_ICON: Record<ChatMessage['state'], string> = { pending: '🕓', sent: '✓', delivered: '✓✓', error: '!' };

const MessageItem = memo(function MessageItem({ message: m, showSender, peerName, lng }: { message: ChatMessage; showSender: boolean; peerName: string; lng: string }) {
  const { t } = useTranslation();
  const own = m.direction === 'out';
  const sender = own ? t('chat.you') : peerName;
  const time = formatTime(m.timestamp, lng);
  return (
    <li className={['msg', own ? 'msg--out' : 'msg--in', showSender ? 'msg--first' : '', m.state === 'error' ? 'msg--error' : ''].filter(Boolean).join(' ')}>
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
        {own ? (
          <span className={`msg__state msg__state--${m.state}`} title={t(`chat.state.${m.state}`)}>
            <span aria-hidden="true">{STATE_ICON[m.state]}</span>
            <VisuallyHidden>{t(`chat.state.${m.state}`)}</VisuallyHidden>
          </span>
        ) : null}
      </div>
      {m.state === 'error' ? <p className="msg__error">{t('chat.errorReason', { reason: m.error ?? t('chat.state.error') })}</p> : null}
    </li>
  );
});
