// SASL PLAIN (RFC 4616): message = [authzid] NUL authcid NUL passwd. Sends the password itself,
// so mechanisms.ts offers it only over TLS.
//
// Returned as text; the SASL layer base64-encodes it for the wire like the SCRAM messages.

import { SaslPrepError, saslPrep } from './saslprep';

export class PlainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlainError';
  }
}

export interface PlainCredentials {
  username: string;
  password: string;
  /** Authorization identity (RFC 4616 §2); XMPP clients normally leave it out (RFC 6120 §6.3.8). */
  authzid?: string;
}

/** The PLAIN initial response (RFC 4616 §2), user name and password SASLprep'd (RFC 4013). */
export function plainInitialResponse({ username, password, authzid }: PlainCredentials): string {
  // RFC 4616 §2: authcid and passwd are prepared with SASLprep; a query for the name, a stored
  // string for the password, as for SCRAM (RFC 5802 §5.1).
  const authcid = prep(username, true, 'user name');
  const passwd = prep(password, false, 'password');
  if (authzid !== undefined && authzid.includes('\u0000')) throw new PlainError('the authorization identity contains a NUL character');
  return `${authzid ?? ''}\u0000${authcid}\u0000${passwd}`;
}

function prep(value: string, allowUnassigned: boolean, what: string): string {
  let out: string;
  try {
    out = saslPrep(value, { allowUnassigned, what });
  } catch (e) {
    if (e instanceof SaslPrepError) throw new PlainError(`cannot use this ${what}: ${e.message}`);
    throw e;
  }
  // RFC 4616 §2: authcid and passwd are 1*SAFE (at least one octet, no NUL); SASLprep already
  // rejects NUL as a control character.
  if (out === '') throw new PlainError(`the ${what} is empty`);
  return out;
}
