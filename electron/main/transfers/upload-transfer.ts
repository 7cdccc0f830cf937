// XEP-0363 in main: ask the engine for a slot, PUT the file (hash computed on the way), share the
// link; and the receiving half: GET a shared file into a FileSink (size and hash checked).
import type { FileOffer } from '../../core/events';
import { pickHash } from '../../core/modules/xep0234-jingle-ft/hashes';
import { UPLOAD_MODULE, UploadError, type UploadApi } from '../../core/modules/xep0363-upload';
import { transferError } from './errors';
import { FileSink, type SinkResult } from './file-sink';
import { httpGet, httpPut, type HttpPolicy } from './http';

export interface OutgoingFile {
  path: string;
  name: string;
  size: number;
  mediaType: string;
  desc?: string;
}

export interface RunContext {
  api<T>(name: string): T | undefined;
  signal: AbortSignal;
  progress(bytes: number): void;
  http: HttpPolicy;
}

export function requireApi<T>(ctx: Pick<RunContext, 'api'>, name: string): T {
  const api = ctx.api<T>(name);
  if (!api) throw transferError('not-online', 'not connected: try again when Flint is online');
  return api;
}

/** Uploads and shares; resolves with the GET URL. */
export async function sendByUpload(ctx: RunContext, to: string, file: OutgoingFile, onTransferring: () => void): Promise<string> {
  const upload = requireApi<UploadApi>(ctx, UPLOAD_MODULE);
  let slot;
  try {
    slot = await upload.requestSlot({ name: file.name, size: file.size, mediaType: file.mediaType });
  } catch (e) {
    if (e instanceof UploadError) throw transferError(e.code === 'too-large' ? 'too-large' : e.code === 'no-service' ? 'unsupported' : 'connection-failed', e.message);
    throw e;
  }
  if (ctx.signal.aborted) throw transferError('cancelled', 'cancelled');
  onTransferring();
  const { sha256 } = await httpPut({
    ...ctx.http,
    url: slot.putUrl,
    headers: slot.headers,
    filePath: file.path,
    size: file.size,
    contentType: file.mediaType,
    onProgress: ctx.progress,
    signal: ctx.signal,
  });
  if (ctx.signal.aborted) throw transferError('cancelled', 'cancelled');
  requireApi<UploadApi>(ctx, UPLOAD_MODULE).share(to, slot.getUrl, {
    name: file.name,
    size: file.size,
    mediaType: file.mediaType,
    ...(file.desc ? { desc: file.desc } : {}),
    hashes: [{ algo: 'sha-256', value: sha256 }],
  });
  return slot.getUrl;
}

/** Downloads an offered link into `folder`. */
export async function receiveByDownload(ctx: RunContext, offer: FileOffer, folder: string, maxSize: number): Promise<SinkResult> {
  if (!offer.url) throw transferError('protocol', 'the offer has no URL');
  const sink = await FileSink.open({ folder, name: offer.name, expectedSize: offer.size, maxSize, expectedHash: pickHash(offer.hashes) });
  try {
    await httpGet({ ...ctx.http, url: offer.url, sink, onProgress: ctx.progress, signal: ctx.signal });
    return await sink.finish();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
