import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HASH_THREAD_MIN_BYTES, DEFAULT_HASH_THREAD_MIN_CORES, HashPool, hashOffThread, setHashThreadMinBytes, setHashThreadMinCores } from './hash-pool';

const b64 = (algo: string, ...parts: Buffer[]) => {
  const h = createHash(algo);
  for (const p of parts) h.update(p);
  return h.digest('base64');
};

/** Feeds `data` through the pool in slot-sized pieces the way a sender does: acquire, fill, hash, release. */
async function feed(pool: HashPool, data: Buffer): Promise<void> {
  for (let off = 0; off < data.length; off += pool.slotSize) {
    const slot = await pool.acquire();
    const n = data.copy(slot.bytes, 0, off, Math.min(off + pool.slotSize, data.length));
    pool.hash(slot, n);
    pool.release(slot);
  }
}

describe.each([false, true])('HashPool (offThread: %s)', (offThread) => {
  it('hashes what passes through its slots, in order, with every algorithm asked for', async () => {
    const data = randomBytes(5 * 4096 + 17);
    const pool = new HashPool({ offThread, slotSize: 4096, slots: 3, algos: ['sha-512', 'sha3-256'] });
    expect(pool.offThread).toBe(offThread);
    await feed(pool, data);
    const d = await pool.digest();
    pool.close();
    expect(d.get('sha-256')).toBe(b64('sha256', data));
    expect(d.get('sha-512')).toBe(b64('sha512', data));
    expect(d.get('sha3-256')).toBe(b64('sha3-256', data));
  });

  it('gives a slot back only once its user released it and its hash is done', async () => {
    const pool = new HashPool({ offThread, slotSize: 16, slots: 1 });
    const slot = await pool.acquire();
    slot.bytes.fill(7);
    pool.hash(slot, 16);
    let next = false;
    const again = pool.acquire().then((s) => {
      next = true;
      return s;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(next).toBe(false); // still held by its user
    pool.release(slot);
    expect((await again).index).toBe(slot.index);
    pool.release(slot);
    expect((await pool.digest()).get('sha-256')).toBe(b64('sha256', Buffer.alloc(16, 7)));
    pool.close();
  });

  it('rejects waiting acquires and the digest once closed', async () => {
    const pool = new HashPool({ offThread, slotSize: 16, slots: 1 });
    await pool.acquire();
    const waiting = pool.acquire();
    pool.close();
    await expect(waiting).rejects.toMatchObject({ code: 'cancelled' });
    await expect(pool.digest()).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('HashPool thread failure', () => {
  it('fails what waits on it when its thread dies, instead of hanging the transfer', async () => {
    const pool = new HashPool({ offThread: true, slotSize: 16, slots: 1 });
    const slot = await pool.acquire();
    await (pool as unknown as { worker: Worker }).worker.terminate();
    await new Promise((r) => setTimeout(r, 10)); // the 'exit' event
    expect(() => pool.hash(slot, 16)).toThrow(/hashing thread stopped/);
    await expect(pool.digest()).rejects.toMatchObject({ code: 'file-error' });
    await expect(pool.acquire()).rejects.toMatchObject({ code: 'file-error' });
    pool.close();
  });
});

describe('hashOffThread', () => {
  it('puts known big sizes on a thread, small and unknown sizes never', () => {
    setHashThreadMinBytes(1000);
    setHashThreadMinCores(1);
    try {
      expect(hashOffThread(999)).toBe(false);
      expect(hashOffThread(1000)).toBe(true);
      expect(hashOffThread(undefined)).toBe(false);
    } finally {
      setHashThreadMinBytes(DEFAULT_HASH_THREAD_MIN_BYTES);
      setHashThreadMinCores(DEFAULT_HASH_THREAD_MIN_CORES);
    }
  });

  it('needs a spare core: by default more than two (on two, the thread only competes with the others)', () => {
    setHashThreadMinBytes(1000);
    try {
      expect(hashOffThread(1000)).toBe(availableParallelism() > 2);
      setHashThreadMinCores(availableParallelism() + 1);
      expect(hashOffThread(1000)).toBe(false);
    } finally {
      setHashThreadMinBytes(DEFAULT_HASH_THREAD_MIN_BYTES);
      setHashThreadMinCores(DEFAULT_HASH_THREAD_MIN_CORES);
    }
  });
});
