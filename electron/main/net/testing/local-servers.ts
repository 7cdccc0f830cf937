// Local servers on 127.0.0.1 for the transport tests (direct TLS, STARTTLS, silent), the endpoints
// that reach them, and the transports opened against them — all closed by closeAll() after each
// test. Not used by the app.
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { Endpoint } from '../resolve';
import type { Transport } from '../transport';
import type { Pair } from './test-pki';

export interface TestServer {
  port: number;
  /** Application bytes received, all connections (after TLS decryption where there is TLS). */
  received: () => Buffer;
  /** Accepted TCP connections. */
  connections: number;
  /** Resolves with the next TLS socket whose handshake completed on the server side. */
  nextSecure: () => Promise<tls.TLSSocket>;
  close: () => Promise<void>;
}

export interface LocalServers {
  /** Starts `server` on an ephemeral port and tracks it for closeAll(). */
  listen(server: net.Server, extra: Omit<TestServer, 'port' | 'close'>): Promise<TestServer>;
  /** A direct-TLS server (XEP-0368 port); `onSecure` may talk to the client. */
  tlsServer(p: Pair, opts?: tls.TlsOptions, onSecure?: (s: tls.TLSSocket) => void): Promise<TestServer>;
  /**
   * A plain TCP server that answers '<starttls/>' with '<proceed/>' and then becomes the TLS server
   * side. The TLS layer reads through a tap, so `wire()` holds every raw byte that crossed the
   * connection after <proceed/> — plaintext leaked by the client would show up there.
   */
  starttlsServer(p: Pair, opts?: tls.TlsOptions): Promise<TestServer & { wire: () => Buffer }>;
  /** A TCP server that accepts and stays silent (a TLS handshake against it never completes). */
  silentServer(): Promise<TestServer>;
  /** Destroys `t` in closeAll(). */
  track(t: Transport): Transport;
  /** Destroys the tracked transports and closes every server (for afterEach). */
  closeAll(): Promise<void>;
}

export function localServers(): LocalServers {
  const servers: TestServer[] = [];
  const transports: Transport[] = [];

  function listen(server: net.Server, extra: Omit<TestServer, 'port' | 'close'>): Promise<TestServer> {
    const sockets = new Set<net.Socket>();
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    return new Promise((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const s: TestServer = {
          ...extra,
          port: (server.address() as net.AddressInfo).port,
          close: () =>
            new Promise<void>((r) => {
              for (const sock of sockets) sock.destroy();
              server.close(() => r());
            }),
        };
        Object.defineProperty(s, 'connections', { get: () => extra.connections });
        servers.push(s);
        resolve(s);
      });
    });
  }

  async function tlsServer(p: Pair, opts: tls.TlsOptions = {}, onSecure?: (s: tls.TLSSocket) => void): Promise<TestServer> {
    const chunks: Buffer[] = [];
    const queue = secureQueue();
    const stats = { connections: 0 };
    const server = tls.createServer({ key: p.key, cert: p.cert, ALPNProtocols: ['xmpp-client'], ...opts }, (s) => {
      s.on('data', (d: Buffer) => chunks.push(d));
      s.on('error', () => {});
      queue.push(s);
      onSecure?.(s);
    });
    server.on('connection', () => stats.connections++);
    server.on('tlsClientError', () => {});
    return listen(server, { received: () => Buffer.concat(chunks), get connections() { return stats.connections; }, nextSecure: queue.next });
  }

  async function starttlsServer(p: Pair, opts: tls.TlsOptions = {}): Promise<TestServer & { wire: () => Buffer }> {
    const chunks: Buffer[] = [];
    const wire: Buffer[] = [];
    const queue = secureQueue();
    const stats = { connections: 0 };
    const server = net.createServer((sock) => {
      stats.connections++;
      sock.on('error', () => {});
      let plain = '';
      const onPlain = (d: Buffer) => {
        plain += d.toString('utf8');
        if (!plain.includes('<starttls/>')) return;
        sock.off('data', onPlain);
        const tap = new Duplex({
          read() {},
          write(chunk: Buffer, _enc, cb) {
            sock.write(chunk, cb);
          },
          final(cb) {
            sock.end();
            cb();
          },
          destroy(err, cb) {
            sock.destroy();
            cb(err);
          },
        });
        sock.on('data', (raw: Buffer) => {
          wire.push(raw);
          tap.push(raw);
        });
        sock.on('end', () => tap.push(null));
        sock.write('<proceed/>');
        const t = new tls.TLSSocket(tap, { isServer: true, key: p.key, cert: p.cert, ...opts });
        t.on('error', () => {});
        t.on('data', (d: Buffer) => chunks.push(d));
        t.on('secure', () => queue.push(t));
      };
      sock.on('data', onPlain);
    });
    const srv = await listen(server, { received: () => Buffer.concat(chunks), get connections() { return stats.connections; }, nextSecure: queue.next });
    return Object.assign(srv, { wire: () => Buffer.concat(wire) });
  }

  async function silentServer(): Promise<TestServer> {
    const stats = { connections: 0 };
    const server = net.createServer((s) => {
      stats.connections++;
      s.on('error', () => {});
    });
    return listen(server, { received: () => Buffer.alloc(0), get connections() { return stats.connections; }, nextSecure: () => new Promise(() => {}) });
  }

  return {
    listen,
    tlsServer,
    starttlsServer,
    silentServer,
    track(t) {
      transports.push(t);
      return t;
    },
    async closeAll() {
      for (const t of transports.splice(0)) t.destroy();
      await Promise.all(servers.splice(0).map((s) => s.close()));
    },
  };
}

function secureQueue() {
  const ready: tls.TLSSocket[] = [];
  const waiting: Array<(s: tls.TLSSocket) => void> = [];
  return {
    push(s: tls.TLSSocket) {
      const w = waiting.shift();
      if (w) w(s);
      else ready.push(s);
    },
    next: () => new Promise<tls.TLSSocket>((r) => (ready.length ? r(ready.shift()!) : waiting.push(r))),
  };
}

/** A port nothing listens on (connecting to it is refused). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export const direct = (port: number): Endpoint => ({ host: '127.0.0.1', port, directTls: true, source: 'override' });
export const plain = (port: number): Endpoint => ({ host: '127.0.0.1', port, directTls: false, source: 'override' });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The error `p` rejects with; a transport it resolves with instead is destroyed and the test fails. */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    const v = await p;
    if (v && typeof v === 'object' && 'destroy' in v) (v as Transport).destroy();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}
