// RFC 6120 §4.9 stream errors and §6.5 SASL failures, mapped to the plain reasons a person reads.
import type { ConnectionError } from '../../../shared/domain';
import type { XmlElement } from '../xml/element';
import { NS } from '../module';

export interface StreamErrorInfo {
  condition: string;
  text?: string;
  /** For see-other-host: the new host (and port) to go to. */
  otherHost?: string;
}

/** <stream:features/>, <s:features/>…: the parser keeps the prefix, so match local name + namespace. */
export function isStreamElement(el: XmlElement, local: string): boolean {
  return el.ns === NS.stream && el.name.slice(el.name.indexOf(':') + 1) === local;
}

export function parseStreamError(el: XmlElement): StreamErrorInfo {
  let condition = 'undefined-condition';
  let text: string | undefined;
  let otherHost: string | undefined;
  for (const c of el.elements()) {
    if (c.ns !== NS.streams) continue;
    if (c.name === 'text') text = c.text();
    else {
      condition = c.name;
      if (c.name === 'see-other-host') otherHost = c.text().trim();
    }
  }
  return { condition, text, otherHost };
}

const STREAM_MESSAGES: Record<string, string> = {
  conflict: 'Signed in elsewhere: another client connected with the same account and resource.',
  'system-shutdown': 'The server is shutting down; Flint will reconnect later.',
  'policy-violation': 'The server closed the connection for a policy violation.',
  'host-unknown': 'The server does not serve this domain.',
  'not-authorized': 'The server refused the connection (not authorized).',
  'connection-timeout': 'The server closed an idle connection.',
  'reset': 'The server reset the connection.',
  'see-other-host': 'The server redirected the connection to another host.',
  'remote-connection-failed': 'The server could not reach a service it needs.',
  'internal-server-error': 'The server had an internal error.',
  'resource-constraint': 'The server is too busy right now.',
  'not-well-formed': 'The server says Flint sent malformed XML.',
};

export function streamErrorToConnectionError(e: StreamErrorInfo): ConnectionError {
  if (e.condition === 'conflict') return { code: 'conflict', condition: e.condition, message: STREAM_MESSAGES.conflict! };
  const base = STREAM_MESSAGES[e.condition] ?? `The server closed the stream (${e.condition}).`;
  return { code: 'stream-error', condition: e.condition, message: e.text ? `${base} Server said: “${e.text.slice(0, 300)}”` : base };
}

/** RFC 6120 §6.5: SASL failure conditions. */
export function saslFailureToConnectionError(el: XmlElement): ConnectionError {
  let condition = 'temporary-auth-failure';
  let text: string | undefined;
  for (const c of el.elements()) {
    if (c.name === 'text') text = c.text();
    else condition = c.name;
  }
  const said = text ? ` Server said: “${text.slice(0, 300)}”` : '';
  switch (condition) {
    case 'not-authorized':
    case 'credentials-expired':
      return { code: 'wrong-password', condition, message: `Wrong password or unknown user.${said}` };
    case 'account-disabled':
      return { code: 'auth-failed', condition, message: `This account is disabled.${said}` };
    case 'encryption-required':
      return { code: 'no-tls', condition, message: `The server requires encryption for this mechanism.${said}` };
    case 'mechanism-too-weak':
    case 'invalid-mechanism':
      return { code: 'no-mechanism', condition, message: `The server refused the sign-in method (${condition}).${said}` };
    default:
      return { code: 'auth-failed', condition, message: `Sign-in failed (${condition}).${said}` };
  }
}

/** Codes after which retrying on our own would not help or would be wrong: the user must act. */
export function isFatal(err: ConnectionError): boolean {
  switch (err.code) {
    case 'wrong-password':
    case 'auth-failed':
    case 'no-mechanism':
    case 'downgrade':
    case 'no-tls':
    case 'cert-untrusted':
    case 'conflict':
    case 'server-signature':
      return true;
    default:
      return err.condition === 'host-unknown' || err.condition === 'not-authorized';
  }
}
