import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AppEvent } from '../../../shared/ipc/contract';
import type { BridgeServerMessage } from '../../../shared/ipc/bridge-protocol';
import { createEventBatcher, createEventHub } from '../ipc/event-batcher';
import type { EventBatcher } from '../ipc/event-batcher';
import { createHandlers } from '../ipc/handlers';
import { FakeAccount } from '../ipc/testing/fake-account';
import { CLOSE, startWebServer, tokenMatches } from './server';
import type { WebServer } from './server';

let tmp: string;
let staticDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'flint-bridge-'));
  staticDir = path.join(tmp, 'renderer');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(
    path.join(staticDir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'none'">\n<title>Flint</title><script type="module" src="./assets/app.js"></script></head><body></body></html>`,
  );
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log("flint")\n');
  await writeFile(path.join(staticDir, 'assets', 'style.css'), 'body{}\n');
  await writeFile(path.join(tmp, 'secret.txt'), 'SECRET\n');
  await symlink(path.join(tmp, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let account: FakeAccount;
let batcher: EventBatcher;
let server: WebServer;
let detach: () => void;
const openSockets: WebSocket[] = [];

beforeEach(async () => {
  account = new FakeAccount();
  const hub = createEventHub();
  batcher = createEventBatcher((evs) => hub.publish(evs));
  detach = batcher.attach(account);
  const handlers = createHandlers(account, { openExternal: async () => {}, flushEvents: () => batcher.flush() });
  server = await startWebServer({ port: 0, host: '127.0.0.1', handlers, events: hub, staticDir, checkResults: true });
});

afterEach(async () => {
  for (const ws of openSockets.splice(0)) ws.terminate();
  detach();
  batcher.dispose();
  await server.close();
});

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };
function request(pathname: string, init: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathname, method: init.method ?? 'GET', headers: { host: init.host ?? `127.0.0.1:${server.port}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const origin = () => `http://127.0.0.1:${server.port}`;
const wsUrl = (p = '/bridge') => `ws://127.0.0.1:${server.port}${p}`;

/** A bridge client that collects every server message. */
function connect(opts: { origin?: string | null; path?: string } = {}) {
  const ws = new WebSocket(wsUrl(opts.path), opts.origin === null ? {} : { origin: opts.origin ?? origin() });
  openSockets.push(ws);
  const messages: BridgeServerMessage[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()) as BridgeServerMessage);
    for (const w of waiters.splice(0)) w();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  opened.catch(() => {}); // refused handshakes are awaited through `refused`
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const refused = new Promise<number>((resolve) => ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  ws.on('error', () => {}); // handshake refusals surface as 'unexpected-response'
  const waitFor = async <T extends BridgeServerMessage>(pred: (m: BridgeServerMessage) => m is T): Promise<T> => {
    for (;;) {
      const found = messages.find(pred);
      if (found) return found;
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  let nextId = 1;
  const cmd = async (name: string, args: unknown) => {
    const id = nextId++;
    ws.send(JSON.stringify({ t: 'cmd', id, name, args }));
    return waitFor((m): m is Extract<BridgeServerMessage, { t: 'result' }> => m.t === 'result' && m.id === id);
  };
  const hello = async (token = server.token) => {
    await opened;
    ws.send(JSON.stringify({ t: 'hello', token }));
  };
  const ready = async () => {
    await hello();
    await waitFor((m): m is { t: 'ready' } => m.t === 'ready');
  };
  return { ws, messages, opened, closed, refused, hello, ready, cmd, waitFor };
}

describe('static files', () => {
  it('serves index.html with the web CSP in the header and in place of the Electron meta tag', async () => {
    const r = await request('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = r.headers['content-security-policy'] as string;
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The same policy in the meta tag, minus frame-ancestors (header-only, CSP3 §6.4.2).
    expect(r.body).toContain(`<meta http-equiv="Content-Security-Policy" content="${csp.replace("; frame-ancestors 'none'", '')}">`);
    expect(r.body.match(/Content-Security-Policy/g)).toHaveLength(1);
    expect(r.body).not.toContain("connect-src 'none'");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8'],
    ['/assets/style.css', 'text/css; charset=utf-8'],
    ['/index.html?x=1', 'text/html; charset=utf-8'],
  ])('%s is served as %s', async (p, type) => {
    const r = await request(p);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
  });

  it('HEAD sends headers only', async () => {
    const r = await request('/assets/app.js', { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String('console.log("flint")\n'.length));
    expect(r.body).toBe('');
  });

  it.each([
    ['/../secret.txt', 404],
    ['/assets/../../secret.txt', 404],
    ['/%2e%2e/secret.txt', 404],
    ['/assets/..%2f..%2fsecret.txt', 400],
    ['/assets/..%5c..%5csecret.txt', 400],
    ['/assets/%00', 400],
    ['/%E0%A4%A', 400],
    ['/assets/link.txt', 404], // symlink pointing outside
    ['/assets', 404], // no directory listings
    ['/assets/', 404],
    ['/nope.js', 404],
  ])('%s → %i without leaking anything', async (p, status) => {
    const r = await request(p);
    expect(r.status).toBe(status);
    expect(r.body).not.toContain('SECRET');
  });

  it('refuses other methods and other Host names (DNS rebinding)', async () => {
    expect((await request('/', { method: 'POST' })).status).toBe(405);
    expect((await request('/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await request('/', { host: `localhost:${server.port}` })).status).toBe(421);
  });
});

describe('bridge handshake', () => {
  it('prints a URL with the token in the fragment; tokens are random', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const other = await startWebServer({ port: 0, host: '127.0.0.1', handlers: createHandlers(account, { openExternal: async () => {} }), events: createEventHub(), staticDir });
    expect(other.token).not.toBe(server.token);
    await other.close();
  });

  it('refuses to listen anywhere but 127.0.0.1', async () => {
    await expect(startWebServer({ port: 0, host: '0.0.0.0' as '127.0.0.1', handlers: createHandlers(account, { openExternal: async () => {} }), events: createEventHub(), staticDir })).rejects.toThrow(/127\.0\.0\.1 only/);
  });

  it.each([
    ['another site', 'http://evil.example'],
    ['another port', 'http://127.0.0.1:1'],
    ['localhost instead of 127.0.0.1', 'http://localhost:PORT'],
    ['https scheme', 'https://127.0.0.1:PORT'],
    ['the null origin', 'null'],
  ])('refuses the Origin of %s', async (_label, o) => {
    const c = connect({ origin: o.replace('PORT', String(server.port)) });
    expect(await c.refused).toBe(403);
  });

  it('refuses a handshake without Origin', async () => {
    const c = connect({ origin: null });
    expect(await c.refused).toBe(403);
  });

  it('refuses other paths', async () => {
    const c = connect({ path: '/bridge2' });
    expect(await c.refused).toBe(404);
  });

  it('closes on a wrong token without answering', async () => {
    const c = connect();
    await c.hello('x'.repeat(32));
    expect((await c.closed).code).toBe(CLOSE.unauthorized);
    expect(c.messages).toEqual([]);
  });

  it('closes when the first message is a command', async () => {
    const c = connect();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'cmd', id: 1, name: 'app.snapshot', args: {} }));
    expect((await c.closed).code).toBe(CLOSE.unauthorized);
    expect(account.calls).toEqual([]);
  });

  it('closes on something that is not a JSON object', async () => {
    const c = connect();
    await c.ready();
    c.ws.send('not json');
    expect((await c.closed).code).toBe(CLOSE.badMessage);
  });

  it('closes on a message larger than the payload limit', async () => {
    const c = connect();
    await c.ready();
    c.ws.send(JSON.stringify({ t: 'cmd', id: 1, name: 'chat.send', args: { to: 'bob@example.test', body: 'x'.repeat(17 * 1024 * 1024) } }));
    expect((await c.closed).code).toBe(1009); // RFC 6455: message too big
    expect(account.calls).toEqual([]);
  });

  it('tokenMatches compares exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', 'abcd')).toBe(false);
    expect(tokenMatches('abc', undefined)).toBe(false);
    expect(tokenMatches('abc', ['abc'])).toBe(false);
  });
});

describe('bridge commands and events', () => {
  it('good path: hello → ready → app.snapshot → result', async () => {
    const c = connect();
    await c.ready();
    expect(server.clients()).toBe(1);
    const r = await c.cmd('app.snapshot', {});
    expect(r).toMatchObject({ t: 'result', id: 1, ok: true, value: { connection: { status: 'offline' }, roster: [] } });
    const sent = await c.cmd('chat.send', { to: 'bob@example.test', body: 'hi' });
    expect(sent).toMatchObject({ ok: true, value: { body: 'hi', direction: 'out' } });
    expect(account.calls.map((x) => x.method)).toEqual(['snapshot', 'sendChat']);
  });

  it('invalid arguments and unknown commands are answered with an error; no handler runs', async () => {
    const c = connect();
    await c.ready();
    const bad = await c.cmd('chat.send', { to: 'bob@example.test', body: 42 });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/invalid arguments for chat\.send: body/) });
    const extra = await c.cmd('presence.set', JSON.parse('{"show":"away","__proto__":{"admin":true}}'));
    expect(extra).toMatchObject({ ok: false });
    const unknown = await c.cmd('shell.exec', { cmd: 'rm -rf /' });
    expect(unknown).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command/) });
    const link = await c.cmd('link.open', { url: 'file:///etc/passwd' });
    expect(link).toMatchObject({ ok: false, error: expect.stringMatching(/only http:, https: and mailto:/) });
    expect(account.calls).toEqual([]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a command message without a numeric id closes the connection', async () => {
    const c = connect();
    await c.ready();
    c.ws.send(JSON.stringify({ t: 'cmd', id: 'x', name: 'app.snapshot', args: {} }));
    expect((await c.closed).code).toBe(CLOSE.badMessage);
  });

  it('events arrive in order, batched, and security.rejected never arrives', async () => {
    const c = connect();
    await c.ready();
    const N = 5000;
    for (let i = 0; i < N; i++) {
      if (i % 1000 === 0) account.emit({ type: 'security.rejected', what: `probe ${i}` });
      account.emit({ type: 'message.updated', id: `m${i}`, peer: 'bob@example.test', state: 'sent' });
      // Give the batcher a chance to flush in between, as a real stream would.
      if (i % 1250 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    const all = (): AppEvent[] => c.messages.flatMap((m) => (m.t === 'events' ? m.events : []));
    while (all().length < N) await new Promise((r) => setTimeout(r, 10));
    const got = all();
    expect(got.map((e) => (e.name === 'message.updated' ? e.payload.id : e.name))).toEqual(Array.from({ length: N }, (_, i) => `m${i}`));
    const batches = c.messages.filter((m) => m.t === 'events').length;
    expect(batches).toBeGreaterThan(1);
    expect(batches).toBeLessThan(20);
  });

  it('events pending when the snapshot is taken arrive before its result', async () => {
    const c = connect();
    await c.ready();
    account.emit({ type: 'presence.own', show: 'away' });
    c.ws.send(JSON.stringify({ t: 'cmd', id: 7, name: 'app.snapshot', args: {} }));
    await c.waitFor((m): m is Extract<BridgeServerMessage, { t: 'result' }> => m.t === 'result');
    expect(c.messages.map((m) => m.t)).toEqual(['ready', 'events', 'result']);
  });

  it('close() says goodbye to connected clients', async () => {
    const c = connect();
    await c.ready();
    const done = server.close();
    expect((await c.closed).code).toBe(1001);
    await done;
    // afterEach closes again: close() must tolerate that.
  });
});

describe('withWebCsp', () => {
  it('replaces a multi-line meta policy whatever its quoting, and leaves other tags alone', async () => {
    const { withWebCsp } = await import('./static-files');
    const html = `<head>\n<meta charset="utf-8" />\n<meta\n  http-equiv="Content-Security-Policy"\n  content="default-src 'none'; connect-src 'none'"\n/>\n<meta name='x' content='Content-Security-Policy'>\n<META HTTP-EQUIV='content-security-policy' CONTENT="script-src 'none'"></head>`;
    const out = withWebCsp(html, "default-src 'self'");
    expect(out).not.toContain("'none'");
    expect(out.match(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'">/g)).toHaveLength(2);
    expect(out).toContain('<meta charset="utf-8" />');
    expect(out).toContain("<meta name='x' content='Content-Security-Policy'>");
  });
});
