// The signed-in account as the app sees it: the commands the IPC router dispatches, wired to the
// connection lifecycle with reconnect (account-connection.ts) and the current roster/presence
// (account-view.ts, so a window that opens gets a snapshot). Messages live in the history store
// (history-bridge.ts). One account at a time for now.
import type { AccountSettings, ChatMessage, Show } from '../../../shared/domain';
import { bareJid } from '../../../shared/jid';
import type { ChatState, CoreEvent } from '../../core/events';
import { NS, type AnyModule } from '../../core/module';
import { defaultModules, withFileTransferModules } from '../../core/modules';
import { silentLogger, type Logger } from '../../core/ports';
import type { DnsPort } from '../net/resolve';
import { AccountConnection } from './account-connection';
import { AccountStore } from './account-store';
import { AccountView } from './account-view';
import type { BackoffPolicy } from './backoff';
import type { KeyStore } from './keystore';
import type { Session } from './session';
import type { AccountServiceApi, AccountSnapshot, LoginRequest } from './types';
import { HistoryBridge } from './history-bridge';
import { Messaging } from './messaging';
import type { ExportFormat, HistoryPage, PageOptions, SearchHit } from '../store/history';
// Issue 4: contacts, profile, avatars, auto-away, directory, registration.
import { ProfileService } from './profile-service';
import type { IdleMonitor } from './idle';
// Issue 6: file transfers, staging, the download folder.
import { TransferBridge, type TransferTuning } from './transfer-bridge';

export interface AccountServiceOptions {
  dataDir: string;
  keyStore: KeyStore;
  appVersion: string;
  log?: Logger;
  /** Extra trusted CA certificates (PEM) — tests and the demo use a throw-away CA. */
  extraCa?: string[];
  tlsMaxVersion?: 'TLSv1.2' | 'TLSv1.3';
  dns?: DnsPort;
  backoff?: BackoffPolicy;
  keepalive?: { pingAfterMs: number; deadAfterMs: number };
  /** System idle time for auto-away (Electron powerMonitor); none: never idle (or settable with testHooks). */
  idleMonitor?: IdleMonitor;
  /** FLINT_TEST_HOOKS=1: test-only commands (debug.setIdleSeconds) work. */
  testHooks?: boolean;
  /** Where accepted files go until the user picks a folder (Electron: app.getPath('downloads')). Default ~/Downloads. */
  defaultDownloadFolder?: string;
  /** File transfer time limits, SOCKS5 addresses, plain http on loopback (tests). */
  transfers?: TransferTuning;
}

interface RosterApi {
  add(jid: string, name?: string, groups?: string[]): Promise<void>;
  remove(jid: string): Promise<void>;
}
interface PresenceApi {
  set(show: Show, status?: string, priority?: number): void;
  subscribe(jid: string, nick?: string): void;
  approve(jid: string): void;
  deny(jid: string): void;
}

export class AccountService implements AccountServiceApi {
  private readonly store: AccountStore;
  private readonly log: Logger;
  private readonly listeners = new Set<(e: CoreEvent) => void>();
  /** Sign-in, reconnects with backoff, redirects, the pinned certificate: one Session at a time. */
  private readonly connection: AccountConnection;
  /** Roster, contacts' presence, own presence, subscription requests, as the app sees them. */
  private readonly view: AccountView;
  /** Messages: stored before they are shown; the durable outbox; archive catch-up. */
  private readonly history: HistoryBridge;
  /** Issue 5: chat states, corrections, displayed markers, mute. */
  private readonly messaging: Messaging;
  /** Issue 4: roster management, blocking, profile, avatars, auto-away, directory, registration. */
  readonly profile: ProfileService;
  /** Issue 6: file transfers, staged files, the download folder. */
  readonly transfers: TransferBridge;

