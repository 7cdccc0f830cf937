// Moving a file's bytes over an established bytestream: a SOCKS5 socket (XEP-0065, also under
// XEP-0260) or an IBB session (XEP-0047, also under XEP-0261). Progress, backpressure, an
// inactivity limit, cancellation; the receiving side writes into a FileSink, which enforces the
// declared size and the hash.
import { createReadStream } from 'node:fs';
import type net from 'node:net';
import type { IbbOutgoing, IbbSink } from '../../core/modules/xep0047-ibb';
import { transferError, TransferError } from './errors';
import type { FileSink } from './file-sink';
import { HashPool, hashOffThread } from './hash-pool';
import { MultiHash } from './hashing';
import { pumpFile } from './pump';

export interface StreamIo {
  signal: AbortSignal;
  progress(bytes: number): void;
  /** No byte moving for this long fails the transfer. */
  idleTimeoutMs: number;
}

const READ_CHUNK = 1 << 20;
/** Slots of READ_CHUNK a SOCKS5 sender has in flight (read, hashed, or queued on the socket). */
const SEND_SLOTS = 8;
/** How long a SOCKS5 sender waits for the receiver to close after the last byte. */
const CLOSE_WAIT_MS = 30_000;

/** Watches for inactivity: call touch() on every chunk; fires `onIdle` after `ms` without one. */
function idleWatch(ms: number, onIdle: () => void): { touch(): void; stop(): void } {
  let last = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - last > ms) onIdle();
  }, Math.min(1000, ms));
  timer.unref?.();
  return { touch: () => (last = Date.now()), stop: () => clearInterval(timer) };
}

export interface SendOptions {
  /**
   * Called with the base64 SHA-256 as soon as the last byte is handed to the socket — before the
   * receiver confirms — so the XEP-0234 checksum can travel while the tail is still in flight.
   */
  onDigest?(sha256: string): void;
  /**
   * Fires when the receiver says, out of band, that it has the whole file (Jingle <success/>):
   * once every byte was taken the send is done without waiting for the receiver's close.
   */
  confirmed?: AbortSignal;
}

/**
 * Streams the file into the socket, then half-closes it (proxy65 holds back the tail until the
 * sender closes, TEST-SERVERS.md) and waits for the receiver to close its side — the only sign
 * XEP-0065 gives that the bytes arrived. Resolves with the base64 SHA-256 of what was sent.
 *
 * The file is read into the slots of a HashPool (no allocation per chunk); each slot is hashed (on
 * a thread for big files when the machine has cores to spare, hash-pool.ts) and written to the
 * socket from the same memory, and reused once both are done (pump.ts). The pool's size bounds
 * what is queued on the socket.
 */
export function sendOverSocket(socket: net.Socket, filePath: string, size: number, io: StreamIo, opts: SendOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const pool = new HashPool({ offThread: hashOffThread(size), slotSize: READ_CHUNK, slots: SEND_SLOTS });
    let settled = false;
    let digest: string | undefined;
    const watch = idleWatch(io.idleTimeoutMs, () => fail(transferError('timeout', 'the transfer stalled')));
    const done = (e?: unknown) => {
      if (settled) return;
      settled = true;
      watch.stop();
      io.signal.removeEventListener('abort', onAbort);
      opts.confirmed?.removeEventListener('abort', onConfirmed);
      pool.close();
      if (e !== undefined) {
        socket.destroy();
        reject(e);
      } else resolve(digest!);
    };
    const fail = (e: unknown) => done(e ?? transferError('connection-failed', 'the connection failed'));
    const onAbort = () => fail(io.signal.reason ?? transferError('cancelled', 'cancelled'));
    io.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', () => undefined);
    let closed = false;
    /** Bytes the socket has taken (write callbacks without error): what the close is judged by. */
    let written = 0;
    /** The receiver's word that it has the file ends the send once every byte is taken and hashed. */
    const onConfirmed = () => {
      if (written < size || digest === undefined) return;
      socket.destroy();
      done();
    };
    opts.confirmed?.addEventListener('abort', onConfirmed, { once: true });
    socket.once('close', () => {
      if (written < size) return fail(transferError('cancelled-by-peer', `the receiver closed the connection after ${written} of ${size} bytes`));
      // Every byte was taken; the digest may still be on its way from the hashing thread.
      closed = true;
      if (digest !== undefined) done();
    });
    const send = async () => {
      const sha256 = await pumpFile({
        filePath,
        size,
        pool,
        out: socket,
        stopped: () => settled,
        onProgress: (sent) => {
          watch.touch();
          io.progress(sent);
        },
        onWritten: (bytes) => (written += bytes),
      });
      if (sha256 === undefined || settled) return;
      digest = sha256;
      opts.onDigest?.(sha256);
      if (opts.confirmed?.aborted) socket.destroy();
      if (closed || opts.confirmed?.aborted) return done();
      socket.end();
      const t = setTimeout(() => {
        // All bytes left us and the receiver keeps the connection open: nothing more to learn.
        socket.destroy();
        done();
      }, CLOSE_WAIT_MS);
      t.unref?.();
      socket.once('close', () => clearTimeout(t));
    };
    socket.resume(); // to see the receiver's close
    send().catch(fail);
  });
}

