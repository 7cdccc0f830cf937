// Checking the login form before anything is sent: what main would refuse anyway, said in words.
import type { CommandArgs } from '../../../shared/ipc/contract';
import type { TlsMode } from '../../../shared/domain';

export interface LoginForm {
  jid: string;
  password: string;
  remember: boolean;
  host: string;
  port: string;
  tlsMode: TlsMode;
  resource: string;
}

export type LoginFieldKey = 'jid' | 'password' | 'host' | 'port';
/** i18n keys of the problems found, per field. */
export type LoginErrors = Partial<Record<LoginFieldKey, 'validation.jidRequired' | 'validation.jidInvalid' | 'validation.passwordRequired' | 'validation.portInvalid'>>;

export type LoginCheck = { ok: true; value: CommandArgs<'account.login'> } | { ok: false; errors: LoginErrors };

/** A bare JID the login can use: local@domain, no resource, no spaces (RFC 7622 §3). */
export function looksLikeBareJid(jid: string): boolean {
  return /^[^\s@/]+@[^\s@/]+$/.test(jid);
}

export function validateLogin(form: LoginForm): LoginCheck {
  const errors: LoginErrors = {};
  const jid = form.jid.trim();
  if (jid === '') errors.jid = 'validation.jidRequired';
  else if (!looksLikeBareJid(jid)) errors.jid = 'validation.jidInvalid';
  if (form.password === '') errors.password = 'validation.passwordRequired';
  let port: number | undefined;
  if (form.port.trim() !== '') {
    port = Number(form.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'validation.portInvalid';
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const value: CommandArgs<'account.login'> = { jid, password: form.password, remember: form.remember, tlsMode: form.tlsMode };
  const host = form.host.trim();
  if (host !== '') value.host = host;
  if (port !== undefined) value.port = port;
  const resource = form.resource.trim();
  if (resource !== '') value.resource = resource;
  return { ok: true, value };
}
