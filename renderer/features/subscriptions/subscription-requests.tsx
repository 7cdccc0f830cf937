// Incoming subscription requests, at the top of the contact list where they cannot be missed —
// all in one panel however many arrive (a list that scrolls, with "Accept all" / "Deny all" when
// there are several). Per request (RFC 6121 §3.1.4): Accept (they may see our status), Accept and
// add (we ask for theirs too), Deny, Block (deny, then XEP-0191 block so they cannot ask again).
// Nothing is ever accepted automatically.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFlint } from '../../store/store';
import type { SubscriptionRequest } from '../../store/subscriptions';
import { Button } from '../../ui/button';
import { useSession } from '../app/session-context';
import { answerRequest, type SubscriptionAnswer } from '../contacts/contact-actions';
import './subscriptions.css';
import { errorText } from '../../../shared/error-text';

export function SubscriptionRequests() {
  const { t } = useTranslation();
  const session = useSession();
  const pending = useFlint((s) => s.subscriptions.pending);
  const [busyAll, setBusyAll] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (pending.length === 0) return null;

  const answerAll = async (answer: SubscriptionAnswer) => {
    setBusyAll(true);
    setError(null);
    try {
      for (const r of [...pending]) await answerRequest(session.api, r.from, answer);
    } catch (err) {
      setError(t('errors.command', { detail: errorText(err) }));
    } finally {
      setBusyAll(false);
    }
  };

  return (
    <section className="subs" aria-label={t('subscriptions.label')}>
      <div className="subs__head">
        <h2 className="subs__title">{t('requests.title', { count: pending.length })}</h2>
        {pending.length > 1 ? (
          <div className="subs__all">
            <Button size="small" variant="primary" disabled={busyAll} onClick={() => void answerAll('acceptAndAdd')}>
              {t('requests.acceptAll')}
            </Button>
            <Button size="small" disabled={busyAll} onClick={() => void answerAll('deny')}>
              {t('requests.denyAll')}
            </Button>
          </div>
        ) : null}
      </div>
      {error ? (
        <p className="subs__error" role="alert">
          {error}
        </p>
      ) : null}
      <ul className="subs__list">
        {pending.map((r) => (
          <RequestItem key={r.from} request={r} disabled={busyAll} />
        ))}
      </ul>
    </section>
  );
}

function RequestItem({ request, disabled }: { request: SubscriptionRequest; disabled: boolean }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const who = request.nick && request.nick.trim() !== '' ? `${request.nick} (${request.from})` : request.from;

  const answer = async (a: SubscriptionAnswer) => {
    setBusy(true);
    setError(null);
    try {
      await answerRequest(session.api, request.from, a);
    } catch (err) {
      setError(t('errors.command', { detail: errorText(err) }));
      setBusy(false);
    }
  };
  const off = busy || disabled;

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
        <Button size="small" variant="primary" disabled={off} aria-label={t('requests.acceptAndAddLabel', { jid: request.from })} title={t('requests.acceptAndAddHint')} onClick={() => void answer('acceptAndAdd')}>
          {t('requests.acceptAndAdd')}
        </Button>
        <Button size="small" disabled={off} aria-label={t('subscriptions.acceptLabel', { jid: request.from })} title={t('requests.acceptHint')} onClick={() => void answer('accept')}>
          {t('subscriptions.accept')}
        </Button>
        <Button size="small" disabled={off} aria-label={t('subscriptions.denyLabel', { jid: request.from })} onClick={() => void answer('deny')}>
          {t('subscriptions.deny')}
        </Button>
        <Button size="small" variant="ghost" disabled={off} aria-label={t('requests.blockLabel', { jid: request.from })} title={t('requests.blockHint')} onClick={() => void answer('block')}>
          {t('requests.block')}
        </Button>
      </div>
    </li>
  );
}