/** Reads `size` bytes from the socket into the sink, then closes it. Fewer bytes (the peer hung up) is an error. */
export function receiveFromSocket(socket: net.Socket, sink: FileSink, size: number, io: StreamIo): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const watch = idleWatch(io.idleTimeoutMs, () => done(transferError('timeout', 'the transfer stalled')));
    const done = (e?: unknown) => {
      if (settled) return;
      settled = true;
      watch.stop();
      io.signal.removeEventListener('abort', onAbort);
      socket.off('data', onData);
      if (e !== undefined) {
        socket.destroy();
        reject(e);
      } else {
        socket.end();
        resolve();
      }
    };
    const onAbort = () => done(io.signal.reason ?? transferError('cancelled', 'cancelled'));
    io.signal.addEventListener('abort', onAbort, { once: true });
    const onData = (chunk: Buffer) => {
      if (settled) return;
      let wait: Promise<void> | undefined;
      try {
        wait = sink.write(chunk);
      } catch (e) {
        return done(e);
      }
      watch.touch();
      io.progress(sink.bytes);
      if (sink.bytes === size) {
        // Let the write finish before saying we are done (FileSink.finish flushes anyway).
        return done();
      }
      if (wait) {
        socket.pause();
        wait.then(() => socket.resume(), (e: unknown) => done(e));
      }
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.once('close', () => done(transferError('cancelled-by-peer', `the sender stopped after ${sink.bytes} of ${size} bytes`)));
    if (size === 0) return done();
    socket.resume();
  });
}

/** Sends the file over an open IBB session in blocks of its size, then closes it. Resolves with the SHA-256. */
export async function sendOverIbb(out: IbbOutgoing, filePath: string, size: number, io: StreamIo): Promise<string> {
  const hash = new MultiHash();
  let sent = 0;
  const source = createReadStream(filePath, { highWaterMark: out.blockSize * 16 });
  const onAbort = () => {
    out.abort();
    source.destroy();
  };
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of source) {
      const b = chunk as Buffer;
      for (let off = 0; off < b.length; off += out.blockSize) {
        if (io.signal.aborted) throw io.signal.reason ?? transferError('cancelled', 'cancelled');
        const block = b.subarray(off, Math.min(off + out.blockSize, b.length));
        hash.update(block);
        try {
          await out.write(block);
        } catch (e) {
          throw transferError('cancelled-by-peer', (e as Error).message);
        }
        sent += block.length;
        io.progress(sent);
      }
    }
    if (sent !== size) throw transferError('file-error', 'the file changed while it was being sent');
    await out.close();
    return hash.digest().get('sha-256')!;
  } catch (e) {
    out.abort();
    throw e instanceof TransferError ? e : transferError('connection-failed', (e as Error).message);
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * An IbbSink writing into a FileSink. `ended` resolves when the sender closed the session (the
 * caller then checks the size), rejects when it broke or the sink refused a block; `started`
 * resolves at the first block (or the end), which tells a receiver expecting either SOCKS5 or IBB
 * which one the sender chose.
 */
export function ibbIntoSink(sink: FileSink, io: StreamIo): { sink: IbbSink; ended: Promise<void>; started: Promise<void>; stop(): void } {
  let markStarted!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const ended = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  ended.catch(() => undefined);
  const watch = idleWatch(io.idleTimeoutMs, () => reject(transferError('timeout', 'the transfer stalled')));
  const onAbort = () => reject(io.signal.reason ?? transferError('cancelled', 'cancelled'));
  io.signal.addEventListener('abort', onAbort, { once: true });
  if (io.signal.aborted) onAbort();
  void ended
    .finally(() => {
      watch.stop();
      io.signal.removeEventListener('abort', onAbort);
    })
    .catch(() => undefined);
  void ended.then(markStarted, markStarted);
  return {
    ended,
    started,
    stop: () => watch.stop(),
    sink: {
      data(bytes) {
        markStarted();
        let wait: Promise<void> | undefined;
        try {
          wait = sink.write(bytes);
        } catch (e) {
          reject(e);
          throw e;
        }
        watch.touch();
        io.progress(sink.bytes);
        return wait?.catch((e: unknown) => {
          reject(e);
          throw e;
        });
      },
      close: () => resolve(),
      error: (reason) => reject(transferError('connection-failed', reason)),
    },
  };
}
