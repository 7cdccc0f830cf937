// Streams a File the user dropped, pasted or picked in the page to main (shared/ipc/transfer-contract.ts:
// the page never names a path). transfer.stageBegin, then transfer.stageChunk with base64 of at most
// 1 MiB, strictly in order (offset = bytes staged so far), one chunk in flight — while it is, the
// next slice is already being read. Any failure or a cancel ends with transfer.stageAbort, so main
// drops its partial copy.
import type { FlintApi } from '../../../shared/ipc/contract';
import { MAX_STAGE_CHUNK_BYTES, MAX_STAGE_FILE_BYTES } from '../../../shared/ipc/transfer-contract';
import { bytesToBase64, planChunks } from './format';

/** What stageFile needs of a File (a Blob with a name): tests pass Node Blobs. */
export interface StageSource {
  readonly name: string;
  readonly size: number;
  readonly type: string;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export interface StageOptions {
  signal?: AbortSignal;
  /** Bytes main has taken so far (after each chunk). */
  onProgress?(bytes: number): void;
  chunkBytes?: number;
}

export class StageTooLargeError extends Error {
  override readonly name = 'StageTooLargeError';
  constructor(readonly limit: number) {
    super(`the file is larger than ${limit} bytes`);
  }
}

export class StageChangedError extends Error {
  override readonly name = 'StageChangedError';
}

const abortError = (): Error => new DOMException('staging cancelled', 'AbortError');

export const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

/** Stage `file` in main; resolves with the staging id to pass to transfer.send. */
export async function stageFile(api: Pick<FlintApi, 'invoke'>, file: StageSource, opts: StageOptions = {}): Promise<string> {
  const { signal, onProgress } = opts;
  const chunkBytes = Math.min(opts.chunkBytes ?? MAX_STAGE_CHUNK_BYTES, MAX_STAGE_CHUNK_BYTES);
  if (file.size > MAX_STAGE_FILE_BYTES) throw new StageTooLargeError(MAX_STAGE_FILE_BYTES);
  if (signal?.aborted) throw abortError();
  const mediaType = file.type.slice(0, 255);
  const { stageId } = await api.invoke('transfer.stageBegin', { name: file.name.slice(0, 1024) || 'file', size: file.size, ...(mediaType ? { mediaType } : {}) });
  const plan = planChunks(file.size, chunkBytes);
  const read = (i: number) => {
    const p = file.slice(plan[i]!.offset, plan[i]!.end).arrayBuffer();
    // Read ahead; if staging stops first, the rejection is nobody's business.
    p.catch(() => {});
    return p;
  };
  try {
    let next = plan.length > 0 ? read(0) : null;
    for (let i = 0; i < plan.length; i++) {
      if (signal?.aborted) throw abortError();
      const { offset, end } = plan[i]!;
      const buf = await next!;
      next = i + 1 < plan.length ? read(i + 1) : null;
      // A file truncated on disk while it is read gives short slices: never send a shorter file silently.
      if (buf.byteLength !== end - offset) throw new StageChangedError('the file changed while it was being read');
      await api.invoke('transfer.stageChunk', { stageId, offset, data: bytesToBase64(new Uint8Array(buf)) });
      onProgress?.(end);
    }
    if (signal?.aborted) throw abortError();
    return stageId;
  } catch (err) {
    void api.invoke('transfer.stageAbort', { stageId }).catch(() => {});
    throw err;
  }
}
