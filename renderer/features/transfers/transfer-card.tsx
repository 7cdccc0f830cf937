// One transfer as a card: in the conversation (among the messages) and in the transfers panel.
// Everything the peer chose (file name, description, type) is rendered as text. Buttons carry the
// file name in their accessible name ("Accept report.pdf") so several offers stay distinguishable.
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferInfo } from '../../../shared/transfer';
import { FINAL_STATES } from '../../../shared/transfer';
import type { StagingEntry } from '../../store/transfers';
import { displayName } from '../../store/roster-rows';
import { getState, useFlint } from '../../store/store';
import { Button } from '../../ui/button';
import { VisuallyHidden } from '../../ui/visually-hidden';
import { extensionOf, formatBytes, percentOf } from './format';
import { SaveAsDialog } from './save-as-dialog';
import { useTransferActions } from './transfer-actions';
import { amountText, attemptLines, errorDetail, errorLine, kindText, methodLine, progressLine, stateLine, valueText } from './transfer-text';
import { useTransfer } from './use-transfer';
import './transfers.css';
import { errorText } from '../../../shared/error-text';

/** The contact's name as the roster shows it, else the JID. */
export function usePeerName(peer: string): string {
  return useFlint((s) => {
    const c = s.roster.contacts[peer];
    return c ? displayName(c) : peer;
  });
}

function FileBadge({ name }: { name: string }) {
  const ext = extensionOf(name).slice(0, 4).toUpperCase();
  return (
    <span className="transfer__file" aria-hidden="true">
      {ext || '···'}
    </span>
  );
}

