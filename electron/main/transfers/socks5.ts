// RFC 1928 SOCKS5, the subset XEP-0065 uses: no authentication, CONNECT to a domain name that is
// the 40-hex-digit DST.ADDR hash, port 0 (§5.3.2, §6.3). Both ends: the client (a target connecting
// to a streamhost, a requester connecting to a proxy) and the server behind our direct candidates.
// Every step has a time limit; a server connection that does not present an expected hash within
// it is dropped. Nothing here knows about XMPP.
import net from 'node:net';
import { transferError } from './errors';

const VER = 5;
const CMD_CONNECT = 1;
const ATYP_DOMAIN = 3;
const METHOD_NONE = 0;
const METHOD_NONE_ACCEPTABLE = 0xff;
const REP_SUCCEEDED = 0;
const REP_NOT_ALLOWED = 2;
const REP_CMD_NOT_SUPPORTED = 7;

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Reads exactly the bytes a step needs from a socket, keeping anything after them for later. */
class Reader {
  private buf: Buffer = Buffer.alloc(0);
  private want?: { n: number; resolve(b: Buffer): void; reject(e: Error): void };
  private ended?: Error;

  constructor(private readonly socket: net.Socket) {
    socket.on('data', this.onData);
    socket.once('close', () => this.fail(new Error('the connection closed during the SOCKS5 handshake')));
    socket.once('error', (e) => this.fail(e));
  }

  private readonly onData = (chunk: Buffer) => {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    this.pump();
  };

  private fail(e: Error) {
    this.ended ??= e;
    const w = this.want;
    this.want = undefined;
    w?.reject(e);
  }

  private pump() {
    const w = this.want;
    if (!w || this.buf.length < w.n) return;
    this.want = undefined;
    const out = this.buf.subarray(0, w.n);
    this.buf = this.buf.subarray(w.n);
    w.resolve(out);
  }

  read(n: number): Promise<Buffer> {
    if (this.ended && this.buf.length < n) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.want = { n, resolve, reject };
      this.pump();
    });
  }

  /** Stop reading; bytes already buffered go back to the socket for whoever reads it next. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.socket.pause();
    if (this.buf.length > 0) this.socket.unshift(this.buf);
    this.buf = Buffer.alloc(0);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(transferError('timeout', `${what} took longer than ${Math.round(ms / 1000)} s`)), ms);
    }),
  ]);
}

function domainRequest(cmdOrRep: number, dst: string): Buffer {
  const name = Buffer.from(dst, 'ascii');
  return Buffer.concat([Buffer.from([VER, cmdOrRep, 0, ATYP_DOMAIN, name.length]), name, Buffer.from([0, 0])]);
}

function tune(socket: net.Socket): void {
  socket.setNoDelay(true);
}

export interface Socks5ConnectOptions {
  host: string;
  port: number;
  /** DST.ADDR: the hex SHA-1 of XEP-0065 §5.3.2. */
  dstAddr: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Connects to a streamhost or proxy and completes the SOCKS5 handshake; resolves with the socket,
 * paused, ready for the bytestream (data that came with the reply is kept on it).
 */
export async function socks5Connect(o: Socks5ConnectOptions): Promise<net.Socket> {
  const socket = net.connect({ host: o.host, port: o.port });
  tune(socket);
  const abort = () => socket.destroy(transferError('cancelled', 'cancelled'));
  o.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await withTimeout(
      (async () => {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        });
        const r = new Reader(socket);
        socket.write(Buffer.from([VER, 1, METHOD_NONE]));
        const method = await r.read(2);
        if (method[0] !== VER || method[1] !== METHOD_NONE) throw new Error('the SOCKS5 server wants authentication we do not have');
        socket.write(domainRequest(CMD_CONNECT, o.dstAddr));
        const head = await r.read(5);
        if (head[0] !== VER) throw new Error('not a SOCKS5 server');
        if (head[1] !== REP_SUCCEEDED) throw new Error(`the SOCKS5 server refused the connection (reply ${head[1]})`);
        // The rest of the reply: the bound address, whatever its type, and the port.
        const atyp = head[3];
        const rest = atyp === 1 ? 4 - 1 + 2 : atyp === 4 ? 16 - 1 + 2 : atyp === ATYP_DOMAIN ? head[4]! + 2 : -1;
        if (rest < 0) throw new Error('the SOCKS5 server sent an unknown address type');
        await r.read(rest);
        r.detach();
        return socket;
      })(),
      o.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      `connecting to ${o.host}:${o.port}`,
    );
  } catch (e) {
    socket.destroy();
    throw e;
  } finally {
    o.signal?.removeEventListener('abort', abort);
  }
}