  constructor(private readonly opts: AccountServiceOptions) {
    this.log = opts.log ?? silentLogger;
    this.store = new AccountStore(opts.dataDir, opts.keyStore);
    this.view = new AccountView({
      store: this.store,
      account: () => this.connection.settings?.jid,
      emit: (e) => this.emit(e),
    });
    // The options object itself: what it holds is read when a session starts or backs off.
    this.connection = new AccountConnection(opts, this.store, this.log, {
      modules: (settings) => this.modules(settings),
      event: (e) => this.onCoreEvent(e),
      online: (jid) => this.onOnline(jid),
      ended: () => this.view.sessionEnded(),
      cancelTransfers: () => this.transfers.cancelAll(),
      leaveAccount: () => this.transfers.resetAccount(),
      accountChanged: () => {
        this.view.reset();
        this.profile.resetAccount();
      },
      signedOut: () => this.view.signedOut(),
      emit: (e) => this.emit(e),
    });
    this.history = new HistoryBridge(opts.dataDir, {
      emit: (e) => this.emit(e),
      log: this.log,
      account: () => this.connection.settings?.jid,
      api: (name) => this.api(name),
    });
    this.messaging = new Messaging(opts.dataDir, {
      store: this.history.store,
      account: () => this.connection.settings?.jid,
      api: (name) => this.api(name),
      emit: (e) => this.emit(e),
      log: this.log,
    });
    this.profile = new ProfileService({
      dataDir: opts.dataDir,
      log: this.log,
      emit: (e) => this.emit(e),
      api: (name) => this.api(name),
      account: () => this.connection.settings?.jid,
      online: () => this.connection.state.status === 'online',
      resourcesOf: (jid) => this.view.resourcesOf(jid),
      chosenPresence: () => this.view.chosenShow,
      forgetPresence: (jids) => this.view.forgetPresence(jids),
      passwordChanged: (password) => this.connection.passwordChanged(password),
      idleMonitor: opts.idleMonitor,
      testHooks: opts.testHooks,
      registration: { extraCa: opts.extraCa, dns: opts.dns, tlsMaxVersion: opts.tlsMaxVersion },
    });
    this.transfers = new TransferBridge({
      dataDir: opts.dataDir,
      defaultDownloadFolder: opts.defaultDownloadFolder,
      log: this.log,
      api: (name) => this.api(name),
      subscribe: (l) => this.subscribe(l),
      emit: (e) => this.emit(e),
      online: () => this.connection.state.status === 'online',
      extraCa: opts.extraCa,
      tuning: opts.transfers,
    });
  }

  // ------------------------------------------------------------------ commands

  login(req: LoginRequest): Promise<void> {
    return this.connection.login(req);
  }

  resume(): Promise<boolean> {
    return this.connection.resume();
  }

  logout(): Promise<void> {
    return this.connection.logout();
  }

  reconnectNow(): void {
    this.connection.reconnectNow();
  }

  trustCertificate(fingerprint256: string): Promise<void> {
    return this.connection.trustCertificate(fingerprint256);
  }

  setPresence(show: Show, status?: string): void {
    this.view.chosenShow = { show, status };
    this.profile.presenceChosen();
    const api = this.api<PresenceApi>('rfc6121-presence');
    if (api) api.set(show, status);
    if (this.connection.state.status === 'online') this.emit({ type: 'presence.own', show, status });
  }

  /** Committed to the durable outbox first; sent at once when online, else when next online. */
  sendChat(to: string, body: string): ChatMessage {
    return this.history.send(to, body);
  }

  retryChat(id: string): ChatMessage {
    return this.history.retry(id);
  }

  setChatState(to: string, state: ChatState): boolean {
    return this.messaging.setChatState(to, state);
  }

  correctChat(id: string, body: string): Promise<ChatMessage> {
    return this.messaging.correct(id, body);
  }

  markDisplayed(peer: string, id: string): boolean {
    return this.messaging.markDisplayed(peer, id);
  }

  setMuted(peer: string, muted: boolean): void {
    this.messaging.setMuted(peer, muted);
  }

  isMuted(peer: string): boolean {
    return this.messaging.isMuted(peer);
  }

  historyPage(peer: string, opts: PageOptions): Promise<HistoryPage> {
    return this.history.page(bareJid(peer), opts);
  }

