// "Change password" (XEP-0077 §3.3): the new one twice; main changes it on the server, keeps it
// for reconnects, and updates the remembered one when there is one.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogCloseButton } from '../../ui/dialog';
import { useDialogAction } from '../../ui/dialog-action';
import { DialogForm } from '../../ui/form-dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';

export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [done, setDone] = useState(false);
  const action = useDialogAction((detail) => t('errors.command', { detail }));
  const ref = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  const submit = () => {
    if (password === '') {
      setErrors({ password: t('password.required') });
      ref.current?.focus();
      return;
    }
    if (password !== confirm) {
      setErrors({ confirm: t('password.mismatch') });
      confirmRef.current?.focus();
      return;
    }
    return session.api.invoke('account.changePassword', { password }).then(() => {
      setDone(true);
      requestAnimationFrame(() => closeRef.current?.focus());
    });
  };

  return (
    <Dialog title={t('password.title')} onClose={onClose} initialFocus={ref}>
      {done ? (
        <>
          <p role="status">{t('password.done')}</p>
          <DialogCloseButton ref={closeRef} label={t('contacts.close')} onClose={onClose} />
        </>
      ) : (
        <DialogForm action={action} onSubmit={submit} submitLabel={t('password.submit')} cancelLabel={t('contacts.cancel')} onCancel={onClose}>
          <TextField ref={ref} label={t('password.new')} type="password" value={password} onChange={(v) => (setPassword(v), setErrors({}))} error={errors.password} autoComplete="new-password" maxLength={1024} />
          <TextField ref={confirmRef} label={t('password.confirm')} type="password" value={confirm} onChange={(v) => (setConfirm(v), setErrors({}))} error={errors.confirm} autoComplete="new-password" maxLength={1024} />
        </DialogForm>
      )}
    </Dialog>
  );
}
