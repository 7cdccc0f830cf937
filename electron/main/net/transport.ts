// The byte pipe under one XMPP stream: plain TCP that can be upgraded in place (STARTTLS, RFC 6120
// §5), or direct TLS from the first byte (XEP-0368). Text in and out is UTF-8 (RFC 6120 §11.6).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { StringDecoder } from 'node:string_decoder';
import type { Endpoint } from './resolve';
import { tlsConnectOptions, verifyPeer } from './verify';
import type { TlsInfo, TlsPolicy } from './verify';

export type { TlsInfo, TlsPolicy } from './verify';
export { TlsVerifyError } from './cert';
export type { CertInfo, CertProblem } from './cert';

export interface Transport {
  readonly secure: boolean;
  readonly tlsInfo?: TlsInfo;
  /** Application bytes received / sent (after TLS decryption / before encryption). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /**
   * Date.now() of the last byte received (or of connecting): input for dead-connection detection.
   * Writes do not count — they succeed into the kernel buffer even when the peer is gone.
   */
  readonly lastActivity: number;
  /** UTF-8. Held back while a STARTTLS upgrade is verifying, dropped once the transport is closing. */
  write(text: string): void;
  /**
   * Upgrade in place after <proceed/> (RFC 6120 §5.4.3.3). Resolves once the server certificate is
   * accepted; rejects with TlsVerifyError (or a network error) after destroying the socket.
   */
  startTls(policy: TlsPolicy): Promise<TlsInfo>;
  /** Graceful end, after the caller wrote </stream:stream>; destroyed if the peer lingers. */
  close(): void;
  destroy(): void;
  /** Decoded text; never splits a multi-byte character. Text that arrived before the first listener is replayed to it. */
  onData(cb: (text: string) => void): () => void;
  /** Once, when the socket is gone; `err` when it failed (reset, timeout, refused certificate). */
  onClose(cb: (err?: Error) => void): () => void;
}

