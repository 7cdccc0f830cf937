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

  /**
   * Resolves with the first event matching pred: among those already seen (all of them, or those
   * since a mark taken with `mark()`) unless includePast is false, else the next one to come.
   */
  waitFor<E extends CoreEvent>(pred: (e: CoreEvent) => e is E, timeoutMs?: number, includePast?: boolean | Mark): Promise<E>;
  waitFor(pred: (e: CoreEvent) => boolean, timeoutMs?: number, includePast?: boolean | Mark): Promise<CoreEvent>;
  waitFor(pred: (e: CoreEvent) => boolean, timeoutMs = 20_000, includePast: boolean | Mark = true): Promise<CoreEvent> {
    if (includePast !== false) {
      const seen = this.events.slice(includePast === true ? 0 : includePast.at).find(pred);
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

  /** The point reached in `events`, for waiting on what happens from here on, however quickly. */
  mark(): Mark {
    return { at: this.events.length };
  }

  /**
   * Wait for a connection state with this status: the current one counts unless includePast is
   * false; with a mark, any state reported since it counts (a reconnect may come and go while the
   * test is still awaiting what caused it).
   */
  async waitStatus(status: ConnectionState['status'], timeoutMs = 20_000, includePast: boolean | Mark = true): Promise<ConnectionState> {
    if (includePast === true && this.state().status === status) return this.state();
    const e = await this.waitFor((ev) => ev.type === 'connection.changed' && ev.state.status === status, timeoutMs, includePast === true ? false : includePast);
    return (e as Extract<CoreEvent, { type: 'connection.changed' }>).state;
  }

  async close(): Promise<void> {
    await this.service.dispose();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A place in a TestAccount's event list (TestAccount.mark). */
export interface Mark {
  readonly at: number;
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
