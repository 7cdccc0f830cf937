// The signed-in account as the app sees it: connection lifecycle with reconnect, the current
// roster/presence (so a window that opens gets a snapshot), and the commands the IPC router
// dispatches. Messages live in the history store (history-bridge.ts). One account at a time for now.
import type { AccountSettings, ChatMessage, ConnectionState, Contact, PresenceUpdate, Show } from '../../../shared/domain';
import { bareJid, JidError, parseJid } from '../../../shared/jid';
import type { ChatState, CoreEvent } from '../../core/events';
import { NS } from '../../core/module';
import { defaultModules, withFileTransferModules } from '../../core/modules';
import { silentLogger, type Logger } from '../../core/ports';
import type { DnsPort } from '../net/resolve';
import { AccountStore } from './account-store';
import { backoffDelay, defaultBackoff, nextAttempt, type BackoffPolicy } from './backoff';
import type { KeyStore } from './keystore';
import { DEFAULT_KEEPALIVE, Session } from './session';
import { isFatal } from '../../core/stream/errors';
import { mechanismStrength } from '../../core/sasl/mechanisms';
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
const MAX_REDIRECTS = 3;

export class AccountService implements AccountServiceApi {
  private readonly store: AccountStore;
  private readonly log: Logger;
  private readonly listeners = new Set<(e: CoreEvent) => void>();
  private settings?: AccountSettings;
  private password?: string;
  private session?: Session;
  private state: ConnectionState = { status: 'offline' };
  private attempt = 0;
  private onlineSince?: number;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private redirects = 0;
  private redirect?: { host: string; port?: number };
  private lastCertFingerprint?: string;
  private wanted = false;
  private generation = 0;
  private readonly roster = new Map<string, Contact>();
  private rosterVer?: string;
  private readonly presence = new Map<string, Map<string, PresenceUpdate>>();
  private own: { show: Show | 'offline'; status?: string } = { show: 'offline' };
  private chosenShow: { show: Show; status?: string } = { show: 'available' };
  private readonly pendingSubs = new Map<string, { from: string; nick?: string; status?: string }>();
  /** Messages: stored before they are shown; the durable outbox; archive catch-up. */
  private readonly history: HistoryBridge;
  /** Issue 5: chat states, corrections, displayed markers, mute. */
  private readonly messaging: Messaging;
  private rosterSaveTimer?: ReturnType<typeof setTimeout>;
  /** Issue 4: roster management, blocking, profile, avatars, auto-away, directory, registration. */
  readonly profile: ProfileService;
  /** Issue 6: file transfers, staged files, the download folder. */
  readonly transfers: TransferBridge;

  constructor(private readonly opts: AccountServiceOptions) {
    this.log = opts.log ?? silentLogger;
    this.store = new AccountStore(opts.dataDir, opts.keyStore);
    this.history = new HistoryBridge(opts.dataDir, {
      emit: (e) => this.emit(e),
      log: this.log,
      account: () => this.settings?.jid,
      api: (name) => this.api(name),
    });
    this.messaging = new Messaging(opts.dataDir, {
      store: this.history.store,
      account: () => this.settings?.jid,
      api: (name) => this.api(name),
      emit: (e) => this.emit(e),
      log: this.log,
    });
    this.profile = new ProfileService({
      dataDir: opts.dataDir,
      log: this.log,
      emit: (e) => this.emit(e),
      api: (name) => this.api(name),
      account: () => this.settings?.jid,
      online: () => this.state.status === 'online',
      resourcesOf: (jid) => [...(this.presence.get(jid)?.values() ?? [])],
      chosenPresence: () => this.chosenShow,
      forgetPresence: (jids) => this.forgetPresence(jids),
      passwordChanged: (password) => {
        this.password = password;
        const jid = this.settings?.jid;
        if (jid && this.store.loadPassword(jid) !== undefined) this.store.savePassword(jid, password);
      },
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
      online: () => this.state.status === 'online',
      extraCa: opts.extraCa,
      tuning: opts.transfers,
    });
  }

