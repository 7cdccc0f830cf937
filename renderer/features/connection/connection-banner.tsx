// What is wrong with the connection, at the top of the main view: connecting, reconnecting (with
// a countdown to the next attempt and "Reconnect now"), offline or failed with the reason, and
// lost contact with the Flint service itself (web mode). Silent when all is well.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../../shared/domain';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { useSession } from '../app/session-context';
import { useTransport } from '../app/use-transport';
import { isKnownCode } from '../login/login-errors';
import './connection.css';

/** Re-render every `ms` while `active`; returns the current time. */
function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const h = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(h);
  }, [active, ms]);
  return now;
}

export function secondsUntil(retryAt: number | undefined, now: number): number {
  return retryAt === undefined ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
}

export function ConnectionBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const transport = useTransport();
  const state: ConnectionState = useFlint((s) => s.connection.state);
  const now = useNow(state.status === 'reconnecting' && state.retryAt !== undefined);

  let tone: 'info' | 'warning' | 'error' = 'info';
  let announced = '';
  let visible = '';
  let reconnect = false;
  if (transport === 'lost') {
    tone = 'error';
    announced = visible = t('app.bridgeLost');
  } else if (state.status === 'connecting') {
    announced = visible = t('banner.connecting');
  } else if (state.status === 'authenticating') {
    announced = visible = t('banner.authenticating');
  } else if (state.status === 'reconnecting') {
    tone = 'warning';
    reconnect = true;
    const secs = secondsUntil(state.retryAt, now);
    // The live region gets the sentence once; the ticking countdown is for the eyes only.
    announced = t('banner.reconnecting');
    visible = secs > 0 ? t('banner.reconnectingIn', { count: secs }) : announced;
  } else if (state.status === 'failed') {
    tone = 'error';
    reconnect = true;
    const e = state.error;
    const reason = e ? (isKnownCode(e.code) ? t(`errors.${e.code}`, { detail: e.message }) : t('errors.unknown', { detail: e.message })) : '';
    announced = visible = t('banner.failed', { reason });
  } else if (state.status === 'offline') {
    tone = 'warning';
    reconnect = true;
    announced = visible = t('banner.offline');
  }

  return (
    <div className={visible ? `banner banner--${tone}` : 'banner banner--hidden'}>
      <div role="status" aria-label={t('banner.label')} className="banner__text">
        <span className="sr-only">{announced}</span>
        <span aria-hidden="true">{visible}</span>
      </div>
      {reconnect && transport !== 'lost' ? (
        <Button size="small" variant={tone === 'error' ? 'danger' : 'secondary'} onClick={() => void session.reconnectNow().catch(() => {})}>
          {t('banner.reconnectNow')}
        </Button>
      ) : null}
    </div>
  );
}
