// "Save as…" without native dialogs (the browser bridge): the folder (the download folder to start
// with) and the file name, typed. Main checks both again (inside an existing folder, no separators,
// never overwriting) and its refusal is shown here.
import { useTranslation } from 'react-i18next';
import type { TransferInfo } from '../../../shared/transfer';
import { useDialogAction } from '../../ui/dialog-action';
import { FormDialog } from '../../ui/form-dialog';
import { TextField } from '../../ui/text-field';
import { useTextField } from '../../ui/use-text-field';
import { useFlint } from '../../store/store';
import { formatBytes } from './format';
import { useTransferActions } from './transfer-actions';

export function SaveAsDialog({ transfer, peerName, onClose }: { transfer: TransferInfo; peerName: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const actions = useTransferActions();
  const downloadFolder = useFlint((s) => s.transfers.settings?.downloadFolder ?? '');
  const folder = useTextField(downloadFolder);
  const name = useTextField(transfer.name);
  const action = useDialogAction((detail) => t('transfers.actionFailed', { detail }));

  const submit = () => {
    const f = folder.value.trim();
    const n = name.value.trim();
    if (f === '' || n === '') {
      // Each empty field says so; focus ends in the first of them (the folder comes first).
      action.setError(null);
      if (n === '') name.reject(t('transfers.saveAsDialog.nameRequired'));
      if (f === '') folder.reject(t('transfers.saveAsDialog.folderRequired'));
      return;
    }
    return actions.accept(transfer.id, { folder: f, name: n }).then(() => onClose());
  };

  const size = transfer.size === undefined ? t('transfers.sizeUnknown') : formatBytes(transfer.size, i18n.language);
  return (
    <FormDialog
      title={t('transfers.saveAsDialog.title')}
      onClose={onClose}
      initialFocus={name.props.ref}
      formClassName="transfer-save-as"
      action={action}
      onSubmit={submit}
      submitLabel={t('transfers.saveAsDialog.save')}
      cancelLabel={t('transfers.saveAsDialog.cancel')}
      cancelFirst
    >
      <p className="transfer-save-as__intro">{t('transfers.saveAsDialog.intro', { name: transfer.name, size, peer: peerName })}</p>
      <TextField {...folder.props} label={t('transfers.saveAsDialog.folder')} spellCheck={false} autoComplete="off" maxLength={4096} />
      <TextField {...name.props} label={t('transfers.saveAsDialog.name')} hint={t('transfers.saveAsDialog.hint')} spellCheck={false} autoComplete="off" maxLength={1024} />
    </FormDialog>
  );
}