  // ------------------------------------------------------------------ commands

  async login(req: LoginRequest): Promise<void> {
    let jid: string;
    try {
      const j = parseJid(req.settings.jid);
      if (!j.local) throw new JidError('A Jabber ID needs a user name: name@server', req.settings.jid);
      jid = bareJid(req.settings.jid);
    } catch (err) {
      throw new Error(`Invalid Jabber ID: ${(err as Error).message}`);
    }
    const previous = this.store.list().find((a) => a.jid === jid);
    const sameServer = previous && previous.host === req.settings.host && previous.port === req.settings.port;
    const settings: AccountSettings = {
      ...req.settings,
      jid,
      // A pin and the downgrade floor belong to the server they were learnt from.
      pinnedFingerprint256: req.settings.pinnedFingerprint256 ?? (sameServer ? previous?.pinnedFingerprint256 : undefined),
      strongestMechanism: sameServer ? previous?.strongestMechanism : undefined,
    };
    // Peers are told while the old session is still up; another account keeps none of them.
    if (this.settings?.jid !== jid) await this.transfers.resetAccount();
    else await this.transfers.cancelAll();
    this.stopSession();
    if (this.settings?.jid !== jid) this.resetAccountState();
    this.settings = settings;
    this.password = req.password;
    this.store.save(settings);
    if (req.remember) this.store.savePassword(jid, req.password);
    else this.store.forgetPassword(jid);
    this.begin();
  }

  async resume(): Promise<boolean> {
    const last = this.store.last();
    if (!last) return false;
    const password = this.store.loadPassword(last.jid);
    if (!password) return false;
    if (this.settings?.jid !== last.jid) {
      await this.transfers.resetAccount();
      this.resetAccountState();
    }
    this.settings = last;
    this.password = password;
    this.begin();
    return true;
  }

  async logout(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    // Before the stream closes, so peers hear that running transfers are cancelled.
    await this.transfers.cancelAll();
    const s = this.session;
    this.session = undefined;
    if (s) {
      s.close();
      await Promise.race([s.done, new Promise((r) => setTimeout(r, 2_000))]);
    }
    this.password = undefined;
    this.own = { show: 'offline' };
    this.presence.clear();
    this.setState({ status: 'offline' });
  }

  reconnectNow(): void {
    if (!this.settings || !this.password) return;
    if (this.state.status === 'online' || this.state.status === 'connecting' || this.state.status === 'authenticating') return;
    this.clearRetry();
    this.connect();
  }

  async trustCertificate(fingerprint256: string): Promise<void> {
    if (!this.settings || !this.password) throw new Error('Not signing in.');
    // Only the certificate the server actually presented can be pinned, never an arbitrary value.
    if (!this.lastCertFingerprint || fingerprint256 !== this.lastCertFingerprint) throw new Error('That is not the certificate the server presented.');
    this.settings = { ...this.settings, pinnedFingerprint256: fingerprint256 };
    this.store.save(this.settings);
    this.begin();
  }

