// A scripted XMPP "server" on loopback for what real servers never send: missing STARTTLS,
// bad certificates, stream errors at odd moments, oversized or malformed stanzas, slow drips.
// Each accepted connection runs the test's script; everything the client sent is kept so a
// test can assert, for example, that no credentials went out.
import net from 'node:net';
import tls from 'node:tls';

export interface HostileTlsOptions {
  certPem: string;
  keyPem: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
}

export interface HostileServerOptions {
  tls?: HostileTlsOptions;
  /** XEP-0368: TLS from the first byte (needs `tls`). */
  directTls?: boolean;
}

export interface HostileConn {
  /** Zero-based index of this connection on the server. */
  index: number;
  /**
   * Wait until the unread input contains `pattern`; returns the unread text up to and including
   * the match and consumes it. Rejects on timeout (default 5 s) or if the client closes first.
   */
  readUntil(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  write(data: string | Uint8Array): void;
  /**
   * Upgrade the server side to TLS (after writing <proceed/>). Call it in the same tick as that
   * write (no await in between) so the client's ClientHello cannot be read as text.
   * Resolves once the handshake completes; rejects if the client aborts it.
   */
  startTls(): Promise<void>;
  /** Whether the connection is currently TLS-protected. */
  readonly encrypted: boolean;
  /** Everything this client sent so far (after TLS decryption). */
  received(): string;
  /** Resolves when the client has closed (or reset) the connection; rejects on timeout (default 5 s). */
  waitClosed(timeoutMs?: number): Promise<void>;
  /** Half-close: send FIN after pending writes. */
  end(data?: string): void;
  /** Drop the TCP connection at once (RST-like). */
  destroy(): void;
}

export interface HostileServer {
  port: number;
  /** Everything every client sent, in connection order. */
  received(): string;
  connectionCount(): number;
  /** Errors thrown by scripts (a test should usually expect this to be empty). */
  scriptErrors(): unknown[];
  /** directTls: handshakes the client aborted (e.g. it rejected the certificate). */
  tlsClientErrors(): Error[];
  /** Resolves when all scripts started so far have finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export type HostileScript = (conn: HostileConn) => Promise<void>;

class Conn implements HostileConn {
  private socket: net.Socket;
  private buf = Buffer.alloc(0);
  private log: Buffer[] = [];
  private closed = false;
  private waiters = new Set<() => void>();
  encrypted = false;

  constructor(
    readonly index: number,
    socket: net.Socket,
    private readonly tlsOpts: HostileTlsOptions | undefined,
    encrypted: boolean,
  ) {
    this.socket = socket;
    this.encrypted = encrypted;
    this.attach(socket);
    socket.once('close', () => this.onClose());
  }

  private attach(sock: net.Socket): void {
    sock.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      this.log.push(chunk);
      this.notify();
    });
    sock.on('error', () => this.onClose());
  }

  private onClose(): void {
    this.closed = true;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private change(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (changed: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(w);
        resolve(changed);
      };
      const w = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(w);
    });
  }

  async readUntil(pattern: string | RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const text = this.buf.toString('utf8');
      let end = -1;
      if (typeof pattern === 'string') {
        const i = text.indexOf(pattern);
        if (i >= 0) end = i + pattern.length;
      } else {
        const m = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
        if (m) end = m.index + m[0].length;
      }
      if (end >= 0) {
        const consumed = text.slice(0, end);
        this.buf = this.buf.subarray(Buffer.byteLength(consumed, 'utf8'));
        return consumed;
      }
      if (this.closed) throw new Error(`hostile conn #${this.index}: client closed before ${String(pattern)}; unread: ${text.slice(-500)}`);
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.change(left))) {
        throw new Error(`hostile conn #${this.index}: no ${String(pattern)} within ${timeoutMs} ms; unread: ${text.slice(-500)}`);
      }
    }
  }

  write(data: string | Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  startTls(): Promise<void> {
    if (!this.tlsOpts) return Promise.reject(new Error('startTls: server started without tls options'));
    // Unread plaintext (say the rest of <starttls .../>) is dropped; a TLS record header
    // (0x16 = handshake) among it means the ClientHello was read as text.
    if (this.buf.includes(0x16)) {
      return Promise.reject(new Error('startTls: the ClientHello arrived before startTls() (did the script await between <proceed/> and startTls?)'));
    }
    this.buf = Buffer.alloc(0);
    const raw = this.socket;
    raw.removeAllListeners('data');
    const secure = new tls.TLSSocket(raw, {
      isServer: true,
      secureContext: tls.createSecureContext({
        cert: this.tlsOpts.certPem,
        key: this.tlsOpts.keyPem,
        minVersion: this.tlsOpts.minVersion,
        maxVersion: this.tlsOpts.maxVersion,
      }),
    });
    this.socket = secure;
    this.attach(secure);
    return new Promise((resolve, reject) => {
      secure.once('secure', () => {
        this.encrypted = true;
        resolve();
      });
      secure.once('error', reject);
      secure.once('close', () => reject(new Error('startTls: connection closed during the TLS handshake')));
    });
  }

  received(): string {
    return Buffer.concat(this.log).toString('utf8');
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0 || !(await this.change(left))) {
        if (this.closed) return;
        throw new Error(`hostile conn #${this.index}: client did not close within ${timeoutMs} ms`);
      }
    }
  }

  end(data?: string): void {
    if (data !== undefined) this.socket.end(data);
    else this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function startHostileServer(script: HostileScript, opts: HostileServerOptions = {}): Promise<HostileServer> {
  if (opts.directTls && !opts.tls) throw new Error('startHostileServer: directTls needs tls');
  const conns: Conn[] = [];
  const sockets = new Set<net.Socket>();
  const errors: unknown[] = [];
  const tlsErrors: Error[] = [];
  const running: Promise<void>[] = [];

  const onConnection = (socket: net.Socket, encrypted: boolean): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    const conn = new Conn(conns.length, socket, opts.tls, encrypted);
    conns.push(conn);
    running.push(
      script(conn).catch((e: unknown) => {
        errors.push(e);
        conn.destroy();
      }),
    );
  };

  const server = opts.directTls
    ? tls.createServer({ cert: opts.tls!.certPem, key: opts.tls!.keyPem, minVersion: opts.tls!.minVersion, maxVersion: opts.tls!.maxVersion }, (s) =>
        onConnection(s, true),
      )
    : net.createServer((s) => onConnection(s, false));
  // A client rejecting our certificate surfaces as a tlsClientError: record, don't crash.
  server.on('tlsClientError', (e) => tlsErrors.push(e));

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        port,
        received: () => conns.map((c) => c.received()).join(''),
        connectionCount: () => conns.length,
        scriptErrors: () => [...errors],
        tlsClientErrors: () => [...tlsErrors],
        settled: async () => {
          await Promise.all(running);
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
