// A Flint account for transfer tests and benchmarks: the real engine (Session, default modules plus
// the file-transfer modules) and a TransferService on top — what the account service will wire once
// the lead adds fileTransferModules() to it. Not used by the app.
import type { CoreEvent } from '../../../core/events';
import { defaultModules, withFileTransferModules } from '../../../core/modules';
import { silentLogger, type Logger } from '../../../core/ports';
import { Session } from '../../accounts/session';
import { TransferService, type TransferServiceOptions } from '../transfer-service';
import type { TransferEvent, TransferInfo } from '../types';

export interface FlintPeerOptions {
  jid: string;
  password: string;
  resource?: string;
  host: string;
  port: number;
  caPem?: string;
  log?: Logger;
  transfers?: Omit<TransferServiceOptions, 'host'>;
}

export class FlintPeer {
  readonly events: CoreEvent[] = [];
  readonly transferEvents: TransferEvent[] = [];
  readonly transfers: TransferService;
  jid = '';
  private readonly listeners = new Set<(e: CoreEvent) => void>();
  private session?: Session;
  private readonly taken = new Set<string>();
  private waiters: { pred: (e: TransferEvent) => boolean; resolve(e: TransferEvent): void }[] = [];

  private constructor(private readonly o: FlintPeerOptions) {
    this.transfers = new TransferService({
      ...o.transfers,
      host: {
        api: <T>(name: string): T | undefined => {
          try {
            return this.session?.connection?.api<T>(name);
          } catch {
            return undefined;
          }
        },
        subscribe: (l) => {
          this.listeners.add(l);
          return () => this.listeners.delete(l);
        },
      },
    });
    this.transfers.subscribe((e) => {
      this.transferEvents.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  static async connect(o: FlintPeerOptions): Promise<FlintPeer> {
    const peer = new FlintPeer(o);
    await peer.start();
    return peer;
  }

  private start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const session = new Session({
        settings: { jid: this.o.jid, resource: this.o.resource, host: this.o.host, port: this.o.port, tlsMode: 'starttls' },
        password: this.o.password,
        modules: withFileTransferModules(defaultModules({ appVersion: '0.0.0-test' })),
        log: this.o.log ?? silentLogger,
        extraCa: this.o.caPem ? [this.o.caPem] : undefined,
        onEvent: (e) => {
          this.events.push(e);
          for (const l of this.listeners) l(e);
        },
        onAuthenticated: () => {},
        onOnline: (jid) => {
          this.jid = jid;
          // What the account service does on online: initial presence (with caps).
          session.connection?.api<{ set(show: 'available'): void }>('rfc6121-presence').set('available');
          resolve();
        },
        onStatus: () => {},
      });
      this.session = session;
      session.done.then((end) => reject(new Error(`session ended before online: ${end.error?.message ?? 'closed'}`)));
      session.start().catch(reject);
    });
  }

  api<T>(name: string): T {
    const conn = this.session?.connection;
    if (!conn) throw new Error('not online');
    return conn.api<T>(name);
  }

  /** The first transfer event (seen already or coming) that matches. */
  waitFor<E extends TransferEvent>(pred: (e: TransferEvent) => e is E, timeoutMs?: number): Promise<E>;
  waitFor(pred: (e: TransferEvent) => boolean, timeoutMs?: number): Promise<TransferEvent>;
  waitFor(pred: (e: TransferEvent) => boolean, timeoutMs = 30_000): Promise<TransferEvent> {
    const seen = this.transferEvents.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; transfers: ${JSON.stringify(this.transfers.list())}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  /** The next incoming offer (state 'offered') not returned before. */
  async nextOffer(timeoutMs = 30_000): Promise<TransferInfo> {
    const e = await this.waitFor((ev) => ev.type === 'transfer.added' && ev.transfer.direction === 'in' && !this.taken.has(ev.transfer.id), timeoutMs);
    const t = (e as Extract<TransferEvent, { type: 'transfer.added' }>).transfer;
    this.taken.add(t.id);
    return t;
  }

  /** Resolves with the record once transfer `id` reaches a final state. */
  async settled(id: string, timeoutMs = 60_000): Promise<TransferInfo> {
    const e = await this.waitFor(
      (ev) => ev.type === 'transfer.updated' && ev.transfer.id === id && ['done', 'failed', 'cancelled', 'declined'].includes(ev.transfer.state),
      timeoutMs,
    );
    return (e as Extract<TransferEvent, { type: 'transfer.updated' }>).transfer;
  }

  async close(): Promise<void> {
    this.transfers.dispose();
    const s = this.session;
    if (!s) return;
    s.close();
    await Promise.race([s.done, new Promise((r) => setTimeout(r, 2000))]);
  }
}
