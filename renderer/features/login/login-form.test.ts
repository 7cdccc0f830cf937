import { describe, expect, it } from 'vitest';
import { fieldForError, isKnownCode, loginFailure } from './login-errors';
import { looksLikeBareJid, validateLogin, type LoginForm } from './login-form';

const form = (f: Partial<LoginForm> = {}): LoginForm => ({ jid: 'alice@example.test', password: 'pw', remember: false, host: '', port: '', tlsMode: 'starttls', resource: '', ...f });

describe('login form', () => {
  it('builds account.login arguments, leaving empty advanced fields out', () => {
    expect(validateLogin(form({ jid: '  alice@example.test ' }))).toEqual({ ok: true, value: { jid: 'alice@example.test', password: 'pw', remember: false, tlsMode: 'starttls' } });
    expect(validateLogin(form({ host: ' 127.0.0.1 ', port: '5222', resource: 'desk', tlsMode: 'directtls', remember: true }))).toEqual({
      ok: true,
      value: { jid: 'alice@example.test', password: 'pw', remember: true, tlsMode: 'directtls', host: '127.0.0.1', port: 5222, resource: 'desk' },
    });
  });

  it('explains each problem per field', () => {
    expect(validateLogin(form({ jid: '', password: '' }))).toEqual({ ok: false, errors: { jid: 'validation.jidRequired', password: 'validation.passwordRequired' } });
    expect(validateLogin(form({ jid: 'alice' }))).toEqual({ ok: false, errors: { jid: 'validation.jidInvalid' } });
    expect(validateLogin(form({ port: '70000' }))).toEqual({ ok: false, errors: { port: 'validation.portInvalid' } });
    expect(validateLogin(form({ port: '0' }))).toEqual({ ok: false, errors: { port: 'validation.portInvalid' } });
  });

  it('accepts bare JIDs only', () => {
    expect(looksLikeBareJid('a@b')).toBe(true);
    expect(looksLikeBareJid('a@b/res')).toBe(false);
    expect(looksLikeBareJid('a b@c')).toBe(false);
    expect(looksLikeBareJid('@b')).toBe(false);
  });
});

describe('login errors', () => {
  it('puts each failure next to the field to fix', () => {
    expect(fieldForError('wrong-password', false)).toBe('password');
    expect(fieldForError('auth-failed', true)).toBe('password');
    expect(fieldForError('unreachable', false)).toBe('jid');
    expect(fieldForError('unreachable', true)).toBe('host');
    expect(fieldForError('timeout', true)).toBe('host');
    expect(fieldForError('no-tls', false)).toBe('tlsMode');
    expect(fieldForError('conflict', false)).toBe('form');
    expect(fieldForError('something-new', false)).toBe('form');
  });

  it('shows a failure only when no attempt is pending', () => {
    const failed = { status: 'failed' as const, error: { code: 'wrong-password' as const, message: 'x' } };
    expect(loginFailure(failed, false)?.code).toBe('wrong-password');
    expect(loginFailure(failed, true)).toBeUndefined();
    expect(loginFailure({ status: 'online' }, false)).toBeUndefined();
  });

  it('knows which codes have their own explanation', () => {
    expect(isKnownCode('no-tls')).toBe(true);
    expect(isKnownCode('__proto__')).toBe(false);
  });
});
