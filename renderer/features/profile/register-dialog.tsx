// "Create account" from the login screen (XEP-0077 §3.1): the server (taken from the Jabber ID
// typed, or asked), then whatever form the server sends, drawn generically; a refusal (name taken,
// weak password) keeps the form open with the server's reason. On success the login form gets the
// new Jabber ID and password, ready to sign in.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TlsMode } from '../../../shared/domain';
import type { FormValues, RegistrationForm } from '../../../shared/forms';
import { useDialogAction } from '../../ui/dialog-action';
import { FormDialog } from '../../ui/form-dialog';
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
  const action = useDialogAction((detail) => t('register.failed', { detail }));
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

  const start = () => {
    const d = domain.trim();
    if (d === '') {
      action.setError(t('register.domainRequired'));
      domainRef.current?.focus();
      return;
    }
    started.current = true;
    return session.api.invoke('register.start', { domain: d, tlsMode: target.tlsMode, ...(target.host ? { host: target.host } : {}), ...(target.port ? { port: target.port } : {}) }).then((f) => {
      setForm(f);
      setValues(initialValues(f.form));
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea')?.focus());
    });
  };

  const submit = (shown: RegistrationForm) => {
    setTried(true);
    if (validateForm(shown.form, values).length > 0) return;
    return session.api.invoke('register.submit', { values }).then(
      (outcome) => {
        if (outcome.status === 'registered') {
          started.current = false;
          onRegistered(outcome.jid, values.password?.[0] ?? '');
          return;
        }
        action.setError(t('register.rejected', { detail: outcome.message }));
      },
      (err: unknown) => {
        // The connection ended: start over.
        setForm(null);
        throw err;
      },
    );
  };

  return (
    <FormDialog
      title={t('register.title')}
      onClose={onClose}
      initialFocus={domainRef}
      className="dialog--wide"
      action={action}
      onSubmit={form ? () => submit(form) : start}
      submitLabel={form ? t('register.submit') : action.busy ? t('register.connecting') : t('register.continue')}
      cancelLabel={t('contacts.cancel')}
    >
      {!form ? (
        <>
          <p className="dialog__hint">{t('register.intro')}</p>
          <TextField ref={domainRef} label={t('register.domain')} value={domain} onChange={setDomain} placeholder="example.org" spellCheck={false} autoCapitalize="off" autoComplete="off" hint={target.host ? t('register.via', { host: target.host }) : undefined} />
        </>
      ) : (
        <>
          <p className="dialog__hint">{t('register.server', { domain: domain.trim() })}</p>
          {form.url ? <p className="dialog__hint">{t('register.web', { url: form.url })}</p> : null}
          <div ref={formRef}>
            <DataFormView form={form.form} values={values} onChange={setValues} problems={tried ? validateForm(form.form, values) : []} disabled={action.busy} />
          </div>
        </>
      )}
    </FormDialog>
  );
}