function ProgressBar({ label, bytes, size, lng, tone }: { label: string; bytes: number; size: number | undefined; lng: string; tone?: 'done' | 'failed' }) {
  const { t } = useTranslation();
  const percent = percentOf(bytes, size);
  return (
    <div
      className={`transfer__bar${tone ? ` transfer__bar--${tone}` : ''}${percent === undefined ? ' transfer__bar--indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText(t, bytes, size, lng)}
    >
      <span className="transfer__bar-fill" style={percent === undefined ? undefined : { width: `${percent}%` }} />
    </div>
  );
}

/** A button whose accessible name is its visible label followed by the file name. */
function ActionButton({ label, file, ...rest }: { label: string; file: string; variant?: 'primary' | 'secondary' | 'danger' | 'ghost'; disabled?: boolean; onClick(): void }) {
  return (
    <Button size="small" {...rest}>
      {label}
      <VisuallyHidden> {file}</VisuallyHidden>
    </Button>
  );
}

const SHOWS_BAR: ReadonlySet<TransferInfo['state']> = new Set(['connecting', 'transferring', 'done', 'failed', 'cancelled']);

export const TransferCard = memo(function TransferCard({ id }: { id: string }) {
  const info = useTransfer(id);
  return info ? <TransferCardView info={info} /> : null;
});

function TransferCardView({ info }: { info: TransferInfo }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const actions = useTransferActions();
  const peerName = usePeerName(info.peer);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [saveAsOpen, setSaveAsOpen] = useState(false);
  const [copied, setCopied] = useState(false);
  const final = FINAL_STATES.has(info.state);

  const run = (fn: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    fn().then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setActionError(t('transfers.actionFailed', { detail: errorText(err) }));
      },
    );
  };

  const saveAs = () => {
    if (getState().transfers.settings?.nativeDialogs) run(() => actions.saveAs(info.id));
    else setSaveAsOpen(true);
  };

  const copyLink = () => {
    if (!info.url) return;
    run(async () => {
      await navigator.clipboard.writeText(info.url!);
      setCopied(true);
    });
  };

  const error = errorLine(t, info, peerName);
  const detail = info.state === 'failed' ? errorDetail(t, info) : null;
  const method = methodLine(t, info);
  const attempts = attemptLines(t, info);
  const size = info.size === undefined ? t('transfers.sizeUnknown') : formatBytes(info.size, lng);
  const tone = info.state === 'done' ? 'done' : final ? 'failed' : undefined;

  return (
    <li className={`transfer transfer--${info.direction} transfer--${info.state}`}>
      <FileBadge name={info.name} />
      <div className="transfer__body">
        <p className="transfer__headline">
          <span aria-hidden="true" className="transfer__arrow">
            {info.direction === 'out' ? '↑' : '↓'}
          </span>{' '}
          {stateLine(t, info, peerName)}
        </p>
        <p className="transfer__name">{info.name}</p>
        <p className="transfer__meta">
          {size} · {kindText(t, info.name, info.mediaType)}
        </p>
        {info.desc ? <p className="transfer__desc">{info.desc}</p> : null}
        {SHOWS_BAR.has(info.state) ? (
          <>
            <ProgressBar label={t(`transfers.progressName.${info.direction}`, { name: info.name })} bytes={info.bytes} size={info.size} lng={lng} tone={tone} />
            <p className="transfer__progress">{progressLine(t, info, lng)}</p>
          </>
        ) : null}
        {method ? <p className="transfer__method">{method}</p> : null}
        {info.state === 'done' && info.direction === 'in' && info.path ? <p className="transfer__detail">{t('transfers.savedTo', { path: info.path })}</p> : null}
        {attempts.map((a, i) => (
          <p key={i} className="transfer__attempt">
            {a}
          </p>
        ))}
        {error ? <p className="transfer__error">{error}</p> : null}
        {detail ? <p className="transfer__detail">{detail}</p> : null}
        <div className="transfer__actions">
          {info.state === 'offered' && info.direction === 'in' ? (
            <>
              <ActionButton label={t('transfers.actions.accept')} file={info.name} variant="primary" disabled={busy} onClick={() => run(() => actions.accept(info.id))} />
              <ActionButton label={t('transfers.actions.saveAs')} file={info.name} disabled={busy} onClick={saveAs} />
              <ActionButton label={t('transfers.actions.decline')} file={info.name} variant="ghost" disabled={busy} onClick={() => run(() => actions.decline(info.id))} />
            </>
          ) : null}
          {!final && info.state !== 'offered' ? <ActionButton label={t('transfers.actions.cancel')} file={info.name} disabled={busy} onClick={() => run(() => actions.cancel(info.id))} /> : null}
          {info.state === 'done' && info.direction === 'in' ? (
            <>
              <ActionButton label={t('transfers.actions.open')} file={info.name} variant="primary" disabled={busy} onClick={() => run(() => actions.open(info.id))} />
              <ActionButton label={t('transfers.actions.showInFolder')} file={info.name} disabled={busy} onClick={() => run(() => actions.showInFolder(info.id))} />
            </>
          ) : null}
          {info.state === 'done' && info.url ? <ActionButton label={t('transfers.actions.copyLink')} file={info.name} disabled={busy} onClick={copyLink} /> : null}
          {copied ? (
            <span className="transfer__note" role="status">
              {t('transfers.linkCopied')}
            </span>
          ) : null}
        </div>
        {actionError ? (
          <p className="transfer__error" role="alert">
            {actionError}
          </p>
        ) : null}
      </div>
      {saveAsOpen ? <SaveAsDialog transfer={info} peerName={peerName} onClose={() => setSaveAsOpen(false)} /> : null}
    </li>
  );
}

/** A file still streaming to main ("Preparing…"), or one that could not be prepared. */
export const StagingCard = memo(function StagingCard({ entry }: { entry: StagingEntry }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const actions = useTransferActions();
  const peerName = usePeerName(entry.peer);
  const failed = entry.error !== undefined;
  return (
    <li className={`transfer transfer--out transfer--staging${failed ? ' transfer--failed' : ''}`}>
      <FileBadge name={entry.name} />
      <div className="transfer__body">
        <p className="transfer__headline">
          <span aria-hidden="true" className="transfer__arrow">
            ↑
          </span>{' '}
          {failed ? t('transfers.state.prepareFailed', { peer: peerName }) : t('transfers.state.preparing', { peer: peerName })}
        </p>
        <p className="transfer__name">{entry.name}</p>
        {failed ? (
          <p className="transfer__error">{entry.error}</p>
        ) : (
          <>
            <ProgressBar label={t('transfers.progressName.staging', { name: entry.name })} bytes={entry.bytes} size={entry.size} lng={lng} />
            <p className="transfer__progress">{amountText(t, entry.bytes, entry.size, lng)}</p>
          </>
        )}
        <div className="transfer__actions">
          {failed ? (
            <ActionButton label={t('transfers.actions.dismiss')} file={entry.name} onClick={() => actions.dismissStaging(entry.key)} />
          ) : (
            <ActionButton label={t('transfers.actions.cancel')} file={entry.name} onClick={() => actions.cancelStaging(entry.key)} />
          )}
        </div>
      </div>
    </li>
  );
});

/** A staging card that selects its own entry (the conversation holds only the keys). */
export const StagingCardByKey = memo(function StagingCardByKey({ stagingKey }: { stagingKey: string }) {
  const entry = useFlint((s) => s.transfers.staging.find((e) => e.key === stagingKey));
  return entry ? <StagingCard entry={entry} /> : null;
});
