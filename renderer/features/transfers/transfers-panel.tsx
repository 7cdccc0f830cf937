// The transfers panel (beside the conversations) and its toolbar button. The panel lists every
// transfer of this session, newest first — offers waiting for an answer, files being prepared,
// running and finished transfers — with "Clear finished". Escape closes it and gives focus back to
// the button.
import { useEffect, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { selectTransferCounts } from '../../store/transfers';
import { useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { useTransferActions } from './transfer-actions';
import { StagingCard, TransferCard } from './transfer-card';
import './transfers.css';

function TransfersIcon() {
  return (
    <svg className="transfers-button__icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d="M7 4v13m0 0l-3.5-3.5M7 17l3.5-3.5M17 20V7m0 0l-3.5 3.5M17 7l3.5 3.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** "File transfers" with a count of offers waiting and transfers running (the words for screen readers). */
export function TransfersButton({ open, controls, onToggle, ref }: { open: boolean; controls: string | undefined; onToggle(): void; ref?: Ref<HTMLButtonElement> }) {
  const { t } = useTranslation();
  const offers = useFlint((s) => selectTransferCounts(s).offers);
  const active = useFlint((s) => selectTransferCounts(s).active);
  const count = offers + active;
  const counts = [offers > 0 ? t('transfers.offers', { count: offers }) : '', active > 0 ? t('transfers.active', { count: active }) : ''].filter(Boolean).join(t('contacts.row.separator'));
  const name = counts ? t('transfers.buttonWith', { counts }) : t('transfers.button');
  return (
    <Button
      ref={ref}
      variant="ghost"
      className={`transfers-button${offers > 0 ? ' transfers-button--offers' : ''}`}
      aria-label={name}
      aria-expanded={open}
      aria-controls={controls}
      title={name}
      onClick={onToggle}
    >
      <TransfersIcon />
      {count > 0 ? (
        <span className="badge transfers-button__badge" aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </Button>
  );
}

export function TransfersPanel({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useTranslation();
  const actions = useTransferActions();
  const order = useFlint((s) => s.transfers.order);
  const staging = useFlint((s) => s.transfers.staging);
  const finished = useFlint((s) => selectTransferCounts(s).finished + s.transfers.staging.filter((e) => e.error !== undefined).length);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const empty = order.length === 0 && staging.length === 0;
  return (
    <section
      id={id}
      className="transfers-panel"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        // A dialog inside the panel (Save as…) handles its own Escape.
        if (e.key === 'Escape' && !(e.target instanceof HTMLElement && e.target.closest('dialog'))) {
          e.preventDefault();
          onClose();
        }
      }}
    >
      <header className="transfers-panel__header">
        <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1} className="transfers-panel__title">
          {t('transfers.panel')}
        </h2>
        <Button
          size="small"
          disabled={finished === 0}
          onClick={() =>
            // The button turns disabled and would drop focus to the page: keep it in the panel.
            void actions.clearFinished().then(() => headingRef.current?.focus(), () => {})
          }
        >
          {t('transfers.clearFinished')}
        </Button>
        <Button size="small" variant="ghost" className="transfers-panel__close" title={t('transfers.close')} onClick={onClose}>
          <span aria-hidden="true">×</span>
          <span className="sr-only">{t('transfers.close')}</span>
        </Button>
      </header>
      {empty ? (
        <p className="transfers-panel__empty">{t('transfers.empty')}</p>
      ) : (
        <ul className="transfers-panel__list" aria-label={t('transfers.list')}>
          {[...staging].reverse().map((e) => (
            <StagingCard key={e.key} entry={e} />
          ))}
          {[...order].reverse().map((tid) => (
            <TransferCard key={tid} id={tid} />
          ))}
        </ul>
      )}
    </section>
  );
}
