// A Flint account (the real AccountService, engine and sockets) for integration tests, with
// helpers to wait for what it reports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountSettings, ConnectionState } from '../../shared/domain';
import type { CoreEvent } from '../../electron/core/events';
import { AccountService, type AccountServiceOptions } from '../../electron/main/accounts/account-service';
import type { KeyStore } from '../../electron/main/accounts/keystore';

/** A keystore for tests: reversible on purpose, never used by the app. */
export const testKeyStore: KeyStore = {
  isAvailable: () => true,
  encrypt: (s) => new TextEncoder().encode(`sealed:${s}`),
  decrypt: (b) => new TextDecoder().decode(b).replace(/^sealed:/, ''),
};

export class TestAccount {
  readonly service: AccountService;
  readonly events: CoreEvent[] = [];
  readonly dataDir: string;
  private waiters: { pred: (e: CoreEvent) => boolean; resolve: (e: CoreEvent) => void }[] = [];

  constructor(opts: Partial<AccountServiceOptions> & { caPem?: string } = {}) {
    this.dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'flint-it-'));
    this.service = new AccountService({
      dataDir: this.dataDir,
      keyStore: testKeyStore,
      appVersion: '0.0.0-test',
      extraCa: opts.caPem ? [opts.caPem] : opts.extraCa,
      ...opts,
    });
    this.service.subscribe((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  login(settings: Partial<AccountSettings> & { jid: string }, password: string): Promise<void> {
    return this.service.login({ settings: { tlsMode: 'starttls', ...settings }, password, remember: false });
  }

  /** Resolves with the first event (already seen or future) matching pred. */
  waitFor<E extends CoreEvent>(pred: (e: CoreEvent) => e is E, timeoutMs?: number, includePast?: boolean): Promise<E>;
  waitFor(pred: (e: CoreEvent) => boolean, timeoutMs?: number, includePast?: boolean): Promise<CoreEvent>;
  waitFor(pred: (e: CoreEvent) => boolean, timeoutMs = 20_000, includePast = true): Promise<CoreEvent> {
    if (includePast) {
      const seen = this.events.find(pred);
      if (seen) return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting; last state: ${JSON.stringify(this.state())}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  state(): ConnectionState {
    return this.service.snapshot().connection;
  }

  /** Wait for a connection state with this status (from now on unless includePast). */
  async waitStatus(status: ConnectionState['status'], timeoutMs = 20_000, includePast = true): Promise<ConnectionState> {
    if (includePast && this.state().status === status) return this.state();
    const e = await this.waitFor((ev) => ev.type === 'connection.changed' && ev.state.status === status, timeoutMs, false);
    return (e as Extract<CoreEvent, { type: 'connection.changed' }>).state;
  }

  async close(): Promise<void> {
    await this.service.dispose();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

type Ev<T extends CoreEvent['type']> = Extract<CoreEvent, { type: T }>;
export type { Ev };

/** A type-narrowing predicate for waitFor: is('roster.changed', (r) => r.replace === true). */
export const is =
  <T extends CoreEvent['type']>(type: T, pred: (e: Ev<T>) => boolean = () => true) =>
  (e: CoreEvent): e is Ev<T> =>
    e.type === type && pred(e as Ev<T>);

/** A module's API on the account's live connection (tests reach past the service on purpose). */
export function moduleApi<T>(a: TestAccount, name: string): T {
  const conn = (a.service as unknown as { session?: { connection?: { api<A>(n: string): A } } }).session?.connection;
  if (!conn) throw new Error('not connected');
  return conn.api<T>(name);
}
