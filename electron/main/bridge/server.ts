// Web mode and end-to-end tests: the built renderer over HTTP plus the WebSocket bridge
// (shared/ipc/bridge-protocol.ts), on 127.0.0.1 only. The bridge is the same handler table as
// Electron IPC; what Electron gets from process isolation we get here from three checks:
//   1. Host and Origin must be exactly http://127.0.0.1:PORT (no other site, no DNS rebinding);
//   2. the first message must carry the random token from the URL fragment (constant-time compare);
//   3. every command is schema-validated by dispatch() before a handler runs.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import type { AppEvent } from '../../../shared/ipc/contract';
import { BRIDGE_PATH } from '../../../shared/ipc/bridge-protocol';
import type { BridgeServerMessage } from '../../../shared/ipc/bridge-protocol';
import type { Logger } from '../../core/ports';
import { silentLogger } from '../../core/ports';
import { dispatch } from '../ipc/handlers';
import type { Handlers } from '../ipc/handlers';
import { contentType, lookupStatic, withWebCsp } from './static-files';
import { errorText } from '../../../shared/error-text';

/**
 * Largest client message. chat.send allows 4 Mi UTF-16 units of body, up to 3 bytes each in
 * UTF-8 plus JSON escaping headroom: 16 MiB lets every valid command through and nothing huge.
 */
export const MAX_BRIDGE_PAYLOAD = 16 * 1024 * 1024;
/** A client that does not read its events is dropped rather than buffered without bound. */
const MAX_BUFFERED = 64 * 1024 * 1024;
const HELLO_TIMEOUT_MS = 10_000;

/** WebSocket close codes (4000–4999 are the application's, RFC 6455 §7.4.2). */
export const CLOSE = { badMessage: 4400, unauthorized: 4401, helloTimeout: 4408, slowConsumer: 4429 } as const;

export interface EventSource {
  subscribe(listener: (events: AppEvent[]) => void): () => void;
}

export interface WebServerOptions {
  /** 0 = a free port chosen by the OS. */
  port: number;
  /** Loopback only: the bridge controls the account. */
  host: '127.0.0.1';
  handlers: Handlers;
  events: EventSource;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Defaults to 24 random bytes, base64url. */
  token?: string;
  log?: Logger;
  /** Check results against the contract too (tests). */
  checkResults?: boolean;
}

export interface WebServer {
  /** http://127.0.0.1:PORT/#token=TOKEN — the page reads the token from the fragment, which is never sent to the server. */
  url: string;
  port: number;
  token: string;
  /** Number of authenticated bridge clients. */
  clients(): number;
  close(): Promise<void>;
}

/** The web-mode policy, sent as a header. `forMeta` leaves out what a <meta> policy ignores. */
export function webCsp(port: number, forMeta = false): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  // CSP3 §6.4.2: frame-ancestors is ignored (with a console error) in a <meta> policy.
  return (forMeta ? directives.filter((d) => !d.startsWith('frame-ancestors')) : directives).join('; ');
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time token comparison (hashing first makes the lengths equal). */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

function send(ws: WebSocket, msg: BridgeServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function parse(data: RawData, isBinary: boolean): Record<string, unknown> | null {
  if (isBinary) return null;
  try {
    const v: unknown = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  if (opts.host !== '127.0.0.1') throw new Error('the web bridge listens on 127.0.0.1 only');
  const log = opts.log ?? silentLogger;
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = await realpath(opts.staticDir);
  let port = 0; // known once listening; the checks below read it per request
  const sockets = new Set<WebSocket>();
  let authenticated = 0;

  const expectedHost = () => `127.0.0.1:${port}`;
  const expectedOrigin = () => `http://127.0.0.1:${port}`;

  const server = http.createServer((req, res) => {
    const headers: Record<string, string> = {
      'Content-Security-Policy': webCsp(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
    const fail = (status: number, text: string) => {
      res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${text}\n`);
    };
    if (req.headers.host !== expectedHost()) return fail(421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return fail(405, 'Method not allowed');
    }
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', expectedOrigin()).pathname;
    } catch {
      return fail(400, 'Bad request');
    }
    void lookupStatic(root, pathname).then(
      async (found) => {
        if (!found.ok) return fail(found.status, found.status === 404 ? 'Not found' : 'Bad request');
        const type = contentType(found.file);
        if (type.startsWith('text/html')) {
          const body = Buffer.from(withWebCsp(await readFile(found.file, 'utf8'), webCsp(port, true)), 'utf8');
          res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(body.length) });
          return res.end(req.method === 'HEAD' ? undefined : body);
        }
        res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(found.size) });
        if (req.method === 'HEAD') return res.end();
        createReadStream(found.file)
          .on('error', () => res.destroy())
          .pipe(res);
      },
      (err: unknown) => {
        log.warn('web server: static file failed', { error: String(err) });
        if (!res.headersSent) fail(500, 'Internal error');
        else res.destroy();
      },
    );
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_PAYLOAD, perMessageDeflate: false });

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: string, why: string) => {
      log.warn('bridge: connection refused', { why, origin: req.headers.origin ?? '(none)' });
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    let pathname = '';
    try {
      pathname = new URL(req.url ?? '', expectedOrigin()).pathname;
    } catch {
      /* refused below */
    }
    if (pathname !== BRIDGE_PATH) return refuse('404 Not Found', 'path');
    if (req.headers.host !== expectedHost()) return refuse('421 Misdirected Request', 'host');
    // Browsers always send Origin on WebSocket handshakes; a missing one is not a browser page of ours.
    if (req.headers.origin !== expectedOrigin()) return refuse('403 Forbidden', 'origin');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    let unsubscribe: (() => void) | null = null;
    const helloTimer = setTimeout(() => ws.close(CLOSE.helloTimeout, 'no hello'), HELLO_TIMEOUT_MS);

    ws.on('close', () => {
      clearTimeout(helloTimer);
      sockets.delete(ws);
      if (unsubscribe) {
        unsubscribe();
        authenticated--;
      }
    });
    ws.on('error', (err) => log.warn('bridge: socket error', { error: err.message }));

    ws.on('message', (data, isBinary) => {
      const msg = parse(data, isBinary);
      if (!msg) return ws.close(CLOSE.badMessage, 'expected a JSON object');
      if (!unsubscribe) {
        if (msg.t !== 'hello' || !tokenMatches(token, msg.token)) return ws.close(CLOSE.unauthorized, 'unauthorized');
        clearTimeout(helloTimer);
        authenticated++;
        unsubscribe = opts.events.subscribe((events) => {
          if (ws.bufferedAmount > MAX_BUFFERED) return ws.close(CLOSE.slowConsumer, 'not reading events');
          send(ws, { t: 'events', events });
        });
        // The client asks for app.snapshot itself once it sees 'ready'.
        return send(ws, { t: 'ready' });
      }
      if (msg.t !== 'cmd' || !Number.isSafeInteger(msg.id)) return ws.close(CLOSE.badMessage, 'expected {t:"cmd", id, name, args}');
      const id = msg.id as number;
      dispatch(opts.handlers, msg.name, msg.args, { checkResult: opts.checkResults ?? false }).then(
        (value) => send(ws, { t: 'result', id, ok: true, value: value ?? null }),
        (err: unknown) => send(ws, { t: 'result', id, ok: false, error: errorText(err) }),
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    clients: () => authenticated,
    close: async () => {
      // Say goodbye (1001 going away), give clients a moment to answer, then cut what is left.
      const closed = [...sockets].map((ws) => new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close(1001, 'server shutting down');
      }));
      await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 500).unref())]);
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
