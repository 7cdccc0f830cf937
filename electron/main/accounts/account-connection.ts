// The connection lifecycle of the signed-in account: sign in, resume, sign out; one Session at a
// time (a generation number drops the callbacks of a session that was replaced); reconnects with
// backoff; see-other-host redirects; pinning the certificate the user chose to trust; the
// strongest SASL mechanism seen, kept as a downgrade floor. AccountService (account-service.ts)
// owns one and supplies, through hooks, what a session carries and what the app does around it.
import type { AccountSettings, ConnectionState } from '../../../shared/domain';
import { bareJid, JidError, parseJid } from '../../../shared/jid';
import type { CoreEvent } from '../../core/events';
import type { AnyModule } from '../../core/module';
import type { Logger } from '../../core/ports';
import { mechanismStrength } from '../../core/sasl/mechanisms';
import { isFatal } from '../../core/stream/errors';
import type { AccountServiceOptions } from './account-service';
import type { AccountStore } from './account-store';
import { backoffDelay, defaultBackoff, nextAttempt } from './backoff';
import { DEFAULT_KEEPALIVE, Session } from './session';
import type { LoginRequest } from './types';

/** Read from AccountServiceOptions itself, when needed (a test shortens the backoff on it while running). */
export type ConnectionOptions = Pick<AccountServiceOptions, 'extraCa' | 'tlsMaxVersion' | 'dns' | 'backoff' | 'keepalive'>;

export interface ConnectionHooks {
  /** The protocol modules of a new session for this account. */
  modules(settings: AccountSettings): AnyModule[];
  /** An engine event of the current session. */
  event(e: CoreEvent): void;
  /** The current session is online (redirect and backoff counts reset); the hook reports the status. */
  online(jid: string): void;
  /** The current session ended, before a reconnect is planned. */
  ended(): void;
  /** Running transfers are cancelled while the stream is still up, so peers hear of it. */
  cancelTransfers(): Promise<void>;
  /** Another account signs in: its transfers go (peers are told while the old session is still up). */
  leaveAccount(): Promise<void>;
  /** Another account signs in: what was known about the previous one goes. */
  accountChanged(): void;
  /** Signed out: no own presence, nor contacts'. */
  signedOut(): void;
  emit(e: CoreEvent): void;
}

const MAX_REDIRECTS = 3;

export class AccountConnection {
  /** The account signing in, or last signed in (sign-out keeps it). */
  private current?: AccountSettings;
  private password?: string;
  /** The session of the latest attempt; its stream is `live.connection` once online. */
  private live?: Session;
  private connectionState: ConnectionState = { status: 'offline' };
  private attempt = 0;
  private onlineSince?: number;
  private retryTimer?: ReturnType<typeof setTimeout>;
  private redirects = 0;
  private redirect?: { host: string; port?: number };
  private lastCertFingerprint?: string;
  private wanted = false;
  private generation = 0;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly store: AccountStore,
    private readonly log: Logger,
    private readonly hooks: ConnectionHooks,
  ) {}

  get settings(): AccountSettings | undefined {
    return this.current;
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  get session(): Session | undefined {
    return this.live;
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
    if (this.current?.jid !== jid) await this.hooks.leaveAccount();
    else await this.hooks.cancelTransfers();
    this.stopSession();
    if (this.current?.jid !== jid) this.resetAccountState();
    this.current = settings;
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
    if (this.current?.jid !== last.jid) {
      await this.hooks.leaveAccount();
      this.resetAccountState();
    }
    this.current = last;
    this.password = password;
    this.begin();
    return true;
  }

  async logout(): Promise<void> {
    this.wanted = false;
    this.clearRetry();
    // Before the stream closes, so peers hear that running transfers are cancelled.
    await this.hooks.cancelTransfers();
    const s = this.live;
    this.live = undefined;
    if (s) {
      s.close();
      await Promise.race([s.done, new Promise((r) => setTimeout(r, 2_000))]);
    }
    this.password = undefined;
    this.hooks.signedOut();
    this.setState({ status: 'offline' });
  }

  reconnectNow(): void {
    if (!this.current || !this.password) return;
    if (this.connectionState.status === 'online' || this.connectionState.status === 'connecting' || this.connectionState.status === 'authenticating') return;
    this.clearRetry();
    this.connect();
  }

  async trustCertificate(fingerprint256: string): Promise<void> {
    if (!this.current || !this.password) throw new Error('Not signing in.');
    // Only the certificate the server actually presented can be pinned, never an arbitrary value.
    if (!this.lastCertFingerprint || fingerprint256 !== this.lastCertFingerprint) throw new Error('That is not the certificate the server presented.');
    this.current = { ...this.current, pinnedFingerprint256: fingerprint256 };
    this.store.save(this.current);
    this.begin();
  }

  /** The server took a new password: keep it for reconnects (and the keychain, when remembered). */
  passwordChanged(password: string): void {
    this.password = password;
    const jid = this.current?.jid;
    if (jid && this.store.loadPassword(jid) !== undefined) this.store.savePassword(jid, password);
  }

  /** A protocol module's API while online, else undefined. */
  api<T>(name: string): T | undefined {
    const conn = this.live?.connection;
    if (!conn) return undefined;
    try {
      return conn.api<T>(name);
    } catch {
      return undefined;
    }
  }

  setState(s: ConnectionState): void {
    this.connectionState = s;
    this.hooks.emit({ type: 'connection.changed', state: s });
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
    if (!this.current || !this.password) return;
    this.stopSession();
    const gen = ++this.generation;
    const settings = this.current;
    const session = new Session({
      settings,
      password: this.password,
      modules: this.hooks.modules(settings),
      log: this.log,
      extraCa: this.opts.extraCa,
      tlsMaxVersion: this.opts.tlsMaxVersion,
      dns: this.opts.dns,
      redirect: this.redirect,
      keepalive: this.opts.keepalive ?? DEFAULT_KEEPALIVE,
      onEvent: (e) => gen === this.generation && this.hooks.event(e),
      onAuthenticated: (mechanism) => gen === this.generation && this.rememberMechanism(mechanism),
      onOnline: (jid) => gen === this.generation && this.onOnline(jid),
      onStatus: (status) => {
        if (gen !== this.generation) return;
        this.setState({ status, attempt: this.attempt || undefined });
      },
    });
    this.live = session;
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
    this.hooks.online(jid);
  }

  private onSessionEnd(error: ConnectionState['error'], redirect: { host: string; port?: number } | undefined, wasOnline: boolean): void {
    this.live = undefined;
    this.hooks.ended();
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
    if (!this.current) return;
    if (mechanismRank(mechanism) > mechanismRank(this.current.strongestMechanism)) {
      this.current = { ...this.current, strongestMechanism: mechanism };
      this.store.save(this.current);
    }
  }

  private stopSession(): void {
    this.generation++;
    const s = this.live;
    this.live = undefined;
    s?.close();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private resetAccountState(): void {
    this.lastCertFingerprint = undefined;
    this.hooks.accountChanged();
  }
}

function mechanismRank(m: string | undefined): number {
  return m ? mechanismStrength(m) : -1;
}
