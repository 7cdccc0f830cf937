// "Save as…" without native dialogs (the browser bridge): the folder (the download folder to start
// with) and the file name, typed. Main checks both again (inside an existing folder, no separators,
// never overwriting) and its refusal is shown here.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TransferInfo } from '../../../shared/transfer';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useFlint } from '../../store/store';
import { formatBytes } from './format';
import { useTransferActions } from './transfer-actions';

export function SaveAsDialog({ transfer, peerName, onClose }: { transfer: TransferInfo; peerName: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const actions = useTransferActions();
  const downloadFolder = useFlint((s) => s.transfers.settings?.downloadFolder ?? '');
  const [folder, setFolder] = useState(downloadFolder);
  const [name, setName] = useState(transfer.name);
  const [errors, setErrors] = useState<{ folder?: string; name?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const f = folder.trim();
    const n = name.trim();
    const found = { ...(f === '' ? { folder: t('transfers.saveAsDialog.folderRequired') } : {}), ...(n === '' ? { name: t('transfers.saveAsDialog.nameRequired') } : {}) };
    if (found.folder || found.name) {
      setErrors(found);
      (found.folder ? folderRef : nameRef).current?.focus();
      return;
    }
    setBusy(true);
    setErrors({});
    try {
      await actions.accept(transfer.id, { folder: f, name: n });
      onClose();
    } catch (err) {
      setErrors({ form: t('transfers.actionFailed', { detail: err instanceof Error ? err.message : String(err) }) });
      setBusy(false);
    }
  };

  const size = transfer.size === undefined ? t('transfers.sizeUnknown') : formatBytes(transfer.size, i18n.language);
  return (
    <Dialog title={t('transfers.saveAsDialog.title')} onClose={onClose} initialFocus={nameRef}>
      <form onSubmit={submit} noValidate className="dialog__form transfer-save-as">
        <p className="transfer-save-as__intro">{t('transfers.saveAsDialog.intro', { name: transfer.name, size, peer: peerName })}</p>
        <TextField
          ref={folderRef}
          label={t('transfers.saveAsDialog.folder')}
          value={folder}
          onChange={(v) => {
            setFolder(v);
            setErrors((x) => ({ ...x, folder: undefined }));
          }}
          error={errors.folder}
          spellCheck={false}
          autoComplete="off"
          maxLength={4096}
        />
        <TextField
          ref={nameRef}
          label={t('transfers.saveAsDialog.name')}
          value={name}
          onChange={(v) => {
            setName(v);
            setErrors((x) => ({ ...x, name: undefined }));
          }}
          error={errors.name}
          hint={t('transfers.saveAsDialog.hint')}
          spellCheck={false}
          autoComplete="off"
          maxLength={1024}
        />
        <DialogError error={errors.form} />
        <div className="dialog__actions">
          <Button onClick={onClose}>{t('transfers.saveAsDialog.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {t('transfers.saveAsDialog.save')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