  searchHistory(query: string, limit?: number): SearchHit[] {
    return this.history.search(query, limit);
  }

  exportHistory(peer: string, format: ExportFormat): string {
    return this.history.export(bareJid(peer), format);
  }

  async addContact(jid: string, name?: string, groups?: string[]): Promise<void> {
    const bare = bareJid(jid);
    const roster = this.requireOnline<RosterApi>('rfc6121-roster');
    await roster.add(bare, name, groups);
    this.requireOnline<PresenceApi>('rfc6121-presence').subscribe(bare);
  }

  async removeContact(jid: string): Promise<void> {
    // RFC 6121 §2.5: removing the item also cancels both subscriptions.
    await this.requireOnline<RosterApi>('rfc6121-roster').remove(bareJid(jid));
  }

  answerSubscription(jid: string, accept: boolean, addBack = true): void {
    const bare = bareJid(jid);
    const presence = this.requireOnline<PresenceApi>('rfc6121-presence');
    if (accept) {
      presence.approve(bare);
      // Spark-style "accept and add" also asks for theirs when we don't have it yet, so both see each other.
      const c = this.view.contact(bare);
      if (addBack && (!c || (c.subscription !== 'to' && c.subscription !== 'both' && !c.ask))) presence.subscribe(bare);
    } else presence.deny(bare);
    this.view.subscriptionAnswered(bare);
  }

  snapshot(): AccountSnapshot {
    const presence = this.view.presenceList();
    const conversations = this.history.recent();
    return {
      connection: this.connection.state,
      settings: this.connection.settings,
      roster: this.view.contacts(),
      presence,
      own: this.view.own,
      conversations,
      pendingSubscriptions: this.view.pendingSubscriptions(),
      profile: this.profile.snapshot(),
      muted: this.messaging.mutedPeers(),
      seen: this.history.seen(),
      transfers: this.transfers.list(),
    };
  }

  savedAccounts(): AccountSettings[] {
    return this.store.list();
  }

  subscribe(listener: (e: CoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async dispose(): Promise<void> {
    await this.logout();
    await this.transfers.dispose();
    this.profile.dispose();
    this.view.dispose();
    this.history.close();
  }

  // ------------------------------------------------------------------ what a session carries and does

  /** The live session (integration tests reach past the service to module APIs through it). */
  private get session(): Session | undefined {
    return this.connection.session;
  }

  private modules(settings: AccountSettings): AnyModule[] {
    // Issue 6: the file-transfer modules go in before rfc6121-im (see file-transfer.ts).
    return withFileTransferModules([
      ...defaultModules({
        appVersion: this.opts.appVersion,
        loadRosterCache: () => this.view.rosterCache(settings.jid),
        rosterVersioning: () => !!this.session?.connection?.features?.child('ver', NS.rosterver),
      }),
      this.history.module,
      // After history: its online step (auto-away check) runs once initial presence is out.
      this.profile.module,
    ]);
  }

  private onOnline(jid: string): void {
    this.view.announceChosen();
    this.connection.setState({ status: 'online', jid });
    const presence = this.api<PresenceApi>('rfc6121-presence');
    presence?.set(this.view.chosenShow.show, this.view.chosenShow.status);
    this.emit({ type: 'presence.own', show: this.view.chosenShow.show, status: this.view.chosenShow.status });
    this.history.online();
  }

  private onCoreEvent(e: CoreEvent): void {
    // Message events reach the app from the history bridge, once committed.
    if (this.history.handle(e)) return;
    this.profile.handle(e);
    this.view.apply(e);
    if (e.type === 'security.rejected') this.log.warn('rejected from remote', { what: e.what, from: e.from });
    this.emit(e);
  }

  private emit(e: CoreEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error('event listener failed', { error: String(err) });
      }
    }
  }

  private api<T>(name: string): T | undefined {
    return this.connection.api<T>(name);
  }

  private requireOnline<T>(name: string): T {
    const a = this.api<T>(name);
    if (!a) throw new Error('Not connected: try again when Flint is online.');
    return a;
  }
}
