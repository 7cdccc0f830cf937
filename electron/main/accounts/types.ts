// What the app (IPC router, bridge, tray…) may ask of the signed-in account. Implemented by
// AccountService (account-service.ts); events are the engine's CoreEvents plus app-level ones.
import type { AccountSettings, ChatMessage, ConnectionState, Contact, PresenceUpdate, Show } from '../../../shared/domain';
import type { ChatState, CoreEvent } from '../../core/events';
import type { ExportFormat, HistoryPage, PageOptions, SearchHit } from '../store/history';
import type { ProfileSnapshot } from '../../../shared/ipc/profile-contract';
import type { ProfileApi } from './profile-service';
import type { TransferInfo } from '../../../shared/transfer';
import type { TransferApi } from './transfer-bridge';

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
  /** The latest page of each recently active conversation, by peer bare JID, from the history store. */
  conversations: Record<string, ChatMessage[]>;
  pendingSubscriptions: { from: string; nick?: string; status?: string }[];
  /** Issue 4: blocklist, known avatar hashes, auto-away settings. */
  profile: ProfileSnapshot;
  /** Issue 5: conversations whose notifications are muted (bare JIDs). */
  muted?: string[];
  /** XEP-0333: peer bare JID → id of our latest message they displayed (stored, so it survives restarts). */
  seen?: Record<string, string>;
  /** Issue 6: file transfers of this session (offers waiting for an answer included). */
  transfers?: TransferInfo[];
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
  /** Stores the message durably (outbox) before anything else; sends it now when online. */
  sendChat(to: string, body: string): ChatMessage;
  /** Queues a failed message again (the Retry action); rejects when `id` is not a failed message of ours. */
  retryChat(id: string): ChatMessage;
  /** XEP-0085: our typing state towards `to`; false when offline or not sent (repeat, no support shown). */
  setChatState(to: string, state: ChatState): boolean;
  /** XEP-0308: correct our last message in its conversation; resolves with it as corrected. */
  correctChat(id: string, body: string): Promise<ChatMessage>;
  /** XEP-0333: we displayed `peer`'s message `id`; false when no marker went out. */
  markDisplayed(peer: string, id: string): boolean;
  /** Mute or unmute a conversation's notifications (persisted). */
  setMuted(peer: string, muted: boolean): void;
  isMuted(peer: string): boolean;
  /** A page of one conversation from the history store (and the server archive beyond its start). */
  historyPage(peer: string, opts: PageOptions): Promise<HistoryPage>;
  /** Full-text search across all conversations of the account. */
  searchHistory(query: string, limit?: number): SearchHit[];
  /** A conversation as a transcript (the renderer saves it through a save dialog). */
  exportHistory(peer: string, format: ExportFormat): string;
  addContact(jid: string, name?: string, groups?: string[]): Promise<void>;
  removeContact(jid: string): Promise<void>;
  /** accept: approve, and with addBack (default) also ask for theirs ("Accept and add"); else deny. */
  answerSubscription(jid: string, accept: boolean, addBack?: boolean): void;
  /** Issue 4: roster management, blocking, profile, avatars, auto-away, directory, registration. */
  readonly profile: ProfileApi;
  /** Issue 6: file transfers, staged files, the download folder. */
  readonly transfers: TransferApi;
  snapshot(): AccountSnapshot;
  savedAccounts(): AccountSettings[];
  subscribe(listener: (e: CoreEvent) => void): () => void;
}
