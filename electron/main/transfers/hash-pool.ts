// Fixed buffers ("slots") for the bytes a transfer sends, and the running hash over them. The file is
// read into a slot, the slot is hashed and written to the socket (or HTTP request) from the same
// memory, and it goes back to the pool once both are done: no allocation or copy per chunk, and the
// pool bounds what is queued on the socket.
//
// For big files the hash runs on a worker thread that reads the same memory (a SharedArrayBuffer),
// so the thread moving the bytes does not also spend ~0.8 CPU-s per GiB in SHA-256. The bytes were
// put there by the file read (a libuv pool thread), so hashing them on yet another thread costs no
// extra cache misses; on the receiving side it would (FileSink hashes inline). Only with more than
// two cores: on two, the thread competes with the ones moving the bytes (socket, file reads, and,
// when both ends run on the machine, the receiver's). There a sender hashing inline finished a
// 1 GiB loopback transfer sooner in 9 of 10 rounds (1.06× and 1.16× median over two runs of five),
// and spent less CPU: its socket write reads the bytes the hash just pulled into this core's cache.
// Measured: docs/PERFORMANCE.md, "File transfer". The worker's code is a string evaluated by
// worker_threads: no separate file to locate at run time, so it works the same from the TypeScript
// sources (vitest) and from the esbuild bundles (dist/main/*.cjs). Small files hash inline: a
// thread costs a few milliseconds and megabytes to start.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashAlgo } from '../../core/modules/xep0234-jingle-ft/hashes';
import { transferError } from './errors';
import { MultiHash, NODE_ALGO } from './hashing';

export interface Slot {
  readonly index: number;
  /** The slot's memory (slotSize bytes). */
  readonly bytes: Buffer;
}

export interface HashPoolOptions {
  /** Extra algorithms besides sha-256 (always computed: it is what we announce). */
  algos?: HashAlgo[];
  slots?: number;
  slotSize?: number;
  /** Hash on a worker thread (the slots are then shared memory). */
  offThread: boolean;
}

/** Transfers at least this big hash off the thread that moves their bytes (see setHashThreadMinBytes). */
export const DEFAULT_HASH_THREAD_MIN_BYTES = 64 * 1024 * 1024;
/** A hashing thread only with at least this many cores (see the top of this file). */
export const DEFAULT_HASH_THREAD_MIN_CORES = 3;
let hashThreadMinBytes = DEFAULT_HASH_THREAD_MIN_BYTES;
let hashThreadMinCores = DEFAULT_HASH_THREAD_MIN_CORES;
const CORES = availableParallelism();

/** Tuning knob for tests and the benchmark: 0 puts every transfer's hash on a thread, Infinity none. */
export function setHashThreadMinBytes(n: number): void {
  hashThreadMinBytes = n;
}

/** Tuning knob for tests and the benchmark: the cores a machine needs before a hashing thread is used (1: any). */
export function setHashThreadMinCores(n: number): void {
  hashThreadMinCores = n;
}

/**
 * Whether a transfer of `size` bytes (undefined: not known up front) should hash on a thread: big
 * enough to repay the thread, and a spare core to run it on.
 */
export function hashOffThread(size: number | undefined): boolean {
  return size !== undefined && size >= hashThreadMinBytes && CORES >= hashThreadMinCores;
}

