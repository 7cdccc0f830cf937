// Private copies of files the page sends (issue 6): the renderer may not name a path on disk, so
// a file the user dropped, pasted or picked in the page is streamed to main in base64 chunks and
// written to <dataDir>/outgoing/<stageId>/<sanitized name>; transfer.send then sends that copy.
// The page is untrusted, so: chunks strictly in order, never more than the declared size, strict
// base64, a bounded number of stages at once, a free-space check, and stages left idle expire.
// Whoever sends a staged file deletes it (release()) once the transfer is over; whatever is left
// from an earlier run is removed at start-up.
import { constants, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../../core/ports';
import { sanitizeFileName } from '../transfers/safe-path';

export interface StagingOptions {
  /** The folder that holds all stages (<dataDir>/outgoing); emptied at start-up. */
  dir: string;
  log: Logger;
  /** Stages being written or waiting to be sent, at most. Default 16. */
  maxStages?: number;
  /** A stage that gets no chunk and is not sent for this long is removed. Default 10 min. */
  idleMs?: number;
  /** Free space to keep on the disk beyond the declared sizes. Default 256 MiB. */
  reserveBytes?: number;
  /** Free bytes on the file system of `dir` (tests inject it). */
  freeBytes?: (dir: string) => Promise<number>;
}

/** A completely staged file, ready to be sent. */
export interface StagedFile {
  stageId: string;
  /** The stage's own folder (delete it with release()). */
  dir: string;
  /** The file inside it, named after the sanitized name. */
  path: string;
  name: string;
  size: number;
  mediaType?: string;
}

interface Stage extends StagedFile {
  handle?: fsp.FileHandle;
  /** Bytes accepted so far (including writes still in flight): the next chunk's offset. */
  next: number;
  /** Writes in order, one after another. */
  writes: Promise<void>;
  state: 'open' | 'complete' | 'sending';
  timer?: ReturnType<typeof setTimeout>;
}

const DEFAULT_MAX_STAGES = 16;
const DEFAULT_IDLE_MS = 10 * 60_000;
const DEFAULT_RESERVE = 256 * 1024 * 1024;

export class StagingError extends Error {
  override readonly name = 'StagingError';
}

/**
 * Strict RFC 4648 base64 (the standard alphabet, padded): Buffer.from(…, 'base64') skips
 * characters it does not know, which would silently shift the rest of the file.
 */
export function decodeBase64Strict(data: string): Buffer {
  if (data.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(data)) throw new StagingError('The chunk is not valid base64.');
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const firstPad = data.indexOf('=');
  if (firstPad >= 0 && firstPad !== data.length - pad) throw new StagingError('The chunk is not valid base64.');
  const buf = Buffer.from(data, 'base64');
  if (buf.length !== (data.length / 4) * 3 - pad) throw new StagingError('The chunk is not valid base64.');
  return buf;
}

async function fsFreeBytes(dir: string): Promise<number> {
  const s = await fsp.statfs(dir);
  return s.bavail * s.bsize;
}

export class StagingArea {
  private readonly stages = new Map<string, Stage>();
  /** Start-up cleanup; every new stage waits for it so it is never deleted by it. */
  private readonly ready: Promise<void>;
  private disposed = false;

  constructor(private readonly opts: StagingOptions) {
    this.ready = (async () => {
      try {
        await fsp.rm(opts.dir, { recursive: true, force: true });
      } catch (e) {
        opts.log.warn('could not remove old staged files', { error: String(e) });
      }
    })();
  }

  /** Stages being written or waiting to be sent. */
  get count(): number {
    return this.stages.size;
  }

  async begin(rawName: string, size: number, mediaType?: string): Promise<string> {
    await this.ready;
    if (this.disposed) throw new StagingError('Flint is shutting down.');
    const max = this.opts.maxStages ?? DEFAULT_MAX_STAGES;
    if (this.stages.size >= max) throw new StagingError(`Too many files are being prepared at once (at most ${max}): wait for some to be sent.`);
    await fsp.mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    // Room for this file, what the other stages still have to write, and a margin for everything else.
    let pending = 0;
    for (const s of this.stages.values()) pending += s.size - s.next;
    const free = await (this.opts.freeBytes ?? fsFreeBytes)(this.opts.dir);
    if (free < size + pending + (this.opts.reserveBytes ?? DEFAULT_RESERVE)) throw new StagingError('Not enough free disk space to prepare this file for sending.');
    const stageId = randomBytes(16).toString('base64url');
    const name = sanitizeFileName(rawName);
    const dir = path.join(this.opts.dir, stageId);
    await fsp.mkdir(dir, { mode: 0o700 });
    const file = path.join(dir, name);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    } catch (e) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw e;
    }
    const stage: Stage = { stageId, dir, path: file, name, size, ...(mediaType ? { mediaType } : {}), handle, next: 0, writes: Promise.resolve(), state: size === 0 ? 'complete' : 'open' };
    this.stages.set(stageId, stage);
    if (stage.state === 'complete') await this.closeHandle(stage);
    this.touch(stage);
    return stageId;
  }

  /**
   * Appends the next bytes. `offset` must equal the bytes staged so far; the total must not exceed
   * the declared size. Resolves once the bytes are written (the page's pace is the disk's). Chunks
   * may be pipelined: each is checked against the bytes accepted before it, and written in order.
   */
  async chunk(stageId: string, offset: number, data: string): Promise<void> {
    const stage = this.get(stageId);
    if (stage.state !== 'open') throw new StagingError('This file is already completely staged.');
    const buf = decodeBase64Strict(data);
    if (offset !== stage.next) throw new StagingError(`Staged data out of order: expected offset ${stage.next}, got ${offset}.`);
    if (stage.next + buf.length > stage.size) throw new StagingError(`More data than the declared size of ${stage.size} bytes.`);
    stage.next += buf.length;
    // The chunk that completes the file is the last write in the chain: it closes the file.
    const last = stage.next === stage.size;
    if (last) stage.state = 'complete';
    this.touch(stage);
    const handle = stage.handle!;
    const write = stage.writes.then(async () => {
      let done = 0;
      while (done < buf.length) done += (await handle.write(buf, done, buf.length - done, offset + done)).bytesWritten;
    });
    stage.writes = write.catch(() => {});
    try {
      await write;
    } catch (e) {
      this.opts.log.warn('staging write failed', { error: String(e) });
      await this.abort(stageId);
      throw new StagingError(`Could not write the file to prepare it for sending: ${(e as Error).message}`);
    }
    if (last) await this.closeHandle(stage);
  }

  /** Removes a stage and its file (nothing happens for an unknown id: it may have expired). */
  async abort(stageId: string): Promise<void> {
    const stage = this.stages.get(stageId);
    if (!stage || stage.state === 'sending') return;
    await this.remove(stage);
  }

  /**
   * Hands a completely staged file to a sender. Until settle(), the stage cannot be written,
   * aborted or sent again. settle(true): the sender owns the file now (and calls release() when the
   * transfer is over); settle(false): the stage is back, ready to be sent again or aborted.
   */
  async take(stageId: string): Promise<{ file: StagedFile; settle(sent: boolean): void }> {
    const stage = this.get(stageId);
    if (stage.state === 'sending') throw new StagingError('This file is already being sent.');
    if (stage.state !== 'complete') throw new StagingError(`The file is not completely staged yet (${stage.next} of ${stage.size} bytes).`);
    stage.state = 'sending';
    await stage.writes;
    await this.closeHandle(stage);
    const { stageId: id, dir, path: p, name, size, mediaType } = stage;
    const file: StagedFile = { stageId: id, dir, path: p, name, size, ...(mediaType ? { mediaType } : {}) };
    return {
      file,
      settle: (sent) => {
        if (this.stages.get(stageId) !== stage) return;
        if (sent) {
          clearTimeout(stage.timer);
          this.stages.delete(stageId);
        } else {
          stage.state = 'complete';
          this.touch(stage);
        }
      },
    };
  }

  /** Deletes a staged file that was sent, once its transfer is over. */
  async release(file: Pick<StagedFile, 'dir'>): Promise<void> {
    // Only ever a folder directly inside ours: the argument comes from our own records, but a
    // mistake here would delete something else.
    if (path.dirname(file.dir) !== this.opts.dir) return;
    await fsp.rm(file.dir, { recursive: true, force: true });
  }

  /** True when `p` is inside the staging folder (a private copy, not a file of the user's). */
  contains(p: string): boolean {
    const rel = path.relative(this.opts.dir, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** Removes every stage not handed to a sender (logout, account switch). */
  async abortAll(): Promise<void> {
    await Promise.all([...this.stages.values()].filter((s) => s.state !== 'sending').map((s) => this.remove(s)));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.ready;
    await Promise.all([...this.stages.values()].map((s) => this.remove(s)));
  }

  private get(stageId: string): Stage {
    const stage = this.stages.get(stageId);
    if (!stage) throw new StagingError('No such staged file (it was sent, cancelled or expired): start again.');
    return stage;
  }

  private touch(stage: Stage): void {
    clearTimeout(stage.timer);
    stage.timer = setTimeout(() => {
      if (stage.state === 'sending') return;
      this.opts.log.info('staged file expired', { stageId: stage.stageId });
      void this.remove(stage);
    }, this.opts.idleMs ?? DEFAULT_IDLE_MS);
    stage.timer.unref?.();
  }

  private async closeHandle(stage: Stage): Promise<void> {
    const h = stage.handle;
    stage.handle = undefined;
    await h?.close().catch(() => {});
  }

  private async remove(stage: Stage): Promise<void> {
    clearTimeout(stage.timer);
    if (this.stages.get(stage.stageId) === stage) this.stages.delete(stage.stageId);
    await stage.writes;
    await this.closeHandle(stage);
    await fsp.rm(stage.dir, { recursive: true, force: true }).catch((e: unknown) => this.opts.log.warn('could not remove a staged file', { error: String(e) }));
  }
}
