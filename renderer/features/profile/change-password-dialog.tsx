// "Change password" (XEP-0077 §3.3): the new one twice; main changes it on the server, keeps it
// for reconnects, and updates the remembered one when there is one.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';

export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ password?: string; confirm?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
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
    setBusy(true);
    setError(null);
    try {
      await session.api.invoke('account.changePassword', { password });
      setDone(true);
      requestAnimationFrame(() => closeRef.current?.focus());
    } catch (err) {
      setError(t('errors.command', { detail: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('password.title')} onClose={onClose} initialFocus={ref}>
      {done ? (
        <>
          <p role="status">{t('password.done')}</p>
          <div className="dialog__actions">
            <Button ref={closeRef} variant="primary" onClick={onClose}>
              {t('contacts.close')}
            </Button>
          </div>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="dialog__form">
          <TextField ref={ref} label={t('password.new')} type="password" value={password} onChange={(v) => (setPassword(v), setErrors({}))} error={errors.password} autoComplete="new-password" maxLength={1024} />
          <TextField ref={confirmRef} label={t('password.confirm')} type="password" value={confirm} onChange={(v) => (setConfirm(v), setErrors({}))} error={errors.confirm} autoComplete="new-password" maxLength={1024} />
          <DialogError error={error} />
          <div className="dialog__actions">
            <Button type="submit" variant="primary" disabled={busy}>
              {t('password.submit')}
            </Button>
            <Button onClick={onClose}>{t('contacts.cancel')}</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
