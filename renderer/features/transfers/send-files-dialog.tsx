// The confirmation before files from the page are sent: each name and size, the total, an
// optional description, and how to send (automatic unless the user prefers a method). Folders and
// files over the staging limit are listed as not sendable, with the reason.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_STAGE_FILE_BYTES } from '../../../shared/ipc/transfer-contract';
import { Button } from '../../ui/button';
import { Dialog } from '../../ui/dialog';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { formatBytes } from './format';
import type { SendMethod, SendOptions } from './transfer-actions';

export interface OfferedFiles {
  files: File[];
  /** Names of dropped folders (not sendable). */
  folders: string[];
}

const METHODS: SendMethod[] = ['auto', 'upload', 'jingle', 'si'];

export function SendFilesDialog({ offered, peerName, onSend, onClose }: { offered: OfferedFiles; peerName: string; onSend(files: File[], opts: SendOptions): void; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [desc, setDesc] = useState('');
  const [method, setMethod] = useState<SendMethod>('auto');
  const sendRef = useRef<HTMLButtonElement>(null);
  const sendable = offered.files.filter((f) => f.size <= MAX_STAGE_FILE_BYTES);
  const tooLarge = offered.files.filter((f) => f.size > MAX_STAGE_FILE_BYTES);
  const total = sendable.reduce((n, f) => n + f.size, 0);
  const count = Math.max(1, offered.files.length);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (sendable.length === 0) return;
    onSend(sendable, { method, desc });
  };

  return (
    <Dialog title={t('transfers.confirm.title', { count, name: peerName })} onClose={onClose} initialFocus={sendable.length > 0 ? sendRef : undefined} className="dialog--wide">
      <form onSubmit={submit} noValidate className="dialog__form send-files">
        <ul className="send-files__list" aria-label={t('transfers.confirm.files')}>
          {sendable.map((f, i) => (
            <li key={i} className="send-files__item">
              <span className="send-files__name">{f.name}</span>
              <span className="send-files__size">{formatBytes(f.size, lng)}</span>
            </li>
          ))}
        </ul>
        {sendable.length > 1 ? <p className="send-files__total">{t('transfers.confirm.total', { size: formatBytes(total, lng) })}</p> : null}
        {tooLarge.map((f, i) => (
          <p key={`big-${i}`} className="send-files__problem">
            {t('transfers.confirm.tooLarge', { name: f.name, limit: formatBytes(MAX_STAGE_FILE_BYTES, lng) })}
          </p>
        ))}
        {offered.folders.map((name, i) => (
          <p key={`dir-${i}`} className="send-files__problem">
            {t('transfers.confirm.folder', { name })}
          </p>
        ))}
        {sendable.length === 0 ? (
          <p className="dialog__error" role="alert">
            {t('transfers.confirm.nothing')}
          </p>
        ) : (
          <>
            <TextField label={t('transfers.confirm.desc')} value={desc} onChange={setDesc} hint={t('transfers.confirm.descHint', { name: peerName })} maxLength={4096} autoComplete="off" />
            <SelectField<SendMethod> label={t('transfers.confirm.method')} value={method} options={METHODS.map((m) => ({ value: m, label: t(`transfers.confirm.methods.${m}`) }))} onChange={setMethod} />
          </>
        )}
        <div className="dialog__actions">
          <Button onClick={onClose}>{t('transfers.confirm.cancel')}</Button>
          <Button ref={sendRef} type="submit" variant="primary" disabled={sendable.length === 0}>
            {t('transfers.confirm.send')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