// The worker: hashes [offset, offset + length) of the shared memory for each message, in order,
// and answers with the slot index; 'digest' answers with the base64 digests, in `algos` order.
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const memory = new Uint8Array(workerData.memory);
const hashes = workerData.algos.map((a) => createHash(a));
parentPort.on('message', (m) => {
  if (m === 'digest') {
    parentPort.postMessage(hashes.map((h) => h.digest('base64')));
    return;
  }
  const view = memory.subarray(m[1], m[1] + m[2]);
  for (const h of hashes) h.update(view);
  parentPort.postMessage(m[0]);
});
`;

function startWorker(memory: SharedArrayBuffer, algos: HashAlgo[]): Worker | undefined {
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, name: 'flint-transfer-hash', workerData: { memory, algos: algos.map((a) => NODE_ALGO[a]) } });
    w.unref();
    return w;
  } catch {
    return undefined;
  }
}

export class HashPool {
  readonly slotSize: number;
  private readonly algos: HashAlgo[];
  private readonly slots: Slot[] = [];
  /** Holders of each slot: its user (acquire → release) and a pending hash. */
  private readonly refs: Int32Array;
  private readonly free: number[] = [];
  private waiters: { resolve(s: Slot): void; reject(e: unknown): void }[] = [];
  private readonly inline?: MultiHash;
  private readonly worker?: Worker;
  /** Messages sent to the worker that it has not answered: the thread is ref'd while there are any. */
  private outstanding = 0;
  private pendingDigest?: { resolve(d: Map<HashAlgo, string>): void; reject(e: unknown): void };
  private failure?: Error;
  private closed = false;

  constructor(o: HashPoolOptions) {
    this.slotSize = o.slotSize ?? 1 << 20;
    const count = o.slots ?? 8;
    this.algos = [...new Set<HashAlgo>(['sha-256', ...(o.algos ?? [])])];
    this.refs = new Int32Array(count);
    const memory = o.offThread ? new SharedArrayBuffer(this.slotSize * count) : new ArrayBuffer(this.slotSize * count);
    for (let i = 0; i < count; i++) {
      this.slots.push({ index: i, bytes: Buffer.from(memory, i * this.slotSize, this.slotSize) });
      this.free.push(i);
    }
    this.worker = o.offThread ? startWorker(memory as SharedArrayBuffer, this.algos) : undefined;
    if (!this.worker) {
      // Inline when asked, or when no thread could be started: the same hash on this thread.
      this.inline = new MultiHash(this.algos);
      return;
    }
    this.worker.on('message', (m: number | string[]) => {
      this.settleOne();
      if (typeof m === 'number') return this.release(this.slots[m]!);
      const d = this.pendingDigest;
      this.pendingDigest = undefined;
      d?.resolve(new Map(this.algos.map((a, i) => [a, m[i]!])));
    });
    this.worker.on('error', (e) => this.fail(transferError('file-error', `hashing failed: ${e.message}`)));
    this.worker.on('exit', () => this.fail(transferError('file-error', 'the hashing thread stopped')));
  }

  get offThread(): boolean {
    return this.worker !== undefined;
  }

  /** A free slot, as soon as there is one. Rejects once the pool is closed or its thread failed. */
  acquire(): Promise<Slot> {
    if (this.failure) return Promise.reject(this.failure);
    const i = this.free.shift();
    if (i !== undefined) {
      this.refs[i] = 1;
      return Promise.resolve(this.slots[i]!);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Hashes the slot's first `length` bytes next (calls are hashed in order); the slot is held until then. */
  hash(slot: Slot, length: number): void {
    if (this.failure) throw this.failure;
    if (this.inline) {
      this.inline.update(slot.bytes.subarray(0, length));
      return;
    }
    this.refs[slot.index] = this.refs[slot.index]! + 1;
    this.post([slot.index, slot.index * this.slotSize, length]);
  }

  /** The user is done with the slot (written out); it is free again once its hash is done too. */
  release(slot: Slot): void {
    const i = slot.index;
    const left = this.refs[i]! - 1;
    if (left < 0) return;
    this.refs[i] = left;
    if (left > 0 || this.closed) return;
    const w = this.waiters.shift();
    if (w) {
      this.refs[i] = 1;
      w.resolve(this.slots[i]!);
    } else this.free.push(i);
  }

  /** Base64 digests of everything hashed (XEP-0300 §3 form). Call once, after the last hash(). */
  digest(): Promise<Map<HashAlgo, string>> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inline) return Promise.resolve(this.inline.digest());
    return new Promise((resolve, reject) => {
      this.pendingDigest = { resolve, reject };
      this.post('digest');
    });
  }

  /** Stops the thread; waiting acquires and a pending digest reject. Safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.fail(transferError('cancelled', 'the transfer ended'));
    this.closed = true;
    void this.worker?.terminate();
  }

  private post(m: unknown): void {
    if (this.outstanding++ === 0) this.worker!.ref();
    this.worker!.postMessage(m);
  }

  private settleOne(): void {
    if (--this.outstanding === 0) this.worker?.unref();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    this.pendingDigest?.reject(this.failure);
    this.pendingDigest = undefined;
    this.worker?.unref();
  }
}
