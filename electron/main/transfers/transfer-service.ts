// TransferService: every file transfer of one account, whatever carries it (issue 6).
// - send(to, path): picks the method from what the contact's client supports (disco/caps: Jingle,
//   then SI, else HTTP upload), falls back on its own when one fails for a reason other than the
//   user (declined, cancelled), and says which method carried the file.
// - Incoming offers ('file.offered' from the engine) wait for accept(id, folder) or decline(id);
//   nothing is written or connected before accept.
// - Events: transfer.added / transfer.updated (full record) / transfer.progress (throttled).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CoreEvent, FileOffer } from '../../core/events';
import { silentLogger, type Logger } from '../../core/ports';
import { bareJid, tryParseJid } from '../../../shared/jid';
import { asTransferError, transferError, TransferError } from './errors';
import type { HttpPolicy } from './http';
import { mediaTypeFor } from './media-type';
import { RateMeter } from './progress';
import { sanitizeFileName } from './safe-path';
import { FINAL_STATES, type TransferEvent, type TransferInfo, type TransferMethod, type TransferState, type TransferTransport } from './types';
import { receiveByDownload, sendByUpload, type OutgoingFile, type RunContext } from './upload-transfer';
import { receiveBySi, sendBySi, type StreamRunContext } from './si-transfer';
import { declineJingle, receiveByJingle, sendByJingle } from './jingle-transfer';
import { JINGLE_MODULE, type JingleApi } from '../../core/modules/xep0234-jingle-ft';
import { Socks5Server } from './socks5';
import { machineAddresses } from './streamhosts';
import { PeerDirectory } from './peer-directory';
import { SI_FT_NS, SI_MODULE, SI_NS, type SiApi } from '../../core/modules/xep0095-si';
import { BYTESTREAMS_NS } from '../../core/modules/xep0065-socks5';
import { DEFAULT_BLOCK_SIZE, DEFAULT_WINDOW, IBB_NS } from '../../core/modules/xep0047-ibb';
import { JINGLE_FT_NS, JINGLE_IBB_NS, JINGLE_NS, JINGLE_S5B_NS } from '../../core/modules/xep0234-jingle-ft/ns';

/** What the service needs from the account: module APIs of the live connection, and its events. */
export interface TransferHost {
  /** A module API of the connection when online (undefined offline or when the module is absent). */
  api<T>(name: string): T | undefined;
  subscribe(listener: (e: CoreEvent) => void): () => void;
}

export interface TransferServiceOptions {
  host: TransferHost;
  log?: Logger;
  /** HTTP policy for uploads/downloads (allowHttp only for tests on loopback). */
  http?: HttpPolicy;
  /** Incoming files that declare no size stop at this many bytes. Default 4 GiB. */
  maxReceiveBytes?: number;
  /** Minimum time between progress events of one transfer. Default 250 ms. */
  progressIntervalMs?: number;
  /**
   * Addresses to offer as direct SOCKS5 candidates (a listener on each, ephemeral port). Default:
   * the machine's non-loopback, non-link-local addresses. [] offers none (proxy or IBB only).
   */
  directAddresses?: string[] | (() => string[]);
  /** XEP-0047: block size to propose (default 32 KiB; peers may ask for less) and blocks in flight (default 16). */
  ibb?: { blockSize?: number; window?: number };
  /** Offer the server's SOCKS5 proxy (XEP-0065 §4) as a candidate. Default true. */
  useProxy?: boolean;
  /** Time limits (ms): waiting for the peer to answer an offer (5 min), one connection attempt (5 s), no progress (60 s). */
  timeouts?: { offer?: number; connect?: number; idle?: number };
  now?: () => number;
}

export interface SendOptions {
  /** 'auto' (default): Jingle, then SI, else upload, with fallback. Otherwise only that method. */
  method?: 'auto' | TransferMethod;
  /** Peer-to-peer methods: 'socks5' or 'ibb' only (default 'auto': SOCKS5, falling back to IBB). */
  transport?: 'auto' | 'socks5' | 'ibb';
  mediaType?: string;
  desc?: string;
}

