// The sign-in form: JID, password, "Remember password"; Advanced holds the server override, port,
// TLS mode and resource. Errors are shown in plain words next to the field they concern.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TlsMode } from '../../../shared/domain';
import { Button } from '../../ui/button';
import { Checkbox } from '../../ui/checkbox';
import { SelectField } from '../../ui/select-field';
import { TextField } from '../../ui/text-field';
import { useFlint } from '../../store/store';
import { useSession } from '../app/session-context';
import { fieldForError, isKnownCode, loginFailure, type LoginField } from './login-errors';
import { validateLogin, type LoginForm } from './login-form';
import './login.css';
// Issue 4: in-band registration (XEP-0077).
import { RegisterDialog, domainOf } from '../profile/register-dialog';
import { errorText } from '../../../shared/error-text';

const emptyForm: LoginForm = { jid: '', password: '', remember: false, host: '', port: '', tlsMode: 'starttls', resource: '' };

export function LoginScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const connection = useFlint((s) => s.connection.state);
  const loginPending = useFlint((s) => s.connection.loginPending);
  const knownAccount = useFlint((s) => s.connection.account);
  const [form, setForm] = useState<LoginForm>(() =>
    knownAccount
      ? { ...emptyForm, jid: knownAccount.jid, host: knownAccount.host ?? '', port: knownAccount.port ? String(knownAccount.port) : '', tlsMode: knownAccount.tlsMode, resource: knownAccount.resource ?? '' }
      : emptyForm,
  );
  const touchedByUser = useRef(false);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [clientErrors, setClientErrors] = useState<Partial<Record<LoginField, string>>>({});
  const [commandError, setCommandError] = useState<string | null>(null);
  const advancedId = useId();
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);
  const refs = {
    jid: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    host: useRef<HTMLInputElement>(null),
    port: useRef<HTMLInputElement>(null),
    tlsMode: useRef<HTMLSelectElement>(null),
    form: useRef<HTMLParagraphElement>(null),
  };

  // Prefill from the saved accounts (main keeps them), unless the user already started typing.
  useEffect(() => {
    if (knownAccount) return;
    let live = true;
    session.savedAccounts().then(
      (accounts) => {
        const a = accounts[0];
        if (!live || !a || touchedByUser.current) return;
        setForm((f) => ({ ...f, jid: a.jid, host: a.host ?? '', port: a.port ? String(a.port) : '', tlsMode: a.tlsMode, resource: a.resource ?? '' }));
      },
      () => {},
    );
    return () => {
      live = false;
    };
    // Once, on mount: later edits are the user's.
  }, []);

  const failure = loginFailure(connection, loginPending);
  const failureField = failure ? fieldForError(failure.code, form.host.trim() !== '') : null;
  const failureText = failure ? (isKnownCode(failure.code) ? t(`errors.${failure.code}`, { detail: failure.message }) : t('errors.unknown', { detail: failure.message })) : null;

  const errorFor = (field: LoginField): string | undefined => clientErrors[field] ?? (failureField === field ? (failureText ?? undefined) : undefined);

  // Move focus to the field that needs attention, and open Advanced if that is where it is.
  useEffect(() => {
    if (!failureField || failure?.code === 'cert-untrusted') return;
    if (failureField === 'host' || failureField === 'tlsMode') setAdvancedOpen(true);
    requestAnimationFrame(() => {
      const el = refs[failureField].current;
      el?.focus();
    });
    // Only when a new failure arrives.
  }, [failure]);

  const update = <K extends keyof LoginForm>(key: K, value: LoginForm[K]) => {
    touchedByUser.current = true;
    setForm((f) => ({ ...f, [key]: value }));
    setClientErrors((e) => (key in e ? { ...e, [key]: undefined } : e));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (loginPending) return;
    setCommandError(null);
    const checked = validateLogin(form);
    if (!checked.ok) {
      const errs = Object.fromEntries(Object.entries(checked.errors).map(([k, key]) => [k, t(key)])) as Partial<Record<LoginField, string>>;
      setClientErrors(errs);
      const first = (['jid', 'password', 'host', 'port'] as const).find((f) => errs[f]);
      if (first === 'host' || first === 'port') setAdvancedOpen(true);
      if (first) requestAnimationFrame(() => refs[first].current?.focus());
      return;
    }
    setClientErrors({});
    try {
      await session.login(checked.value);
    } catch (err) {
      setCommandError(t('errors.command', { detail: errorText(err) }));
    }
  };

  const tlsOptions: { value: TlsMode; label: string }[] = [
    { value: 'starttls', label: t('login.tls.starttls') },
    { value: 'directtls', label: t('login.tls.directtls') },
    { value: 'plaintext', label: t('login.tls.plaintext') },
  ];

  const formError = commandError ?? (failureField === 'form' ? failureText : null);
  const busy = loginPending;

  return (
    <main className="login">
      <form className="login__card" onSubmit={onSubmit} noValidate aria-labelledby="login-title">
        <div className="login__brand" aria-hidden="true">
          <span className="login__logo">F</span>
          <span className="login__product">{t('app.name')}</span>
        </div>
        <h1 id="login-title" className="login__title">
          {t('login.title')}
        </h1>
        <p className="login__subtitle">{t('login.subtitle')}</p>

        <TextField
          ref={refs.jid}
          label={t('login.jid')}
          value={form.jid}
          onChange={(v) => update('jid', v)}
          error={errorFor('jid')}
          placeholder={t('login.jidPlaceholder')}
          autoComplete="username"
          spellCheck={false}
          autoCapitalize="off"
          readOnly={busy}
        />
        <TextField
          ref={refs.password}
          label={t('login.password')}
          type="password"
          value={form.password}
          onChange={(v) => update('password', v)}
          error={errorFor('password')}
          autoComplete="current-password"
          readOnly={busy}
        />
        <Checkbox label={t('login.remember')} checked={form.remember} onChange={(v) => update('remember', v)} disabled={busy} />

        <button type="button" className="disclosure" aria-expanded={advancedOpen} aria-controls={advancedId} onClick={() => setAdvancedOpen((o) => !o)}>
          <span className="disclosure__icon" aria-hidden="true" />
          {t('login.advanced')}
        </button>
        <div id={advancedId} className="login__advanced" hidden={!advancedOpen}>
          <div className="login__row">
            <TextField
              ref={refs.host}
              className="login__host"
              label={t('login.host')}
              value={form.host}
              onChange={(v) => update('host', v)}
              error={errorFor('host')}
              hint={t('login.hostHint')}
              placeholder="xmpp.example.org"
              spellCheck={false}
              autoCapitalize="off"
              readOnly={busy}
            />
            <TextField
              ref={refs.port}
              className="login__port"
              label={t('login.port')}
              value={form.port}
              onChange={(v) => update('port', v.replace(/[^\d]/g, ''))}
              error={errorFor('port')}
              inputMode="numeric"
              placeholder={form.tlsMode === 'directtls' ? '5223' : '5222'}
              readOnly={busy}
            />
          </div>
          <SelectField
            ref={refs.tlsMode}
            label={t('login.tlsMode')}
            value={form.tlsMode}
            options={tlsOptions}
            onChange={(v) => update('tlsMode', v)}
            error={errorFor('tlsMode')}
            hint={form.tlsMode === 'plaintext' ? t('login.plaintextWarning') : undefined}
            disabled={busy}
          />
          <TextField label={t('login.resource')} value={form.resource} onChange={(v) => update('resource', v)} hint={t('login.resourceHint')} placeholder="flint" spellCheck={false} readOnly={busy} />
        </div>

        {formError ? (
          <p ref={refs.form} className="login__form-error" role="alert" tabIndex={-1}>
            {formError}
          </p>
        ) : null}

        <div className="login__actions">
          {busy ? (
            <>
              <p className="login__progress" role="status">
                <span className="spinner" aria-hidden="true" />
                {t('login.signingIn')}
              </p>
              <Button onClick={() => void session.cancelLogin()}>{t('login.cancel')}</Button>
            </>
          ) : (
            <Button type="submit" variant="primary" className="login__submit">
              {t('login.signIn')}
            </Button>
          )}
        </div>
        {registered ? (
          <p className="login__registered" role="status">
            {t('register.done', { jid: registered })}
          </p>
        ) : null}
        {!busy ? (
          <div className="login__register">
            <Button variant="link" onClick={() => setRegistering(true)}>
              {t('register.open')}
            </Button>
          </div>
        ) : null}
      </form>
      {registering ? (
        <RegisterDialog
          target={{ domain: domainOf(form.jid), tlsMode: form.tlsMode, ...(form.host.trim() ? { host: form.host.trim() } : {}), ...(/^\d+$/.test(form.port) ? { port: Number(form.port) } : {}) }}
          onClose={() => setRegistering(false)}
          onRegistered={(jid, password) => {
            setRegistering(false);
            touchedByUser.current = true;
            setForm((f) => ({ ...f, jid, password }));
            setRegistered(jid);
            requestAnimationFrame(() => refs.password.current?.focus());
          }}
        />
      ) : null}
    </main>
  );
}
