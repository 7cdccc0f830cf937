// What the parts of ProfileService (profile-service.ts) share: the error for a command that needs
// the account online, JID normalisation, and the name and API of the service's own module.
import { formatJid, parseJid } from '../../../shared/jid';

export const PROFILE_MODULE = 'flint-profile';
export interface ProfileModuleApi {
  probe(bareJid: string): void;
}

export class NotConnectedError extends Error {
  constructor() {
    super('Not connected: try again when Flint is online.');
  }
}

/** A protocol module's API, or NotConnectedError while offline. */
export function requireApi<T>(deps: { api<A>(name: string): A | undefined }, name: string): T {
  const a = deps.api<T>(name);
  if (!a) throw new NotConnectedError();
  return a;
}

export function normalizeJid(j: string): string {
  return formatJid(parseJid(j.trim()));
}
