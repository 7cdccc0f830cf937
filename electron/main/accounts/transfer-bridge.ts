// The account's file transfers (issue 6), as the IPC handlers see them: main's TransferService
// (every method, fallback, progress) for the live connection, files the page staged for sending
// (transfer-staging.ts), and the download folder setting (download-folder.ts). Transfer events
// go out through the account's event stream, so the event batcher sends them like any other.
// Paths on disk are only ever chosen by main: staged copies, the download folder, a folder the
// user typed (checked), or what main's own native dialogs returned.
import { promises as fsp, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { tryParseJid } from '../../../shared/jid';
import { FINAL_STATES, type TransferEvent, type TransferInfo, type TransferMethod } from '../../../shared/transfer';
import type { CoreEvent } from '../../core/events';
import type { Logger } from '../../core/ports';
import { TransferService, type TransferServiceOptions } from '../transfers/transfer-service';
import { checkFolder, DownloadFolder } from './download-folder';
import { isRiskyToOpen } from './risky-files';
import { StagingArea, type StagedFile, type StagingOptions } from './transfer-staging';

export interface TransferSendOptions {
  /** 'auto' (default): Jingle, then SI, else HTTP upload, with fallback. */
  method?: 'auto' | TransferMethod;
  desc?: string;
}

/** What the IPC handlers may ask of the account's transfers. */
export interface TransferApi {
  /** Every transfer of this session (offers waiting for an answer included). */
  list(): TransferInfo[];
  get(id: string): TransferInfo | undefined;
  /** The download folder in force (the user's choice, else the system's Downloads folder). */
  downloadFolder(): string;
  /** Checks (absolute, existing, writable) and saves the download folder; resolves with it. */
  setDownloadFolder(folder: string): Promise<string>;
  /** Throws, with a message for the user, when files cannot be sent to `to` now. */
  checkSend(to: string): void;
  /** Starts staging a file from the page; resolves with its stage id. */
  stageBegin(name: string, size: number, mediaType?: string): Promise<string>;
  /** The next base64 bytes of a staged file; `offset` must be the bytes staged so far. */
  stageChunk(stageId: string, offset: number, data: string): Promise<void>;
  stageAbort(stageId: string): Promise<void>;
  /** Sends a completely staged file; its private copy is deleted once the transfer is over. */
  sendStaged(to: string, stageId: string, opts?: TransferSendOptions): Promise<TransferInfo>;
  /** Sends a file main chose (a native open dialog), never a path from the page. */
  sendFile(to: string, filePath: string, opts?: TransferSendOptions): Promise<TransferInfo>;
  /** Accepts an offer into the download folder, or into `folder` (checked) under `name` (sanitized). */
  accept(id: string, folder?: string, name?: string): Promise<void>;
  decline(id: string): void;
  cancel(id: string): void;
  clearFinished(): void;
  /** The received (or sent) file of a transfer, to open with the default app; refused for programs. */
  fileToOpen(id: string): Promise<string>;
  /** The received (or sent) file of a transfer, to show in its folder. */
  fileToShow(id: string): Promise<string>;
}

/** TransferService settings an app or test may tune (time limits, SOCKS5 addresses, plain http on loopback). */
export type TransferTuning = Omit<TransferServiceOptions, 'host' | 'log' | 'http'> & {
  /** Allow http:// upload/download URLs (tests against a loopback server only). Default false. */
  allowHttp?: boolean;
  staging?: Omit<StagingOptions, 'dir' | 'log'>;
};

export interface TransferBridgeDeps {
  dataDir: string;
  /** The system's Downloads folder, used until the user picks another. Default ~/Downloads. */
  defaultDownloadFolder?: string;
  log: Logger;
  /** A module API of the live connection. */
  api<T>(name: string): T | undefined;
  /** The account's events (engine events, presence, connection state). */
  subscribe(listener: (e: CoreEvent) => void): () => void;
  /** Into the account's event stream. */
  emit(e: CoreEvent): void;
  online(): boolean;
  /** The extra CAs the account trusts for XMPP; HTTPS uploads and downloads trust the same. */
  extraCa?: string[];
  tuning?: TransferTuning;
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

/**
 * The CA list for HTTPS: Node's `ca` replaces its default store, so the default roots (and
 * NODE_EXTRA_CA_CERTS, which Node adds only when `ca` is absent) go along with the extra CAs.
 * undefined = Node's default store.
 */
export function httpsCa(extraCa: string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (!extraCa?.length) return undefined;
  const fromEnv: string[] = [];
  if (env.NODE_EXTRA_CA_CERTS) {
    try {
      fromEnv.push(readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'));
    } catch {
      // Node only warns about an unreadable file; so do we, by ignoring it.
    }
  }
  return [...rootCertificates, ...fromEnv, ...extraCa];
}

export class TransferBridge implements TransferApi {
  private service: TransferService;
  private readonly staging: StagingArea;
  private readonly folder: DownloadFolder;
  /** Staged copies handed to a transfer, by the path the transfer reports: deleted when it ends. */
  private readonly sentCopies = new Map<string, StagedFile>();
  private readonly cleanups = new Set<Promise<void>>();
  private readonly ca: string[] | undefined;

  constructor(private readonly deps: TransferBridgeDeps) {
    this.ca = httpsCa(deps.extraCa);
    this.folder = new DownloadFolder(deps.dataDir, deps.defaultDownloadFolder ?? path.join(homedir(), 'Downloads'));
    this.staging = new StagingArea({ ...deps.tuning?.staging, dir: path.resolve(deps.dataDir, 'outgoing'), log: deps.log });
    this.service = this.createService();
  }

  // ------------------------------------------------------------------ TransferApi

  list(): TransferInfo[] {
    return this.service.list();
  }

  get(id: string): TransferInfo | undefined {
    return this.service.get(id);
  }

  downloadFolder(): string {
    return this.folder.current;
  }

  setDownloadFolder(folder: string): Promise<string> {
    return this.folder.set(folder);
  }

  checkSend(to: string): void {
    const jid = tryParseJid(to);
    if (!jid?.local) throw new Error(`Files can be sent only to a contact address (name@server), not ${JSON.stringify(to)}.`);
    if (!this.deps.online()) throw new Error('Not connected: try again when Flint is online.');
  }

  stageBegin(name: string, size: number, mediaType?: string): Promise<string> {
    return this.staging.begin(name, size, mediaType && MEDIA_TYPE.test(mediaType) ? mediaType.toLowerCase() : undefined);
  }

  stageChunk(stageId: string, offset: number, data: string): Promise<void> {
    return this.staging.chunk(stageId, offset, data);
  }

  stageAbort(stageId: string): Promise<void> {
    return this.staging.abort(stageId);
  }

  async sendStaged(to: string, stageId: string, opts: TransferSendOptions = {}): Promise<TransferInfo> {
    this.checkSend(to);
    const { file, settle } = await this.staging.take(stageId);
    // Recorded before send(): the transfer can end (and its copy be released) before send() resolves.
    this.sentCopies.set(file.path, file);
    try {
      const info = await this.service.send(to, file.path, { ...opts, ...(file.mediaType ? { mediaType: file.mediaType } : {}) });
      settle(true);
      return info;
    } catch (e) {
      this.sentCopies.delete(file.path);
      settle(false);
      throw e;
    }
  }

  async sendFile(to: string, filePath: string, opts: TransferSendOptions = {}): Promise<TransferInfo> {
    this.checkSend(to);
    return this.service.send(to, filePath, opts);
  }

  async accept(id: string, folder?: string, name?: string): Promise<void> {
    this.offer(id);
    const target = folder !== undefined ? await checkFolder(folder) : await this.folder.forAccept();
    // The offer may have been withdrawn while the folder was checked: the service re-checks.
    await this.service.accept(id, target, name);
  }

  decline(id: string): void {
    this.offer(id);
    this.service.decline(id);
  }

  cancel(id: string): void {
    if (!this.service.get(id)) throw new Error('No such transfer.');
    this.service.cancel(id);
  }

  clearFinished(): void {
    this.service.clearFinished();
  }

  async fileToOpen(id: string): Promise<string> {
    const { file, mode } = await this.fileOf(id);
    if (isRiskyToOpen(path.basename(file), mode)) {
      throw new Error(`Flint does not open programs, scripts, installers or disk images (${path.basename(file)}): use Show in folder and decide there.`);
    }
    return file;
  }

  async fileToShow(id: string): Promise<string> {
    return (await this.fileOf(id)).file;
  }

  // ------------------------------------------------------------------ account lifecycle

  /** Cancels every running transfer and open offer (sign-out, new sign-in) and drops unsent stages. */
  async cancelAll(): Promise<void> {
    for (const t of this.service.list()) if (!FINAL_STATES.has(t.state)) this.service.cancel(t.id);
    await this.staging.abortAll();
  }

  /** Another account signs in: nothing of the previous one's transfers stays. */
  async resetAccount(): Promise<void> {
    await this.cancelAll();
    this.service.dispose();
    this.service = this.createService();
  }

  async dispose(): Promise<void> {
    await this.cancelAll();
    this.service.dispose();
    await this.staging.dispose();
    await Promise.all([...this.cleanups]);
  }

  // ------------------------------------------------------------------ internals

  private createService(): TransferService {
    const { allowHttp, staging: _staging, ...tuning } = this.deps.tuning ?? {};
    const service = new TransferService({
      ...tuning,
      host: { api: (name) => this.deps.api(name), subscribe: (l) => this.deps.subscribe(l) },
      log: this.deps.log,
      http: { allowHttp: allowHttp ?? false, ...(this.ca ? { ca: this.ca } : {}) },
    });
    service.subscribe((e) => this.onTransferEvent(e));
    return service;
  }

  private onTransferEvent(e: TransferEvent): void {
    this.deps.emit(e);
    if (e.type !== 'transfer.updated' || !FINAL_STATES.has(e.transfer.state) || !e.transfer.path) return;
    const copy = this.sentCopies.get(e.transfer.path);
    if (!copy) return;
    this.sentCopies.delete(e.transfer.path);
    const p = this.staging.release(copy).catch((err: unknown) => this.deps.log.warn('could not remove a sent staged file', { error: String(err) }));
    this.cleanups.add(p);
    void p.finally(() => this.cleanups.delete(p));
  }

  /** An incoming offer still waiting for an answer. */
  private offer(id: string): TransferInfo {
    const t = this.service.get(id);
    if (!t || t.direction !== 'in') throw new Error('No such incoming file.');
    if (t.state !== 'offered') throw new Error(`This file was already answered (${t.state}).`);
    return t;
  }

  private async fileOf(id: string): Promise<{ file: string; mode: number }> {
    const t = this.service.get(id);
    if (!t) throw new Error('No such transfer.');
    if (t.direction === 'in' && t.state !== 'done') throw new Error('The file has not been received yet.');
    if (!t.path) throw new Error('This transfer has no file on this computer.');
    // A private copy of a file the page sent: not the user's file, and gone once sent.
    if (this.staging.contains(t.path)) throw new Error('This file was sent from a copy Flint keeps only while sending: open the original instead.');
    try {
      const st = await fsp.stat(t.path);
      if (st.isFile()) return { file: t.path, mode: st.mode };
    } catch {
      // reported below
    }
    throw new Error(`The file is no longer there: ${t.path}`);
  }
}