interface Expectation {
  resolve(socket: net.Socket): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The SOCKS5 server behind our direct candidates. Listens on the given addresses (ephemeral
 * ports); a connection is accepted only for a DST.ADDR someone is waiting for (expect()), is
 * handed over once, and the handshake must finish within the time limit.
 */
export class Socks5Server {
  private readonly servers: net.Server[] = [];
  private readonly expected = new Map<string, Expectation>();
  private readonly sockets = new Set<net.Socket>();
  /** Listening endpoints: one per address. */
  endpoints: { host: string; port: number }[] = [];

  constructor(private readonly handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS) {}

  async listen(addresses: string[], port = 0): Promise<void> {
    for (const host of addresses) {
      const server = net.createServer((s) => this.onConnection(s));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port, exclusive: true }, () => resolve());
      });
      server.on('error', () => undefined);
      this.servers.push(server);
      const addr = server.address() as net.AddressInfo;
      this.endpoints.push({ host, port: addr.port });
    }
  }

  get listening(): boolean {
    return this.servers.length > 0;
  }

  /**
   * Waits for a client presenting `dstAddr`. Resolves with its socket (paused) after our success
   * reply; rejects after `timeoutMs`. Several hashes may be waited for at once (one per transfer).
   */
  expect(dstAddr: string, timeoutMs: number): { socket: Promise<net.Socket>; cancel(): void } {
    let cancel!: () => void;
    const socket = new Promise<net.Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.expected.delete(dstAddr);
        reject(transferError('timeout', 'the peer did not connect to us in time'));
      }, timeoutMs);
      this.expected.set(dstAddr, { resolve, reject, timer });
      cancel = () => {
        const e = this.expected.get(dstAddr);
        if (!e) return;
        clearTimeout(e.timer);
        this.expected.delete(dstAddr);
        e.reject(transferError('cancelled', 'cancelled'));
      };
    });
    socket.catch(() => undefined);
    return { socket, cancel };
  }

  private onConnection(socket: net.Socket): void {
    tune(socket);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => socket.destroy(), this.handshakeTimeoutMs);
    void this.handshake(socket).then(
      () => clearTimeout(timer),
      () => {
        clearTimeout(timer);
        socket.destroy();
      },
    );
  }

  private async handshake(socket: net.Socket): Promise<void> {
    const r = new Reader(socket);
    const greeting = await r.read(2);
    if (greeting[0] !== VER) throw new Error('not SOCKS5');
    const methods = await r.read(greeting[1]!);
    if (!methods.includes(METHOD_NONE)) {
      socket.end(Buffer.from([VER, METHOD_NONE_ACCEPTABLE]));
      throw new Error('no acceptable method');
    }
    socket.write(Buffer.from([VER, METHOD_NONE]));
    const head = await r.read(5);
    if (head[0] !== VER || head[1] !== CMD_CONNECT || head[3] !== ATYP_DOMAIN) {
      socket.end(domainRequest(REP_CMD_NOT_SUPPORTED, ''));
      throw new Error('unsupported request');
    }
    const rest = await r.read(head[4]! + 2);
    const dst = rest.subarray(0, head[4]!).toString('latin1');
    const waiting = this.expected.get(dst);
    if (!waiting) {
      socket.end(domainRequest(REP_NOT_ALLOWED, dst));
      throw new Error('unexpected DST.ADDR');
    }
    this.expected.delete(dst);
    clearTimeout(waiting.timer);
    // §6.3.3: the reply echoes the hash as the bound address.
    socket.write(domainRequest(REP_SUCCEEDED, dst));
    r.detach();
    this.sockets.delete(socket);
    waiting.resolve(socket);
  }

  async close(): Promise<void> {
    for (const e of this.expected.values()) {
      clearTimeout(e.timer);
      e.reject(transferError('cancelled', 'shutting down'));
    }
    this.expected.clear();
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
    this.endpoints = [];
  }
}
