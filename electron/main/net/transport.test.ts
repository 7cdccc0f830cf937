// Real sockets on 127.0.0.1 against local servers: bytes, text and lifecycle of a transport, and
// connecting through a list of endpoints. The TLS certificate decision, STARTTLS and channel
// bindings: transport-tls.test.ts.
import * as net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectFirst, connectTransport, TlsVerifyError, UnreachableError } from './transport';
import type { TlsPolicy } from './transport';
import { direct, freePort, localServers, plain, rejection, sleep } from './testing/local-servers';
import { makeTestPki } from './testing/test-pki';
import type { TestPki } from './testing/test-pki';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());
const policy = (extra?: Partial<TlsPolicy>): TlsPolicy => pki.policy(extra);

const { listen, tlsServer, silentServer, track, closeAll } = localServers();
afterEach(closeAll);

// ── bytes, text, lifecycle ───────────────────────────────────────────────────────────────────────

describe('transport I/O', () => {
  it('decodes multi-byte UTF-8 split across chunks intact', async () => {
    const text = 'héllo 😀 日本語 ✓ <message>ünïcødé</message>';
    const bytes = Buffer.from(text, 'utf8');
    const srv = await listen(
      net.createServer(async (s) => {
        s.setNoDelay(true);
        for (const b of bytes) {
          s.write(Buffer.of(b));
          await sleep(1);
        }
      }),
      { received: () => Buffer.alloc(0), connections: 0, nextSecure: () => new Promise(() => {}) },
    );
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    const pieces: string[] = [];
    t.onData((s) => pieces.push(s));
    while (t.bytesIn < bytes.length) await sleep(5);
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBeGreaterThan(5); // really arrived in pieces
    expect(pieces.join('')).not.toContain('\uFFFD');
    expect(t.bytesIn).toBe(bytes.length);
  });

  it('replays text that arrived before the first onData listener; counts bytes both ways', async () => {
    const received: Buffer[] = [];
    const srv = await listen(
      net.createServer((s) => {
        s.write('<greeting/>');
        s.on('data', (d) => received.push(d));
      }),
      { received: () => Buffer.concat(received), connections: 0, nextSecure: () => new Promise(() => {}) },
    );
    const before = Date.now();
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    // Arrived (counted) before anyone listens.
    await vi.waitFor(() => expect(t.bytesIn).toBe('<greeting/>'.length), { timeout: 5_000 });
    const pieces: string[] = [];
    t.onData((s) => pieces.push(s));
    expect(pieces.join('')).toBe('<greeting/>');
    expect(t.bytesIn).toBe('<greeting/>'.length);
    const lastReceived = t.lastActivity;
    expect(lastReceived).toBeGreaterThanOrEqual(before);
    expect(lastReceived).toBeLessThanOrEqual(Date.now());
    t.write('héllo');
    expect(t.bytesOut).toBe(6);
    expect(t.lastActivity).toBe(lastReceived); // writing is no sign of life from the peer
    await vi.waitFor(() => expect(srv.received().toString('utf8')).toBe('héllo'), { timeout: 5_000 });
  });

  it('close() ends gracefully: the server sees end-of-stream, onClose without error', async () => {
    let serverSawEnd = false;
    const srv = await listen(
      net.createServer((s) => {
        s.resume(); // discard what we are sent, so 'end' can be seen
        s.on('end', () => {
          serverSawEnd = true;
          s.end();
        });
      }),
      { received: () => Buffer.alloc(0), connections: 0, nextSecure: () => new Promise(() => {}) },
    );
    const t = await connectTransport(plain(srv.port), { tls: policy() });
    const closed = new Promise<Error | undefined>((r) => t.onClose(r));
    t.write('</stream:stream>');
    t.close();
    expect(await closed).toBeUndefined();
    expect(serverSawEnd).toBe(true);
    // A late listener still hears about it.
    expect(await new Promise((r) => t.onClose(r))).toBeUndefined();
  });

  it('close() destroys after the timeout when the peer never closes its side', async () => {
    let serverSawEnd = false;
    const srv = await listen(
      // allowHalfOpen: the server keeps its side open after our FIN, as a lingering peer would.
      net.createServer({ allowHalfOpen: true }, (s) => {
        s.resume();
        s.on('end', () => (serverSawEnd = true));
      }),
      { received: () => Buffer.alloc(0), connections: 0, nextSecure: () => new Promise(() => {}) },
    );
    const t = await connectTransport(plain(srv.port), { tls: policy(), closeTimeoutMs: 150 });
    const started = Date.now();
    const err = await new Promise<Error | undefined>((r) => {
      t.onClose(r);
      t.close();
    });
    const elapsed = Date.now() - started;
    expect(err).toBeUndefined();
    expect(serverSawEnd).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('reports a reset by the server through onClose with the error', async () => {
    const srv = await listen(
      net.createServer((s) => setTimeout(() => s.resetAndDestroy(), 20)),
      { received: () => Buffer.alloc(0), connections: 0, nextSecure: () => new Promise(() => {}) },
    );
    const t = await connectTransport(plain(srv.port), { tls: policy() });
    const err = await new Promise<Error | undefined>((r) => t.onClose(r));
    expect((err as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
  });
});

// ── connecting ───────────────────────────────────────────────────────────────────────────────────

describe('connectTransport / connectFirst', () => {
  it('falls through a refused port to a working one', async () => {
    const refused = await freePort();
    const srv = await tlsServer(pki.good);
    const { transport, endpoint } = await connectFirst([plain(refused), direct(srv.port)], { tls: policy() });
    track(transport);
    expect(endpoint.port).toBe(srv.port);
    expect(transport.secure).toBe(true);
  });

  it('falls through a refused certificate on a direct TLS endpoint, keeping the TlsVerifyError', async () => {
    const bad = await tlsServer(pki.selfSigned);
    const refused = await freePort();
    const err = (await rejection(connectFirst([direct(bad.port), plain(refused)], { tls: policy() }))) as UnreachableError;
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err.code).toBe('unreachable');
    expect(err.attempts.map((a) => a.endpoint.port)).toEqual([bad.port, refused]);
    expect(err.attempts[0]!.error).toBeInstanceOf(TlsVerifyError);
    expect((err.attempts[1]!.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(err.errors).toEqual(err.attempts.map((a) => a.error));
    expect(err.message).toContain(`127.0.0.1:${refused}`);
  });

  it('rejects an empty endpoint list as unreachable', async () => {
    await expect(connectFirst([], { tls: policy() })).rejects.toMatchObject({ code: 'unreachable', attempts: [] });
  });

  it('times out a TLS handshake that never completes', async () => {
    const srv = await silentServer();
    const started = Date.now();
    const err = await rejection(connectTransport(direct(srv.port), { tls: policy(), timeoutMs: 150 }));
    expect((err as NodeJS.ErrnoException).code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('aborts at once and tries no further endpoint', async () => {
    const hang = await silentServer();
    const working = await tlsServer(pki.good);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(connectFirst([direct(hang.port), direct(working.port)], { tls: policy(), signal: ac.signal }));
    expect(err.name).toBe('AbortError');
    expect(working.connections).toBe(0);
    await expect(connectTransport(direct(working.port), { tls: policy(), signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