export interface ConnectOptions {
  tls: TlsPolicy;
  /** TCP connect + (direct) TLS handshake, and later a STARTTLS handshake. Default 15 s. */
  timeoutMs?: number;
  /** Aborts connecting; an established transport is not affected. */
  signal?: AbortSignal;
  /** How long close() waits for the peer to close before destroying. Default 3 s. */
  closeTimeoutMs?: number;
  /** TCP keepalive initial delay. Default 30 s. */
  keepAliveMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 3_000;
const DEFAULT_KEEPALIVE_MS = 30_000;

function tuneSocket(socket: net.Socket, opts: ConnectOptions): void {
  // XMPP is many small writes that wait for answers: Nagle costs ≈ 40 ms per round trip.
  socket.setNoDelay(true);
  socket.setKeepAlive(true, opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS);
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const err = new Error('connection attempt aborted');
  err.name = 'AbortError';
  return err;
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

interface Upgrade {
  queued: string[];
  abort(err: Error | undefined): void;
}

class SocketTransport implements Transport {
  secure: boolean;
  tlsInfo?: TlsInfo;
  bytesIn = 0;
  bytesOut = 0;
  lastActivity = Date.now();

  #socket: net.Socket;
  #decoder = new StringDecoder('utf8');
  readonly #dataListeners = new Set<(text: string) => void>();
  readonly #closeListeners = new Set<(err?: Error) => void>();
  #backlog: string[] | undefined = [];
  #lastError: Error | undefined;
  #closed: { err: Error | undefined } | undefined;
  #ending = false;
  #upgrade: Upgrade | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #opts: ConnectOptions;
  /** STARTTLS options for `#opts.tls`, made ahead of <proceed/> (see the constructor). */
  #starttlsOptions: tls.ConnectionOptions | undefined;

  constructor(socket: net.Socket, tlsInfo: TlsInfo | undefined, opts: ConnectOptions) {
    this.#socket = socket;
    this.#opts = opts;
    this.secure = tlsInfo !== undefined;
    this.tlsInfo = tlsInfo;
    this.#attach(socket);
    // A plain connection is upgraded soon (RFC 6120 §5.4). The TLS options (the secure context, the
    // SNI name check) cost a fresh process several ms of CPU: make them once the caller has written
    // its stream header, while the server answers, instead of after <proceed/>, when the handshake
    // waits for them.
    if (!this.secure) {
      setImmediate(() => {
        if (this.#closed || this.#ending || this.secure) return;
        try {
          this.#starttlsOptions ??= tlsConnectOptions(opts.tls, false);
        } catch {
          // Options Node refuses fail startTls() as they did before, not the process from here.
        }
      }).unref?.();
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    this.bytesIn += chunk.length;
    this.lastActivity = Date.now();
    const text = this.#decoder.write(chunk);
    if (!text) return;
    if (this.#backlog) this.#backlog.push(text);
    else for (const cb of this.#dataListeners) cb(text);
  };

  readonly #onError = (err: Error): void => {
    this.#lastError ??= err;
  };

  readonly #onClose = (): void => this.#finish(this.#lastError);

  #attach(socket: net.Socket): void {
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  #detach(socket: net.Socket): void {
    socket.off('data', this.#onData);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
  }

  #finish(err: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = { err };
    clearTimeout(this.#closeTimer);
    for (const cb of this.#closeListeners) cb(err);
    this.#closeListeners.clear();
    this.#dataListeners.clear();
  }

  write(text: string): void {
    if (this.#closed || this.#ending) return;
    if (this.#upgrade) {
      // Nothing may cross the wire between <proceed/> and an accepted certificate.
      this.#upgrade.queued.push(text);
      return;
    }
    this.bytesOut += Buffer.byteLength(text, 'utf8');
    this.#socket.write(text, 'utf8');
  }

  startTls(policy: TlsPolicy): Promise<TlsInfo> {
    if (this.secure) return Promise.reject(new Error('STARTTLS on a connection that is already TLS'));
    if (this.#upgrade) return Promise.reject(new Error('STARTTLS already in progress'));
    if (this.#closed || this.#ending) return Promise.reject(new Error('STARTTLS on a closed connection'));

    const raw = this.#socket;
    this.#detach(raw);
    raw.on('error', () => {}); // errors surface through the TLS socket that now owns the handle

    return new Promise<TlsInfo>((resolve, reject) => {
      const options = policy === this.#opts.tls && this.#starttlsOptions ? this.#starttlsOptions : tlsConnectOptions(policy, false);
      const sock = tls.connect({ socket: raw, ...options });
      const timeoutMs = this.#opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const timer = setTimeout(() => fail(codedError(`TLS handshake timed out after ${timeoutMs} ms`, 'ETIMEDOUT')), timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        sock.off('secureConnect', onSecure);
        sock.off('error', fail);
        sock.off('close', onEarlyClose);
      };
      const fail = (err: Error, closeErr: Error | undefined = err) => {
        cleanup();
        sock.on('error', () => {});
        sock.destroy();
        raw.destroy();
        this.#upgrade = undefined;
        this.#ending = true;
        reject(err);
        // onClose after the rejection, so the caller learns *why* (e.g. the refused certificate)
        // from startTls() before it hears that the connection is gone.
        setImmediate(() => this.#finish(closeErr));
      };
      const onEarlyClose = () => fail(this.#lastError ?? codedError('connection closed during the TLS handshake', 'ECONNRESET'));
      const onSecure = () => {
        let info: TlsInfo;
        try {
          info = verifyPeer(sock, policy);
        } catch (e) {
          fail(e as Error);
          return;
        }
        cleanup();
        const queued = this.#upgrade?.queued ?? [];
        this.#upgrade = undefined;
        this.#socket = sock;
        // RFC 6120 §5.4.3.3: a fresh stream starts over TLS; nothing of the old decoder carries over.
        this.#decoder = new StringDecoder('utf8');
        this.secure = true;
        this.tlsInfo = info;
        this.#attach(sock);
        for (const text of queued) this.write(text);
        resolve(info);
      };
      this.#upgrade = {
        queued: [],
        abort: (err) => fail(err ?? codedError('transport destroyed during the TLS handshake', 'ECONNABORTED'), err),
      };
      sock.once('secureConnect', onSecure);
      sock.once('error', fail);
      sock.once('close', onEarlyClose);
    });
  }

  close(): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    if (this.#upgrade) {
      this.#upgrade.abort(undefined);
      return;
    }
    this.#socket.end();
    const ms = this.#opts.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.#closeTimer = setTimeout(() => this.#socket.destroy(), ms);
    this.#closeTimer.unref?.();
  }

  destroy(): void {
    if (this.#closed) return;
    if (this.#upgrade) {
      this.#upgrade.abort(undefined);
      return;
    }
    this.#socket.destroy();
  }

  onData(cb: (text: string) => void): () => void {
    this.#dataListeners.add(cb);
    const backlog = this.#backlog;
    if (backlog) {
      this.#backlog = undefined;
      for (const text of backlog) cb(text);
    }
    return () => this.#dataListeners.delete(cb);
  }

  onClose(cb: (err?: Error) => void): () => void {
    const closed = this.#closed;
    if (closed) {
      queueMicrotask(() => cb(closed.err));
      return () => {};
    }
    this.#closeListeners.add(cb);
    return () => this.#closeListeners.delete(cb);
  }
}

/**
 * Opens one endpoint. Plain TCP resolves on connect; direct TLS resolves only after verifyPeer()
 * accepted the certificate, so no caller can write before that.
 */
export function connectTransport(ep: Endpoint, opts: ConnectOptions): Promise<Transport> {
  const { signal } = opts;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  return new Promise<Transport>((resolve, reject) => {
    const sock: net.Socket = ep.directTls
      ? tls.connect({ host: ep.host, port: ep.port, ...tlsConnectOptions(opts.tls, true) })
      : net.connect({ host: ep.host, port: ep.port });
    tuneSocket(sock, opts);

    let settled = false;
    const settle = (err: Error | undefined, info?: TlsInfo) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.off(ep.directTls ? 'secureConnect' : 'connect', onReady);
      sock.off('error', onError);
      sock.off('close', onEarlyClose);
      if (err) {
        sock.on('error', () => {});
        sock.destroy();
        reject(err);
      } else resolve(new SocketTransport(sock, info, opts));
    };
    const onReady = () => {
      if (!ep.directTls) return settle(undefined);
      try {
        settle(undefined, verifyPeer(sock as tls.TLSSocket, opts.tls));
      } catch (e) {
        settle(e as Error);
      }
    };
    const onError = (err: Error) => settle(err);
    const onEarlyClose = () => settle(codedError(`connection to ${ep.host}:${ep.port} closed before it was ready`, 'ECONNRESET'));
    const onAbort = () => settle(abortError(signal!));
    const timer = setTimeout(
      () => settle(codedError(`connecting to ${ep.host}:${ep.port} timed out after ${timeoutMs} ms`, 'ETIMEDOUT')),
      timeoutMs,
    );

    sock.once(ep.directTls ? 'secureConnect' : 'connect', onReady);
    sock.once('error', onError);
    sock.once('close', onEarlyClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface ConnectAttempt {
  endpoint: Endpoint;
  error: Error;
}

/** Every endpoint failed. `attempts` says how, in order; `errors` (AggregateError) holds the same errors. */
export class UnreachableError extends AggregateError {
  override readonly name = 'UnreachableError';
  readonly code = 'unreachable';
  constructor(readonly attempts: readonly ConnectAttempt[]) {
    super(
      attempts.map((a) => a.error),
      attempts.length === 0
        ? 'no endpoint to connect to'
        : `could not connect: ${attempts.map((a) => `${a.endpoint.host}:${a.endpoint.port}${a.endpoint.directTls ? ' (TLS)' : ''} — ${a.error.message}`).join('; ')}`,
    );
  }
}

/**
 * RFC 6120 §3.2.1 steps 5–6: try the endpoints in order until one connects. A refused certificate
 * on a direct-TLS endpoint also moves on (the next endpoint is verified just the same); the
 * TlsVerifyError stays in `attempts` for the UI. Aborting stops at once with the abort reason.
 */
export async function connectFirst(eps: readonly Endpoint[], opts: ConnectOptions): Promise<{ transport: Transport; endpoint: Endpoint }> {
  const attempts: ConnectAttempt[] = [];
  for (const endpoint of eps) {
    if (opts.signal?.aborted) throw abortError(opts.signal);
    try {
      return { transport: await connectTransport(endpoint, opts), endpoint };
    } catch (e) {
      if (opts.signal?.aborted) throw abortError(opts.signal);
      attempts.push({ endpoint, error: e instanceof Error ? e : new Error(String(e)) });
    }
  }
  throw new UnreachableError(attempts);
}