interface Job {
  info: TransferInfo;
  abort: AbortController;
  meter: RateMeter;
  lastProgressAt: number;
  offer?: FileOffer;
}

const DEFAULT_MAX_RECEIVE = 4 * 1024 ** 3;

export class TransferService {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<(e: TransferEvent) => void>();
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private readonly peers = new PeerDirectory();
  private directServer?: Promise<Socks5Server | undefined>;

  constructor(private readonly opts: TransferServiceOptions) {
    this.log = opts.log ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.unsubscribe = opts.host.subscribe((e) => this.onCoreEvent(e));
  }

  // ------------------------------------------------------------------ public API

  subscribe(listener: (e: TransferEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): TransferInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }));
  }

  get(id: string): TransferInfo | undefined {
    const j = this.jobs.get(id);
    return j ? { ...j.info } : undefined;
  }

  /**
   * Starts sending `filePath` to `to` (a bare JID, or a full JID to pick the device). Resolves with
   * the new record once the file is checked (exists, is a regular file); the transfer goes on in
   * the background and reports through events.
   */
  async send(to: string, filePath: string, sendOpts: SendOptions = {}): Promise<TransferInfo> {
    const jid = tryParseJid(to);
    if (!jid || !jid.local) throw transferError('protocol', `not a contact address: ${to}`);
    const abs = path.resolve(filePath);
    const st = await fsp.stat(abs).catch((e: unknown) => {
      throw asTransferError(e, 'file-error');
    });
    if (!st.isFile()) throw transferError('file-error', 'only regular files can be sent');
    const name = path.basename(abs);
    const file: OutgoingFile = { path: abs, name, size: st.size, mediaType: sendOpts.mediaType ?? mediaTypeFor(name), desc: sendOpts.desc };
    const job = this.addJob({
      direction: 'out',
      peer: bareJid(to),
      ...(jid.resource ? { peerJid: to } : {}),
      name,
      size: st.size,
      mediaType: file.mediaType,
      ...(file.desc ? { desc: file.desc } : {}),
      state: 'connecting',
      path: abs,
    });
    void this.runSend(job, to, file, sendOpts.method ?? 'auto', sendOpts.transport ?? 'auto');
    return { ...job.info };
  }

  /**
   * Accepts an offered file into `folder` (absolute; the file gets a sanitized, unique name there).
   * `name` (Save as…) replaces the name the sender offered; it is sanitized the same way.
   */
  async accept(id: string, folder: string, name?: string): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || job.info.direction !== 'in') throw transferError('protocol', 'no such incoming transfer');
    if (job.info.state !== 'offered') throw transferError('protocol', `the transfer is already ${job.info.state}`);
    if (!path.isAbsolute(folder)) throw transferError('file-error', 'the download folder must be an absolute path');
    if (name !== undefined) {
      const safe = sanitizeFileName(name);
      job.offer = { ...job.offer!, name: safe };
      job.info.name = safe;
    }
    this.update(job, { state: 'connecting' });
    void this.runReceive(job, folder);
  }

  /** Declines an offered file: the sender is told (jingle/si); a link is simply not fetched. */
  decline(id: string): void {
    const job = this.jobs.get(id);
    if (!job || job.info.direction !== 'in' || job.info.state !== 'offered') return;
    const offer = job.offer!;
    try {
      if (offer.method === 'si') this.opts.host.api<SiApi>(SI_MODULE)?.decline(offer.from, offer.sid);
      else if (offer.method === 'jingle') {
        const api = this.opts.host.api<JingleApi>(JINGLE_MODULE);
        if (api) declineJingle(api, offer.sid);
      }
    } catch (e) {
      this.log.debug('decline: offer already gone', { error: String(e) });
    }
    this.finish(job, 'declined');
  }

  /** Stops a transfer in either direction; the peer is told where the protocol allows. */
  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job || FINAL_STATES.has(job.info.state)) return;
    if (job.info.state === 'offered') return this.decline(id);
    job.abort.abort(transferError('cancelled', 'cancelled'));
    this.finish(job, 'cancelled', transferError('cancelled', 'you cancelled the transfer'));
  }

  /** Forget finished transfers (the list the UI shows). */
  clearFinished(): void {
    for (const [id, j] of this.jobs) if (FINAL_STATES.has(j.info.state)) this.jobs.delete(id);
  }

  dispose(): void {
    this.unsubscribe();
    for (const j of this.jobs.values()) if (!FINAL_STATES.has(j.info.state)) j.abort.abort(transferError('cancelled', 'shutting down'));
    this.listeners.clear();
    void this.directServer?.then((s) => s?.close());
    this.directServer = undefined;
  }

  // ------------------------------------------------------------------ sending

  private async runSend(job: Job, to: string, file: OutgoingFile, method: 'auto' | TransferMethod, transport: 'auto' | 'socks5' | 'ibb'): Promise<void> {
    try {
      const plan = await this.plan(to, method);
      for (let i = 0; i < plan.length; i++) {
        const step = plan[i]!;
        this.update(job, { method: step.method, state: 'connecting', ...(step.to.includes('/') ? { peerJid: step.to } : {}) });
        try {
          await this.sendWith(step.method, job, step.to, file, transport);
          return this.finish(job, 'done');
        } catch (e) {
          const err = asTransferError(e);
          if (job.abort.signal.aborted) return;
          const last = i === plan.length - 1;
          // The person said no, or cancelled: trying another way would ignore them.
          if (last || !canFallBack(err)) throw err;
          this.log.info('transfer method failed, falling back', { id: job.info.id, method: step.method, error: err.message });
          this.update(job, { attempts: [...job.info.attempts, { method: step.method, error: err.message }], bytes: 0, rate: 0, transport: undefined });
        }
      }
      throw transferError('unsupported', 'no way to send files to this contact');
    } catch (e) {
      if (!job.abort.signal.aborted) this.fail(job, e);
    }
  }

  private async sendWith(m: TransferMethod, job: Job, to: string, file: OutgoingFile, transport: 'auto' | 'socks5' | 'ibb'): Promise<void> {
    switch (m) {
      case 'upload': {
        const url = await sendByUpload(this.runContext(job), bareJid(to), file, () => this.update(job, { state: 'transferring', transport: 'http' }));
        this.update(job, { url });
        return;
      }
      case 'si':
        return sendBySi(this.streamContext(job), to, file, transport);
      case 'jingle':
        return sendByJingle(this.streamContext(job), to, file, transport);
      default:
        throw transferError('unsupported', `${m} is not available`);
    }
  }

  /**
   * The methods to try, in order, each with the address to use: for a contact (bare JID) the
   * device is the most available resource that supports the method (disco/caps); HTTP upload goes
   * to the bare JID and needs only our server's service.
   */
  private async plan(to: string, method: 'auto' | TransferMethod): Promise<{ method: TransferMethod; to: string }[]> {
    const steps: { method: TransferMethod; to: string }[] = [];
    const wanted: TransferMethod[] = method === 'auto' ? ['jingle', 'si', 'upload'] : [method];
    const resources = to.includes('/') ? [to] : this.peers.resources(bareJid(to));
    const features = await Promise.all(resources.map((r) => this.peers.features(r, (n) => this.opts.host.api(n)).catch(() => [] as string[])));
    for (const m of wanted) {
      if (m === 'upload') {
        steps.push({ method: 'upload', to: bareJid(to) });
        continue;
      }
      const i = features.findIndex((f) => supports(m, f));
      if (i >= 0) steps.push({ method: m, to: resources[i]! });
      else if (method !== 'auto') steps.push({ method: m, to: resources[0] ?? to });
    }
    return steps;
  }

  // ------------------------------------------------------------------ receiving

  private onCoreEvent(e: CoreEvent): void {
    this.peers.onEvent(e);
    if (e.type === 'file.offered') this.onOffer(e.offer);
    else if (e.type === 'file.withdrawn') {
      for (const job of this.jobs.values()) {
        const o = job.offer;
        if (o && o.method === e.method && o.sid === e.sid && o.from === e.from && job.info.state === 'offered') {
          this.finish(job, 'failed', transferError('cancelled-by-peer', `the offer was withdrawn: ${e.reason}`));
        }
      }
    }
  }

  private onOffer(offer: FileOffer): void {
    this.addJob(
      {
        direction: 'in',
        peer: offer.peer,
        ...(offer.method !== 'upload' ? { peerJid: offer.from } : {}),
        name: sanitizeFileName(offer.name),
        ...(offer.size !== undefined ? { size: offer.size } : {}),
        ...(offer.mediaType ? { mediaType: offer.mediaType } : {}),
        ...(offer.desc ? { desc: offer.desc } : {}),
        ...(offer.url ? { url: offer.url } : {}),
        method: offer.method,
        state: 'offered',
      },
      offer,
    );
  }

  private async runReceive(job: Job, folder: string): Promise<void> {
    const offer = job.offer!;
    const ctx = this.runContext(job);
    try {
      switch (offer.method) {
        case 'upload': {
          this.update(job, { state: 'transferring', transport: 'http' });
          const res = await receiveByDownload(ctx, offer, folder, this.opts.maxReceiveBytes ?? DEFAULT_MAX_RECEIVE);
          this.update(job, { path: res.path, bytes: res.size });
          return this.finish(job, 'done');
        }
        case 'jingle': {
          const res = await receiveByJingle(this.streamContext(job), offer, folder, this.opts.maxReceiveBytes ?? DEFAULT_MAX_RECEIVE);
          this.update(job, { path: res.path, bytes: res.size });
          return this.finish(job, 'done');
        }
        case 'si': {
          const res = await receiveBySi(this.streamContext(job), offer, folder, this.opts.maxReceiveBytes ?? DEFAULT_MAX_RECEIVE);
          this.update(job, { path: res.path, bytes: res.size });
          return this.finish(job, 'done');
        }
        default:
          throw transferError('unsupported', `${offer.method} is not available`);
      }
    } catch (e) {
      if (!job.abort.signal.aborted) this.fail(job, e);
    }
  }

  // ------------------------------------------------------------------ records and events

  private runContext(job: Job): RunContext {
    return {
      api: <T>(name: string) => this.opts.host.api<T>(name),
      signal: job.abort.signal,
      progress: (bytes) => this.progress(job, bytes),
      http: this.opts.http ?? {},
    };
  }

  private streamContext(job: Job): StreamRunContext {
    const t = this.opts.timeouts ?? {};
    return {
      ...this.runContext(job),
      direct: () => this.direct(),
      proxies: (s5) => (this.opts.useProxy === false ? Promise.resolve([]) : s5.proxies().catch(() => [])),
      setTransport: (transport) => this.update(job, { transport }),
      setState: (state) => this.update(job, { state }),
      timeouts: { offer: t.offer ?? 300_000, connect: t.connect ?? 5_000, idle: t.idle ?? 60_000 },
      newSid: () => randomBytes(12).toString('hex'),
      ibb: { blockSize: this.opts.ibb?.blockSize ?? DEFAULT_BLOCK_SIZE, window: this.opts.ibb?.window ?? DEFAULT_WINDOW },
    };
  }

  /** Our SOCKS5 server for direct candidates, started on first use (none when there are no addresses). */
  private direct(): Promise<Socks5Server | undefined> {
    this.directServer ??= (async () => {
      const a = this.opts.directAddresses;
      const addresses = typeof a === 'function' ? a() : (a ?? machineAddresses());
      if (addresses.length === 0) return undefined;
      const server = new Socks5Server(this.opts.timeouts?.connect ?? 10_000);
      try {
        await server.listen(addresses);
        return server;
      } catch (e) {
        this.log.warn('no direct SOCKS5 candidates: cannot listen', { error: String(e) });
        await server.close();
        return undefined;
      }
    })();
    return this.directServer;
  }

  private addJob(fields: Omit<TransferInfo, 'id' | 'bytes' | 'rate' | 'attempts' | 'startedAt'>, offer?: FileOffer): Job {
    const info: TransferInfo = { id: randomBytes(9).toString('base64url'), bytes: 0, rate: 0, attempts: [], startedAt: this.now(), ...fields };
    const job: Job = { info, abort: new AbortController(), meter: new RateMeter(this.now), lastProgressAt: 0, ...(offer ? { offer } : {}) };
    this.jobs.set(info.id, job);
    this.emit({ type: 'transfer.added', transfer: { ...info } });
    return job;
  }

  private update(job: Job, patch: Partial<TransferInfo>): void {
    if (FINAL_STATES.has(job.info.state)) return;
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete (job.info as unknown as Record<string, unknown>)[k];
      else (job.info as unknown as Record<string, unknown>)[k] = v;
    }
    this.emit({ type: 'transfer.updated', transfer: { ...job.info } });
  }

  private progress(job: Job, bytes: number): void {
    if (FINAL_STATES.has(job.info.state)) return;
    job.info.bytes = bytes;
    job.info.rate = Math.round(job.meter.update(bytes));
    const eta = job.meter.eta(bytes, job.info.size);
    if (eta === undefined) delete job.info.eta;
    else job.info.eta = eta;
    const t = this.now();
    if (t - job.lastProgressAt < (this.opts.progressIntervalMs ?? 250)) return;
    job.lastProgressAt = t;
    this.emitProgress(job);
  }

  private emitProgress(job: Job): void {
    const { id, bytes, size, rate, eta } = job.info;
    this.emit({ type: 'transfer.progress', id, bytes, ...(size !== undefined ? { size } : {}), rate, ...(eta !== undefined ? { eta } : {}) });
  }

  private fail(job: Job, e: unknown): void {
    const err = asTransferError(e);
    this.finish(job, err.code === 'declined' ? 'declined' : err.code === 'cancelled' ? 'cancelled' : 'failed', err);
  }

  private finish(job: Job, state: Extract<TransferState, 'done' | 'failed' | 'cancelled' | 'declined'>, err?: TransferError): void {
    if (FINAL_STATES.has(job.info.state)) return;
    if (state === 'done') {
      if (job.info.size !== undefined) job.info.bytes = job.info.size;
      job.info.eta = 0;
      this.emitProgress(job);
    }
    if (state === 'declined' && !err) err = transferError('declined', job.info.direction === 'in' ? 'you declined the file' : 'the contact declined the file');
    job.info.state = state;
    job.info.endedAt = this.now();
    if (err) job.info.error = { code: err.code, message: err.message };
    if (state !== 'done' && !job.abort.signal.aborted) job.abort.abort(err ?? transferError('cancelled', state));
    this.emit({ type: 'transfer.updated', transfer: { ...job.info } });
  }

  private emit(e: TransferEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.error('transfer listener failed', { error: String(err) });
      }
    }
  }
}

function supports(m: TransferMethod, features: string[]): boolean {
  const has = (f: string) => features.includes(f);
  if (m === 'si') return has(SI_NS) && has(SI_FT_NS) && (has(BYTESTREAMS_NS) || has(IBB_NS));
  if (m === 'jingle') return has(JINGLE_NS) && has(JINGLE_FT_NS) && (has(JINGLE_S5B_NS) || has(JINGLE_IBB_NS));
  return false;
}

/** Only failures of the means (connectivity, support, protocol) warrant another method. */
function canFallBack(e: TransferError): boolean {
  return e.code === 'connection-failed' || e.code === 'unsupported' || e.code === 'timeout' || e.code === 'protocol' || e.code === 'too-large';
}

export type { TransferInfo, TransferEvent, TransferMethod, TransferTransport };
