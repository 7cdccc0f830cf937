// Receiving a file: bytes go to a hidden temp file in the chosen folder, counted against the size
// the sender declared (or a cap), hashed as they come; only a complete, verified file is moved to a
// unique, sanitized name. Anything else — more bytes than declared, fewer, a wrong hash, a cancel —
// deletes the partial file.
import { promises as fsp } from 'node:fs';
import type { FileHash, HashAlgo } from '../../core/modules/xep0234-jingle-ft/hashes';
import { isTrustedAlgo } from '../../core/modules/xep0234-jingle-ft/hashes';
import { transferError } from './errors';
import { hashMatches, MultiHash } from './hashing';
import { createTempFile, moveIntoPlace, resolveFolder, sanitizeFileName } from './safe-path';

export interface FileSinkOptions {
  /** The folder the user chose (absolute). */
  folder: string;
  /** The name as the sender gave it (sanitized here). */
  name: string;
  /** Declared size: more bytes are refused, fewer fail finish(). */
  expectedSize?: number;
  /** Cap when no size is declared. */
  maxSize: number;
  /** The claimed hash, when known up front (XEP-0234 may send it at the end: pass it to finish()). */
  expectedHash?: FileHash;
}

/** Bytes are gathered up to this much before one write: fewer system calls at hundreds of MB/s. */
const FLUSH_BYTES = 1 << 20;
/**
 * Writes may run this far behind the network before the caller is asked to wait: pausing the
 * socket for every flush would stall the sender (and a proxy between us) once per MiB.
 */
const HIGH_WATER_BYTES = 8 << 20;

export interface SinkResult {
  path: string;
  size: number;
  /** Base64 SHA-256 of the content. */
  sha256: string;
}

export class FileSink {
  bytes = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Bytes handed to writes that have not completed. */
  private queued = 0;
  private writeError: unknown;
  private done = false;
  /**
   * Each chunk is hashed as it comes, on this thread, while it is still in this core's cache: a
   * hashing thread (as a sender on more than two cores has, hash-pool.ts) would have to pull every
   * byte across cores and cost ~0.3 CPU-s more per GiB here (docs/PERFORMANCE.md, "File transfer").
   */
  private readonly hash: MultiHash;

  private constructor(
    readonly name: string,
    private readonly folder: string,
    private readonly tempPath: string,
    private readonly handle: fsp.FileHandle,
    private readonly limit: number,
    private readonly opts: FileSinkOptions,
  ) {
    const algos: HashAlgo[] = opts.expectedHash && isTrustedAlgo(opts.expectedHash.algo) ? [opts.expectedHash.algo] : [];
    this.hash = new MultiHash(algos);
  }

  static async open(opts: FileSinkOptions): Promise<FileSink> {
    const folder = await resolveFolder(opts.folder);
    const name = sanitizeFileName(opts.name);
    const { path, handle } = await createTempFile(folder);
    const limit = opts.expectedSize ?? opts.maxSize;
    return new FileSink(name, folder, path, handle, limit, opts);
  }

  /** Throws like write() would if the whole transfer is going to be `total` bytes (a Content-Length known up front). */
  checkTotal(total: number): void {
    if (total > this.limit) throw this.overLimit();
  }

  private overLimit() {
    return this.opts.expectedSize !== undefined
      ? transferError('size-mismatch', `the sender sent more than the ${this.opts.expectedSize} bytes it announced; the partial file was deleted`)
      : transferError('too-large', `the file is larger than the ${this.limit} bytes allowed; the partial file was deleted`);
  }

  /**
   * Takes the next bytes (the buffer must not be modified afterwards). Throws TransferError('size-mismatch') when they go past the declared
   * size (the caller aborts). Returns a promise when the caller should wait before sending more
   * (a disk write is under way), undefined otherwise.
   */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.done) throw transferError('protocol', 'data after the end of the file');
    if (this.writeError) throw this.writeError;
    if (this.bytes + chunk.length > this.limit) throw this.overLimit();
    this.bytes += chunk.length;
    this.hash.update(chunk);
    // Kept until the next flush, not copied: callers hand over fresh buffers (socket, HTTP and
    // IBB chunks are never reused by their producers), and a copy would cost a pass over every byte.
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= FLUSH_BYTES) void this.flush().catch(() => undefined);
    return this.queued >= HIGH_WATER_BYTES ? this.writing : undefined;
  }

  private flush(): Promise<void> {
    const batch = this.pending;
    const n = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return this.writing;
    this.queued += n;
    this.writing = this.writing.then(async () => {
      try {
        if (this.writeError) throw this.writeError;
        await this.handle.writev(batch);
      } catch (e) {
        this.writeError = e;
        throw e;
      } finally {
        this.queued -= n;
      }
    });
    return this.writing;
  }

  /**
   * All bytes are in: checks the size against the declared one and the hash (given up front or
   * here), then moves the file into the folder under a unique name. On any failure the temp file is gone.
   */
  async finish(lateHash?: FileHash): Promise<SinkResult> {
    try {
      await this.flush();
      await this.handle.close();
      this.done = true;
      if (this.opts.expectedSize !== undefined && this.bytes !== this.opts.expectedSize) {
        throw transferError('size-mismatch', `the transfer ended after ${this.bytes} of ${this.opts.expectedSize} bytes; the partial file was deleted`);
      }
      const digests = this.hash.digest();
      const claimed = lateHash ?? this.opts.expectedHash;
      if (claimed && isTrustedAlgo(claimed.algo) && !hashMatches(digests, { algo: claimed.algo, value: claimed.value })) {
        throw transferError('hash-mismatch', `the file's ${claimed.algo} hash does not match what the sender announced; the file was deleted`);
      }
      const path = await moveIntoPlace(this.tempPath, this.folder, this.name);
      return { path, size: this.bytes, sha256: digests.get('sha-256')! };
    } catch (e) {
      await this.discard();
      throw e;
    }
  }

  /** Gives up: the partial file is deleted. Safe to call more than once. */
  async abort(): Promise<void> {
    await this.discard();
  }

  private async discard(): Promise<void> {
    this.done = true;
    this.pending = [];
    await this.writing.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.tempPath, { force: true });
  }
}
