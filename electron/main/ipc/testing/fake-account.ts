// A small in-memory AccountServiceApi for unit tests of the IPC layer and the bridge: it records
// every call and lets the test emit CoreEvents. Not used by the app itself.
import type { AccountSettings, ChatMessage, Show } from '../../../../shared/domain';
import type { ChatState, CoreEvent } from '../../../core/events';
import type { AccountServiceApi, AccountSnapshot, LoginRequest } from '../../accounts/types';
import type { ExportFormat, HistoryPage, PageOptions, SearchHit } from '../../store/history';
import { FakeProfile } from './fake-profile';
import { FakeTransfers } from './fake-transfers';

export type FakeCall = { method: string; args: unknown[] };

export class FakeAccount implements AccountServiceApi {
  readonly calls: FakeCall[] = [];
  saved: AccountSettings[] = [];
  resumeResult = false;
  private readonly listeners = new Set<(e: CoreEvent) => void>();
  private nextId = 1;
  /** Issue 4 commands, recorded as `profile.<method>` in the same call list. */
  readonly profile = new FakeProfile(this.calls);
  /** Issue 6 commands, recorded as `transfers.<method>`. */
  readonly transfers = new FakeTransfers(this.calls);
  state: AccountSnapshot = {
    connection: { status: 'offline' },
    roster: [],
    presence: [],
    own: { show: 'offline' },
    conversations: {},
    pendingSubscriptions: [],
    profile: { blocked: [], avatars: {}, autoAway: { enabled: true, awayMinutes: 5, xaMinutes: 20 } },
  };

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  /** Deliver an event to every subscriber, as the engine would. */
  emit(e: CoreEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  listenerCount(): number {
    return this.listeners.size;
  }

  async login(req: LoginRequest): Promise<void> {
    this.record('login', req);
    this.state = { ...this.state, settings: req.settings, connection: { status: 'connecting' } };
    this.emit({ type: 'connection.changed', state: { status: 'connecting' } });
  }
  async resume(): Promise<boolean> {
    this.record('resume');
    return this.resumeResult;
  }
  async logout(): Promise<void> {
    this.record('logout');
    this.state = { ...this.state, connection: { status: 'offline' } };
    this.emit({ type: 'connection.changed', state: { status: 'offline' } });
  }
  reconnectNow(): void {
    this.record('reconnectNow');
  }
  async trustCertificate(fingerprint256: string): Promise<void> {
    this.record('trustCertificate', fingerprint256);
  }
  setPresence(show: Show, status?: string): void {
    this.record('setPresence', show, status);
  }
  sendChat(to: string, body: string): ChatMessage {
    this.record('sendChat', to, body);
    const own = this.state.settings?.jid ?? 'me@example.test';
    return { id: `m${this.nextId++}`, peer: to.split('/')[0] ?? to, from: own, to, direction: 'out', type: 'chat', body, timestamp: 1_700_000_000_000, state: 'pending' };
  }
  retryChat(id: string): ChatMessage {
    this.record('retryChat', id);
    const own = this.state.settings?.jid ?? 'me@example.test';
    return { id, peer: 'bob@example.test', from: own, to: 'bob@example.test', direction: 'out', type: 'chat', body: 'again', timestamp: 1_700_000_000_000, state: 'pending' };
  }
  setChatState(to: string, state: ChatState): boolean {
    this.record('setChatState', to, state);
    return true;
  }
  async correctChat(id: string, body: string): Promise<ChatMessage> {
    this.record('correctChat', id, body);
    const own = this.state.settings?.jid ?? 'me@example.test';
    return { id, peer: 'bob@example.test', from: own, to: 'bob@example.test', direction: 'out', type: 'chat', body, timestamp: 1_700_000_000_000, state: 'sent', correctedAt: 1_700_000_001_000 };
  }
  markDisplayed(peer: string, id: string): boolean {
    this.record('markDisplayed', peer, id);
    return true;
  }
  readonly muted = new Set<string>();
  setMuted(peer: string, muted: boolean): void {
    this.record('setMuted', peer, muted);
    if (muted) this.muted.add(peer);
    else this.muted.delete(peer);
  }
  isMuted(peer: string): boolean {
    return this.muted.has(peer);
  }
  async historyPage(peer: string, opts: PageOptions): Promise<HistoryPage> {
    this.record('historyPage', peer, opts);
    return { messages: [] };
  }
  searchHistory(query: string, limit?: number): SearchHit[] {
    this.record('searchHistory', query, limit);
    return [];
  }
  exportHistory(peer: string, format: ExportFormat): string {
    this.record('exportHistory', peer, format);
    return `Conversation with ${peer}\n`;
  }
  async addContact(jid: string, name?: string, groups?: string[]): Promise<void> {
    this.record('addContact', jid, name, groups);
  }
  async removeContact(jid: string): Promise<void> {
    this.record('removeContact', jid);
  }
  answerSubscription(jid: string, accept: boolean, addBack?: boolean): void {
    this.record('answerSubscription', jid, accept, addBack);
  }
  snapshot(): AccountSnapshot {
    this.record('snapshot');
    return this.state;
  }
  savedAccounts(): AccountSettings[] {
    this.record('savedAccounts');
    return this.saved;
  }
  subscribe(listener: (e: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
