// Where a failed sign-in is explained: next to the field the user has to change.
import type { ConnectionError, ConnectionState } from '../../../shared/domain';

export type LoginField = 'jid' | 'password' | 'host' | 'port' | 'tlsMode' | 'form';

export function fieldForError(code: string, hasHostOverride: boolean): LoginField {
  switch (code) {
    case 'wrong-password':
    case 'auth-failed':
      return 'password';
    case 'unreachable':
    case 'timeout':
      // The name that could not be reached is the server override when there is one, else the JID's domain.
      return hasHostOverride ? 'host' : 'jid';
    case 'no-tls':
      return 'tlsMode';
    default:
      return 'form';
  }
}

/** Codes with a translated explanation (en.ts errors.*); others fall back to errors.unknown. */
export const KNOWN_CODES = [
  'wrong-password', 'auth-failed', 'unreachable', 'timeout', 'no-tls', 'tls-failed', 'cert-untrusted', 'conflict', 'downgrade',
  'no-mechanism', 'server-signature', 'policy-violation', 'stream-error', 'protocol', 'closed',
] as const;
export type KnownCode = (typeof KNOWN_CODES)[number];

export function isKnownCode(code: string): code is KnownCode {
  return (KNOWN_CODES as readonly string[]).includes(code);
}

/** The failure to explain on the login screen, if the last attempt failed. */
export function loginFailure(state: ConnectionState, loginPending: boolean): ConnectionError | undefined {
  return !loginPending && state.status === 'failed' ? state.error : undefined;
}
