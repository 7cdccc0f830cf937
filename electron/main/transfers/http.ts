// HTTP for XEP-0363: PUT a file to an upload slot, GET a shared file into a FileSink. Streams in
// both directions (no file is held in memory), progress per chunk, abortable, with time limits.
// Only http(s) URLs; plain http only when the caller allows it (tests on loopback).
import http from 'node:http';
import https from 'node:https';
import type { SlotHeader } from '../../core/modules/xep0363-upload';
import { transferError, TransferError } from './errors';
import type { FileSink } from './file-sink';
import { HashPool } from './hash-pool';
import { pumpFile } from './pump';

export interface HttpPolicy {
  /** Allow http:// (not only https://). Default false. */
  allowHttp?: boolean;
  /** Extra trusted CAs (PEM) for https. */
  ca?: string[];
  /** No byte in either direction for this long fails the request. Default 30 s. */
  idleTimeoutMs?: number;
}

export function checkUrl(raw: string, policy: HttpPolicy): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw transferError('protocol', 'invalid URL');
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && policy.allowHttp)) {
    throw transferError('protocol', `refusing a ${u.protocol.replace(':', '')} URL: only https is allowed`);
  }
  if (u.username || u.password) throw transferError('protocol', 'refusing a URL with credentials');
  return u;
}

/** §5 again, at the last moment: only these names, no CR/LF in values. */
function slotHeaders(headers: SlotHeader[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    if (h.name !== 'Authorization' && h.name !== 'Cookie' && h.name !== 'Expires') continue;
    out[h.name] = h.value.replace(/[\r\n]/g, '');
  }
  return out;
}

const agentFor = (u: URL) => (u.protocol === 'https:' ? https : http);

export interface PutOptions extends HttpPolicy {
  url: string;
  headers: SlotHeader[];
  filePath: string;
  size: number;
  contentType?: string;
  onProgress?(bytes: number): void;
  signal?: AbortSignal;
}

/** Bytes read from the file per write: big writes keep pace with curl; 4 in flight bound the memory. */
const PUT_CHUNK = 1 << 20;
const PUT_SLOTS = 4;

/**
 * Streams the file to the slot; resolves with its base64 SHA-256 (computed on the way) once the
 * server accepted it. The file is read into the slots of a HashPool and each slot is written to the
 * request from the same memory (no allocation or copy per chunk; pump.ts).
 */
export function httpPut(o: PutOptions): Promise<{ sha256: string }> {
  const u = checkUrl(o.url, o);
  return new Promise((resolve, reject) => {
    // The hash stays on this thread: an upload runs at the server's pace (~10–30 MB/s to Prosody here),
    // where SHA-256 costs ~2 % of a core and a hashing thread would cost more to start than it saves.
    const pool = new HashPool({ offThread: false, slotSize: PUT_CHUNK, slots: PUT_SLOTS });
    let settled = false;
    const finish = () => {
      settled = true;
      pool.close();
    };
    const fail = (e: unknown) => {
      if (settled) return;
      finish();
      req.destroy();
      reject(e instanceof TransferError ? e : transferError('connection-failed', `upload failed: ${(e as Error).message}`));
    };
    const req = agentFor(u).request(u, {
      method: 'PUT',
      ca: o.ca,
      headers: {
        ...slotHeaders(o.headers),
        'Content-Length': String(o.size),
        'Content-Type': o.contentType || 'application/octet-stream',
      },
    });
    const pumped = pumpFile({
      filePath: o.filePath,
      size: o.size,
      pool,
      out: req,
      stopped: () => settled,
      onProgress: (sent) => o.onProgress?.(sent),
    });
    pumped
      .then((sha256) => {
        if (sha256 !== undefined) req.end();
      })
      .catch(fail);
    req.setTimeout(o.idleTimeoutMs ?? 30_000, () => fail(transferError('timeout', 'the upload server stopped answering')));
    req.on('error', fail);
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        if (settled) return;
        if (res.statusCode !== 200 && res.statusCode !== 201) {
          return fail(transferError(res.statusCode === 413 ? 'too-large' : 'connection-failed', `the upload server answered HTTP ${res.statusCode}`));
        }
        pumped.then(
          (sha256) => {
            if (settled || sha256 === undefined) return;
            finish();
            resolve({ sha256 });
          },
          () => undefined, // failed above
        );
      });
      res.on('error', fail);
    });
    o.signal?.addEventListener('abort', () => fail(transferError('cancelled', 'cancelled')), { once: true });
  });
}

export interface GetOptions extends HttpPolicy {
  url: string;
  sink: FileSink;
  onProgress?(bytes: number): void;
  signal?: AbortSignal;
  /** Redirects followed (each checked like the first URL). Default 3. */
  maxRedirects?: number;
}

/** Streams the body into the sink (which enforces size and hash); resolves when the last byte is written. */
export async function httpGet(o: GetOptions): Promise<void> {
  let url = o.url;
  for (let hop = 0; ; hop++) {
    const next = await getOnce(url, o);
    if (next === undefined) return;
    if (hop >= (o.maxRedirects ?? 3)) throw transferError('connection-failed', 'too many redirects');
    url = next;
  }
}

function getOnce(raw: string, o: GetOptions): Promise<string | undefined> {
  const u = checkUrl(raw, o);
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(e instanceof TransferError ? e : transferError('connection-failed', `download failed: ${(e as Error).message}`));
    };
    const req = agentFor(u).get(u, { ca: o.ca, headers: { 'Accept-Encoding': 'identity' } });
    req.setTimeout(o.idleTimeoutMs ?? 30_000, () => fail(transferError('timeout', 'the file server stopped answering')));
    req.on('error', fail);
    o.signal?.addEventListener('abort', () => fail(transferError('cancelled', 'cancelled')), { once: true });
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        settled = true;
        try {
          resolve(new URL(res.headers.location, u).href);
        } catch {
          reject(transferError('protocol', 'invalid redirect'));
        }
        return;
      }
      if (status !== 200) {
        res.resume();
        return fail(transferError('connection-failed', `the file server answered HTTP ${status}`));
      }
      // A Content-Length above what the sender announced is refused before a byte is written.
      const length = Number(res.headers['content-length']);
      if (Number.isFinite(length) && length > 0) {
        try {
          o.sink.checkTotal(length);
        } catch (e) {
          return fail(e);
        }
      }
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        let wait: Promise<void> | undefined;
        try {
          wait = o.sink.write(chunk);
        } catch (e) {
          return fail(e);
        }
        o.onProgress?.(o.sink.bytes);
        if (wait) {
          res.pause();
          wait.then(() => res.resume(), fail);
        }
      });
      res.on('end', () => {
        if (settled) return;
        settled = true;
        resolve(undefined);
      });
      res.on('error', fail);
      res.on('aborted', () => fail(transferError('connection-failed', 'the download was cut off')));
    });
  });
}
