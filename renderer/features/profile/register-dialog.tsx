// "Create account" from the login screen (XEP-0077 §3.1): the server (taken from the Jabber ID
// typed, or asked), then whatever form the server sends, drawn generically; a refusal (name taken,
// weak password) keeps the form open with the server's reason. On success the login form gets the
// new Jabber ID and password, ready to sign in.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TlsMode } from '../../../shared/domain';
import type { FormValues, RegistrationForm } from '../../../shared/forms';
import { Button } from '../../ui/button';
import { Dialog, DialogError } from '../../ui/dialog';
import { TextField } from '../../ui/text-field';
import { useSession } from '../app/session-context';
import { DataFormView } from '../forms/data-form';
import { initialValues, validateForm } from '../forms/form-state';
import '../contacts/contacts.css';
import './profile.css';

export interface RegisterTarget {
  domain: string;
  host?: string;
  port?: number;
  tlsMode: TlsMode;
}

/** The domain part of what was typed in the Jabber ID field ('' when there is none). */
export function domainOf(jid: string): string {
  const s = jid.trim();
  const at = s.lastIndexOf('@');
  const rest = at >= 0 ? s.slice(at + 1) : s.includes('.') ? s : '';
  return rest.split('/')[0] ?? '';
}

export function RegisterDialog({ target, onClose, onRegistered }: { target: RegisterTarget; onClose(): void; onRegistered(jid: string, password: string): void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [domain, setDomain] = useState(target.domain);
  const [form, setForm] = useState<RegistrationForm | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const domainRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLDivElement>(null);
  const started = useRef(false);

  // Leaving the dialog ends a registration in progress (the server connection closes).
  useEffect(
    () => () => {
      if (started.current) void session.api.invoke('register.cancel', {}).catch(() => {});
    },
    [session],
  );

  const commandError = (err: unknown) => setError(t('register.failed', { detail: err instanceof Error ? err.message : String(err) }));

  const start = async (e: FormEvent) => {
    e.preventDefault();
    const d = domain.trim();
    if (d === '') {
      setError(t('register.domainRequired'));
      domainRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      started.current = true;
      const f = await session.api.invoke('register.start', { domain: d, tlsMode: target.tlsMode, ...(target.host ? { host: target.host } : {}), ...(target.port ? { port: target.port } : {}) });
      setForm(f);
      setValues(initialValues(f.form));
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus());
    } catch (err) {
      commandError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!form) return;
    setTried(true);
    if (validateForm(form.form, values).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const outcome = await session.api.invoke('register.submit', { values });
      if (outcome.status === 'registered') {
        started.current = false;
        onRegistered(outcome.jid, values.password?.[0] ?? '');
        return;
      }
      setError(t('register.rejected', { detail: outcome.message }));
    } catch (err) {
      // The connection ended: start over.
      setForm(null);
      commandError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('register.title')} onClose={onClose} initialFocus={domainRef} className="dialog--wide">
      {!form ? (
        <form onSubmit={start} noValidate className="dialog__form">
          <p className="dialog__hint">{t('register.intro')}</p>
          <TextField ref={domainRef} label={t('register.domain')} value={domain} onChange={setDomain} placeholder="example.org" spellCheck={false} autoCapitalize="off" autoComplete="off" hint={target.host ? t('register.via', { host: target.host }) : undefined} />
          <DialogError error={error} />
          <div className="dialog__actions">
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? t('register.connecting') : t('register.continue')}
            </Button>
            <Button onClick={onClose}>{t('contacts.cancel')}</Button>
          </div>
        </form>
      ) : (
        <form onSubmit={submit} noValidate className="dialog__form">
          <p className="dialog__hint">{t('register.server', { domain: domain.trim() })}</p>
          {form.url ? <p className="dialog__hint">{t('register.web', { url: form.url })}</p> : null}
          <div ref={formRef}>
            <DataFormView form={form.form} values={values} onChange={setValues} problems={tried ? validateForm(form.form, values) : []} disabled={busy} />
          </div>
          <DialogError error={error} />
          <div className="dialog__actions">
            <Button type="submit" variant="primary" disabled={busy}>
              {t('register.submit')}
            </Button>
            <Button onClick={onClose}>{t('contacts.cancel')}</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
