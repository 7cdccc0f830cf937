import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HashPool } from './hash-pool';
import { pumpFile, type ChunkWriter, type PumpFileOptions } from './pump';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const SLOT = 4;
const SLOTS = 2;

/**
 * A writer that keeps a copy of every chunk (the slot is reused once `done` runs). Held, it passes
 * chunks on only when told to (a socket whose peer does not read); flowing, at the next turn of the
 * event loop.
 */
class Writer implements ChunkWriter {
  readonly chunks: Buffer[] = [];
  private readonly held: ((e?: Error | null) => void)[] = [];
  constructor(private flowing = false) {}
  write(chunk: Uint8Array, done: (e?: Error | null) => void): boolean {
    this.chunks.push(Buffer.from(chunk));
    this.held.push(done);
    if (this.flowing) setImmediate(() => this.pass());
    return this.flowing;
  }
  /** Completes the oldest `n` held writes, with `error` if given. */
  pass(n = Infinity, error?: Error): void {
    for (const done of this.held.splice(0, n)) done(error);
  }
  /** Passes on what is held and everything after. */
  flow(): void {
    this.flowing = true;
    this.pass();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Lets pending reads, writes and hashes run (for checking that nothing more happens). */
const settle = () => new Promise((r) => setTimeout(r, 30));
/** Waits until `cond` holds (the hashing thread may take a while to start on a busy machine); its last value. */
async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
}

/** File descriptors of this process open on `file` (Linux). */
const openFds = (file: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;

describe.each([false, true])('pumpFile (hash off thread: %s)', (offThread) => {
  let dir = '';
  let pools: HashPool[] = [];
  afterEach(() => {
    for (const p of pools) p.close();
    pools = [];
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const setup = (data: Buffer) => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-pump-'));
    const file = path.join(dir, 'src.bin');
    writeFileSync(file, data);
    const pool = new HashPool({ offThread, slotSize: SLOT, slots: SLOTS });
    pools.push(pool);
    return { file, pool };
  };
  const run = (o: Partial<PumpFileOptions> & Pick<PumpFileOptions, 'filePath' | 'size' | 'pool' | 'out'>, progress: number[] = []) =>
    pumpFile({ stopped: () => false, onProgress: (n) => progress.push(n), ...o });

  it('sends exactly the file, reports progress per chunk and the bytes written, and resolves with the SHA-256', async () => {
    const data = randomBytes(SLOT * 5 + 3); // more chunks than slots, the last one short
    const { file, pool } = setup(data);
    const w = new Writer(true);
    const progress: number[] = [];
    let written = 0;
    const digest = await run({ filePath: file, size: data.length, pool, out: w, onWritten: (n) => (written += n) }, progress);
    expect(digest).toBe(sha256(data));
    expect(w.bytes.equals(data)).toBe(true);
    expect(progress).toEqual([4, 8, 12, 16, 20, 23]);
    expect(await until(() => written === data.length)).toBe(true);
  });

  it('an empty file: nothing written, the SHA-256 of nothing', async () => {
    const { file, pool } = setup(Buffer.alloc(0));
    const w = new Writer();
    expect(await run({ filePath: file, size: 0, pool, out: w })).toBe(sha256(Buffer.alloc(0)));
    expect(w.chunks).toEqual([]);
  });

  it('holds back while the writer has not passed its chunks on (backpressure: at most the pool’s slots in flight)', async () => {
    const data = randomBytes(SLOT * 5);
    const { file, pool } = setup(data);
    const w = new Writer();
    const progress: number[] = [];
    const pumping = run({ filePath: file, size: data.length, pool, out: w }, progress);
    expect(await until(() => w.chunks.length === SLOTS)).toBe(true);
    await settle();
    expect(w.chunks.length).toBe(SLOTS);
    expect(progress).toEqual([4, 8]);
    w.pass(1);
    expect(await until(() => w.chunks.length === SLOTS + 1)).toBe(true);
    await settle();
    expect(w.chunks.length).toBe(SLOTS + 1);
    expect(progress).toEqual([4, 8, 12]);
    w.flow();
    expect(await pumping).toBe(sha256(data));
    expect(w.bytes.equals(data)).toBe(true);
  });

  it('counts as written only the chunks the writer took without error', async () => {
    const data = randomBytes(SLOT * 3);
    const { file, pool } = setup(data);
    const w = new Writer();
    let written = 0;
    const pumping = run({ filePath: file, size: data.length, pool, out: w, onWritten: (n) => (written += n) });
    expect(await until(() => w.chunks.length === SLOTS)).toBe(true);
    w.pass(1);
    w.pass(1, new Error('EPIPE'));
    w.flow();
    expect(await pumping).toBe(sha256(data));
    expect(await until(() => w.chunks.length === 3 && written === SLOT * 2)).toBe(true);
  });

  it('a file shorter than announced fails after what it had, a longer one after the announced bytes', async () => {
    const data = randomBytes(SLOT * 2 + 1);
    const { file, pool } = setup(data);
    const short = new Writer(true);
    await expect(run({ filePath: file, size: data.length + 10, pool, out: short })).rejects.toMatchObject({
      code: 'file-error',
      message: 'the file changed while it was being sent',
    });
    expect(short.bytes.equals(data)).toBe(true);

    const pool2 = new HashPool({ offThread, slotSize: SLOT, slots: SLOTS });
    pools.push(pool2);
    const long = new Writer(true);
    await expect(run({ filePath: file, size: SLOT, pool: pool2, out: long })).rejects.toMatchObject({ code: 'file-error' });
    expect(long.bytes.equals(data.subarray(0, SLOT))).toBe(true);
  });

  it('notices a file that grows while it is being sent', async () => {
    const data = randomBytes(SLOT * 4);
    const { file, pool } = setup(data);
    const w = new Writer();
    const pumping = run({ filePath: file, size: data.length, pool, out: w });
    pumping.catch(() => undefined); // awaited below, after the pump has run
    expect(await until(() => w.chunks.length === SLOTS)).toBe(true);
    appendFileSync(file, 'more');
    w.flow();
    await expect(pumping).rejects.toMatchObject({ code: 'file-error', message: 'the file changed while it was being sent' });
    expect(w.bytes.equals(data)).toBe(true);
  });

  it('a file that cannot be opened is a file-error naming the cause', async () => {
    const { pool } = setup(Buffer.alloc(0));
    await expect(run({ filePath: path.join(dir, 'missing'), size: 1, pool, out: new Writer() })).rejects.toMatchObject({
      code: 'file-error',
      message: expect.stringMatching(/^could not read the file: ENOENT/),
    });
  });

  it('stops mid-stream when the caller ends the transfer: no more reads or writes, and the file is closed', async () => {
    const data = randomBytes(SLOT * 6);
    const { file, pool } = setup(data);
    // Ended while waiting for a slot: the caller closes the pool, the wait rejects.
    const w = new Writer();
    let stopped = false;
    const pumping = run({ filePath: file, size: data.length, pool, out: w, stopped: () => stopped });
    pumping.catch(() => undefined); // awaited below
    expect(await until(() => w.chunks.length === SLOTS)).toBe(true);
    if (process.platform === 'linux') expect(openFds(file)).toBe(1);
    stopped = true;
    pool.close();
    await expect(pumping).rejects.toMatchObject({ code: 'cancelled' });
    w.pass();
    await settle();
    expect(w.chunks.length).toBe(SLOTS);
    if (process.platform === 'linux') expect(await until(() => openFds(file) === 0)).toBe(true);

    // Ended while a slot was free (between two chunks): resolves with nothing.
    const pool2 = new HashPool({ offThread, slotSize: SLOT, slots: SLOTS });
    pools.push(pool2);
    const w2 = new Writer(true);
    let chunks = 0;
    const result = await pumpFile({ filePath: file, size: data.length, pool: pool2, out: w2, stopped: () => chunks >= 3, onProgress: () => chunks++ });
    expect(result).toBeUndefined();
    expect(w2.chunks.length).toBe(3);
    if (process.platform === 'linux') expect(await until(() => openFds(file) === 0)).toBe(true);
  });
});
