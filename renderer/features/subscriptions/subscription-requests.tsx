// Incoming subscription requests, at the top of the contact list where they cannot be missed:
// "alice@… wants to add you as a contact." with Accept / Deny (subscription.answer).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFlint } from '../../store/store';
import type { SubscriptionRequest } from '../../store/subscriptions';
import { Button } from '../../ui/button';
import { useSession } from '../app/session-context';
import './subscriptions.css';

export function SubscriptionRequests() {
  const { t } = useTranslation();
  const pending = useFlint((s) => s.subscriptions.pending);
  if (pending.length === 0) return null;
  return (
    <section className="subs" aria-label={t('subscriptions.label')}>
      <ul className="subs__list">
        {pending.map((r) => (
          <RequestItem key={r.from} request={r} />
        ))}
      </ul>
    </section>
  );
}

function RequestItem({ request }: { request: SubscriptionRequest }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who = request.nick && request.nick.trim() !== '' ? `${request.nick} (${request.from})` : request.from;

  const answer = async (accept: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await session.answerSubscription(request.from, accept);
    } catch (err) {
      setError(t('errors.command', { detail: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  };

  return (
    <li className="subs__item">
      <p className="subs__text">{t('subscriptions.wants', { who })}</p>
      {request.status ? <p className="subs__status">“{request.status}”</p> : null}
      {error ? (
        <p className="subs__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="subs__actions">
        <Button size="small" variant="primary" disabled={busy} aria-label={t('subscriptions.acceptLabel', { jid: request.from })} onClick={() => void answer(true)}>
          {t('subscriptions.accept')}
        </Button>
        <Button size="small" disabled={busy} aria-label={t('subscriptions.denyLabel', { jid: request.from })} onClick={() => void answer(false)}>
          {t('subscriptions.deny')}
        </Button>
      </div>
    </li>
  );
}