  setPresence(show: Show, status?: string): void {
    this.chosenShow = { show, status };
    this.profile.presenceChosen();
    const api = this.api<PresenceApi>('rfc6121-presence');
    if (api) api.set(show, status);
    if (this.state.status === 'online') this.emit({ type: 'presence.own', show, status });
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
      const c = this.roster.get(bare);
      if (addBack && (!c || (c.subscription !== 'to' && c.subscription !== 'both' && !c.ask))) presence.subscribe(bare);
    } else presence.deny(bare);
    this.pendingSubs.delete(bare);
  }

  snapshot(): AccountSnapshot {
    const presence: PresenceUpdate[] = [];
    for (const m of this.presence.values()) presence.push(...m.values());
    const conversations = this.history.recent();
    return {
      connection: this.state,
      settings: this.settings,
      roster: [...this.roster.values()],
      presence,
      own: this.own,
      conversations,
      pendingSubscriptions: [...this.pendingSubs.values()],
      profile: this.profile.snapshot(),
      muted: this.messaging.mutedPeers(),
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
    if (this.rosterSaveTimer) {
      clearTimeout(this.rosterSaveTimer);
      this.flushRoster();
    }
    this.history.close();
  }

  // ------------------------------------------------------------------ connection lifecycle

  private begin(): void {
    this.wanted = true;
    this.attempt = 0;
    this.redirects = 0;
    this.redirect = undefined;
    this.clearRetry();
    this.connect();
  }

  private connect(): void {
    if (!this.settings || !this.password) return;
    this.stopSession();
    const gen = ++this.generation;
    const settings = this.settings;
    const session = new Session({
      settings,
      password: this.password,
      // Issue 6: the file-transfer modules go in before rfc6121-im (see file-transfer.ts).
      modules: withFileTransferModules([
        ...defaultModules({
          appVersion: this.opts.appVersion,
          loadRosterCache: () => (this.rosterVer !== undefined ? { ver: this.rosterVer, items: [...this.roster.values()] } : this.store.loadRoster(settings.jid)),
          rosterVersioning: () => !!this.session?.connection?.features?.child('ver', NS.rosterver),
        }),
        this.history.module,
        // After history: its online step (auto-away check) runs once initial presence is out.
        this.profile.module,
      ]),
      log: this.log,
      extraCa: this.opts.extraCa,
      tlsMaxVersion: this.opts.tlsMaxVersion,
      dns: this.opts.dns,
      redirect: this.redirect,
      keepalive: this.opts.keepalive ?? DEFAULT_KEEPALIVE,
      onEvent: (e) => gen === this.generation && this.onCoreEvent(e),
      onAuthenticated: (mechanism) => gen === this.generation && this.rememberMechanism(mechanism),
      onOnline: (jid) => gen === this.generation && this.onOnline(jid),
      onStatus: (status) => {
        if (gen !== this.generation) return;
        this.setState({ status, attempt: this.attempt || undefined });
      },
    });
    this.session = session;
    session.done.then((end) => {
      if (gen !== this.generation) return;
      this.onSessionEnd(end.error, end.redirect, end.wasOnline);
    });
    session.start().catch((err: unknown) => this.log.error('session start failed', { error: String(err) }));
  }

  private onOnline(jid: string): void {
    this.onlineSince = Date.now();
    this.redirects = 0;
    this.redirect = undefined;
    this.own = { show: this.chosenShow.show, status: this.chosenShow.status };
    this.setState({ status: 'online', jid });
    const presence = this.api<PresenceApi>('rfc6121-presence');
    presence?.set(this.chosenShow.show, this.chosenShow.status);
    this.emit({ type: 'presence.own', show: this.chosenShow.show, status: this.chosenShow.status });
    this.history.online();
  }

  private onSessionEnd(error: ConnectionState['error'], redirect: { host: string; port?: number } | undefined, wasOnline: boolean): void {
    this.session = undefined;
    // Contacts' presence is unknown while we are not connected.
    if (this.presence.size > 0) {
      const updates: PresenceUpdate[] = [];
      for (const [jid, m] of this.presence) for (const r of m.keys()) updates.push({ jid, resource: r, presence: null });
      this.presence.clear();
      this.emit({ type: 'presence.changed', updates });
    }
    this.own = { show: 'offline' };
    if (!this.wanted) {
      this.setState({ status: 'offline' });
      return;
    }
    if (redirect && this.redirects < MAX_REDIRECTS) {
      this.redirects++;
      this.redirect = redirect;
      this.log.info('following see-other-host', { host: redirect.host, hop: this.redirects });
      this.connect();
      return;
    }
    if (error?.code === 'cert-untrusted') this.lastCertFingerprint = error.cert?.fingerprint256;
    if (error && (isFatal(error) || (error.condition === 'see-other-host'))) {
      this.wanted = false;
      this.setState({ status: 'failed', error });
      return;
    }
    this.attempt = nextAttempt(this.attempt, wasOnline ? this.onlineSince : undefined, Date.now(), this.opts.backoff ?? defaultBackoff);
    this.onlineSince = undefined;
    const delay = backoffDelay(this.attempt, Math.random(), this.opts.backoff ?? defaultBackoff);
    this.setState({ status: 'reconnecting', error, retryAt: Date.now() + delay, attempt: this.attempt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.wanted) this.connect();
    }, delay);
  }

  private rememberMechanism(mechanism: string): void {
    if (!this.settings) return;
    if (mechanismRank(mechanism) > mechanismRank(this.settings.strongestMechanism)) {
      this.settings = { ...this.settings, strongestMechanism: mechanism };
      this.store.save(this.settings);
    }
  }

  private stopSession(): void {
    this.generation++;
    const s = this.session;
    this.session = undefined;
    s?.close();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private resetAccountState(): void {
    this.roster.clear();
    this.rosterVer = undefined;
    this.presence.clear();
    this.pendingSubs.clear();
    this.lastCertFingerprint = undefined;
    this.profile.resetAccount();
  }

  // ------------------------------------------------------------------ state from engine events

  private onCoreEvent(e: CoreEvent): void {
    // Message events reach the app from the history bridge, once committed.
    if (this.history.handle(e)) return;
    this.profile.handle(e);
    switch (e.type) {
      case 'roster.changed':
        if (e.replace) this.roster.clear();
        for (const c of e.upserted) this.roster.set(c.jid, c);
        for (const j of e.removed) this.roster.delete(j);
        if (e.ver !== undefined) this.rosterVer = e.ver;
        this.scheduleRosterSave();
        break;
      case 'presence.changed':
        for (const u of e.updates) {
          let m = this.presence.get(u.jid);
          if (u.presence) {
            if (!m) this.presence.set(u.jid, (m = new Map()));
            m.set(u.resource, u);
          } else if (m) {
            m.delete(u.resource);
            if (m.size === 0) this.presence.delete(u.jid);
          }
        }
        break;
      case 'presence.own':
        this.own = { show: e.show, status: e.status };
        break;
      case 'subscription.request':
        if (e.kind === 'subscribe') this.pendingSubs.set(e.from, { from: e.from, nick: e.nick, status: e.status });
        else if (e.kind === 'unsubscribe') this.pendingSubs.delete(e.from);
        break;
      case 'security.rejected':
        this.log.warn('rejected from remote', { what: e.what, from: e.from });
        break;
      case 'connection.changed':
        break;
    }
    this.emit(e);
  }

  /** Issue 4: presence we will hear nothing more about (a blocked contact) is dropped, not left stale. */
  private forgetPresence(jids: string[]): void {
    const updates: PresenceUpdate[] = [];
    for (const jid of jids) {
      const m = this.presence.get(jid);
      if (!m) continue;
      for (const r of m.keys()) updates.push({ jid, resource: r, presence: null });
      this.presence.delete(jid);
    }
    if (updates.length > 0) this.emit({ type: 'presence.changed', updates });
  }

  private scheduleRosterSave(): void {
    if (this.rosterSaveTimer) return;
    this.rosterSaveTimer = setTimeout(() => {
      this.rosterSaveTimer = undefined;
      this.flushRoster();
    }, 500);
    this.rosterSaveTimer.unref?.();
  }

  private flushRoster(): void {
    if (this.settings) this.store.saveRoster(this.settings.jid, this.rosterVer, [...this.roster.values()]);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.emit({ type: 'connection.changed', state: s });
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
    const conn = this.session?.connection;
    if (!conn) return undefined;
    try {
      return conn.api<T>(name);
    } catch {
      return undefined;
    }
  }

  private requireOnline<T>(name: string): T {
    const a = this.api<T>(name);
    if (!a) throw new Error('Not connected: try again when Flint is online.');
    return a;
  }
}

function mechanismRank(m: string | undefined): number {
  return m ? mechanismStrength(m) : -1;
}
