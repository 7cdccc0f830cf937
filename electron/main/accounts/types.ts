// What the app (IPC router, bridge, tray…) may ask of the signed-in account. Implemented by
// AccountService (account-service.ts); events are the engine's CoreEvents plus app-level ones.
import type { AccountSettings, ChatMessage, ConnectionState, Contact, PresenceUpdate, Show } from '../../../shared/domain';
import type { CoreEvent } from '../../core/events';

export interface LoginRequest {
  settings: AccountSettings;
  password: string;
  /** Store the password (through the KeyStore: Electron safeStorage; a test keystore under Node). */
  remember: boolean;
}

export interface AccountSnapshot {
  connection: ConnectionState;
  settings?: AccountSettings;
  roster: Contact[];
  presence: PresenceUpdate[];
  own: { show: Show | 'offline'; status?: string };
  /** Recent messages per peer bare JID (in memory until the history store lands). */
  conversations: Record<string, ChatMessage[]>;
  pendingSubscriptions: { from: string; nick?: string; status?: string }[];
}

export interface AccountServiceApi {
  /** Starts connecting; progress and result arrive as connection.changed events. Rejects only on invalid input. */
  login(req: LoginRequest): Promise<void>;
  /** Sign in with the saved account and remembered password, if any. Returns false when there is none. */
  resume(): Promise<boolean>;
  logout(): Promise<void>;
  /** Skip the backoff wait and reconnect now (user action). */
  reconnectNow(): void;
  /** Pin the certificate the server presented (exact SHA-256 fingerprint) and sign in again. */
  trustCertificate(fingerprint256: string): Promise<void>;
  setPresence(show: Show, status?: string): void;
  sendChat(to: string, body: string): ChatMessage;
  addContact(jid: string, name?: string, groups?: string[]): Promise<void>;
  removeContact(jid: string): Promise<void>;
  answerSubscription(jid: string, accept: boolean): void;
  snapshot(): AccountSnapshot;
  savedAccounts(): AccountSettings[];
  subscribe(listener: (e: CoreEvent) => void): () => void;
}
