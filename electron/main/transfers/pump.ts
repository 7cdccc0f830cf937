// Sending a file: the loop shared by the SOCKS5 bytestream (bytestreams.ts) and the HTTP PUT of an
// upload (http.ts). The file is read into the slots of a HashPool, each slot is hashed and written
// out from the same memory, and reused once both are done (hash-pool.ts); the pool's size bounds
// what is queued on the socket or request, which is the backpressure. It knows nothing of what the
// bytes travel over, of time limits, or of how a transfer ends: the caller does.
import { open } from 'node:fs/promises';
import { transferError, TransferError } from './errors';
import type { HashPool } from './hash-pool';
import { errorText } from '../../../shared/error-text';

/** Where the bytes go: a net.Socket or an http.ClientRequest (their stream.Writable write). */
export interface ChunkWriter {
  /** `done` runs once the chunk has been passed on, with an error if it could not be. */
  write(chunk: Uint8Array, done: (error?: Error | null) => void): unknown;
}

export interface PumpFileOptions {
  filePath: string;
  /** The size the peer was told: exactly this many bytes are sent, and the file must still have it at the end. */
  size: number;
  /** Slots to read into, and the hash over them. The caller closes it to stop the pump (pending waits reject). */
  pool: HashPool;
  out: ChunkWriter;
  /** The transfer already ended (failed, cancelled): checked after each wait for a slot or a read, so nothing more is read or written. */
  stopped(): boolean;
  /** Bytes handed to `out` so far, after each chunk. */
  onProgress(sent: number): void;
  /** A chunk of `bytes` that `out` took without error (what a SOCKS5 sender judges the peer's close by). */
  onWritten?(bytes: number): void;
}

const changed = () => transferError('file-error', 'the file changed while it was being sent');

/**
 * Sends the first `size` bytes of the file to `out`. Resolves with their base64 SHA-256 once the
 * last chunk is handed to `out` (not once it is flushed), or with undefined when it found the
 * transfer `stopped()` (the caller checks again after the digest, which may come from a thread).
 * Rejects with a file-error when the file is shorter or longer than `size` or cannot be read, and
 * with the pool's error when the pool is closed or its hashing thread fails.
 */
export async function pumpFile(o: PumpFileOptions): Promise<string | undefined> {
  let file;
  try {
    file = await open(o.filePath, 'r');
    let sent = 0;
    while (sent < o.size) {
      const slot = await o.pool.acquire();
      if (o.stopped()) return undefined;
      const { bytesRead } = await file.read(slot.bytes, 0, Math.min(o.pool.slotSize, o.size - sent), sent);
      if (o.stopped()) return undefined;
      if (bytesRead === 0) throw changed();
      o.pool.hash(slot, bytesRead);
      sent += bytesRead;
      // The slot is reused once `out` has passed its bytes on (the callback runs on error too).
      o.out.write(slot.bytes.subarray(0, bytesRead), (e) => {
        if (!e) o.onWritten?.(bytesRead);
        o.pool.release(slot);
      });
      o.onProgress(sent);
    }
    // The reads stop at `size`: only the file's size shows that it grew since it was announced.
    if ((await file.stat()).size !== o.size) throw changed();
    return (await o.pool.digest()).get('sha-256')!;
  } catch (e) {
    if (e instanceof TransferError) throw e;
    throw transferError('file-error', `could not read the file: ${errorText(e)}`);
  } finally {
    void file?.close().catch(() => undefined);
  }
}

