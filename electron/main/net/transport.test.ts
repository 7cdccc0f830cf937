// Real sockets on 127.0.0.1 against local TLS servers with certificates made by the openssl CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectFirst, connectTransport, TlsVerifyError, UnreachableError } from './transport';
import type { Transport, TlsPolicy } from './transport';
import type { Endpoint } from './resolve';

// ── a throwaway PKI ───────────────────────────────────────────────────────────────────────────────

let dir: string;
const openssl = (args: string[], input?: Buffer): Buffer => execFileSync('openssl', args, { cwd: dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

interface Pair {
  key: string;
  cert: string;
  /** openssl's own view, for comparison with ours */
  fingerprint256: string;
  der: Buffer;
}

function pair(name: string): Pair {
  const fp = /Fingerprint=([0-9A-F:]+)/.exec(openssl(['x509', '-in', `${name}.pem`, '-noout', '-fingerprint', '-sha256']).toString())![1]!;
  return { key: read(`${name}.key`), cert: read(`${name}.pem`), fingerprint256: fp, der: openssl(['x509', '-in', `${name}.pem`, '-outform', 'DER']) };
}

function ecKey(name: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
}

function makeCa(name: string): void {
  ecKey(name);
  openssl(['req', '-x509', '-key', `${name}.key`, '-subj', `/O=Flint Test/CN=${name}`, '-days', '30', '-out', `${name}.pem`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** A leaf signed by `ca` through `openssl ca`, which lets us set any validity window. */
function makeLeaf(name: string, ca: string, san: string, dates?: { start: string; end: string }): Pair {
  ecKey(name);
  openssl(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial.txt'), '01\n');
  writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca=d\n[d]\ndatabase=index.txt\nserial=serial.txt\nnew_certs_dir=.\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n');
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', `${name}.csr`, '-out', `${name}.pem`,
    '-rand_serial', '-notext', '-extfile', `${name}.ext`, ...(dates ? ['-startdate', dates.start, '-enddate', dates.end] : ['-days', '2'])]);
  return pair(name);
}

function makeSelfSigned(name: string, san: string): Pair {
  ecKey(name);
  openssl(['req', '-x509', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-days', '2', '-out', `${name}.pem`, '-addext', `subjectAltName=${san}`]);
  return pair(name);
}

let caPem: string;
let good: Pair, wrongName: Pair, selfSigned: Pair, otherSelfSigned: Pair, expired: Pair, notYetValid: Pair, foreign: Pair;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flint-net-'));
  makeCa('test-ca');
  makeCa('foreign-ca');
  caPem = read('test-ca.pem');
  good = makeLeaf('good', 'test-ca', 'DNS:example.test');
  wrongName = makeLeaf('wrong', 'test-ca', 'DNS:wrong.test');
  expired = makeLeaf('expired', 'test-ca', 'DNS:example.test', { start: '20200101000000Z', end: '20210101000000Z' });
  notYetValid = makeLeaf('future', 'test-ca', 'DNS:example.test', { start: '20400101000000Z', end: '20410101000000Z' });
  foreign = makeLeaf('foreign', 'foreign-ca', 'DNS:example.test');
  selfSigned = makeSelfSigned('self', 'DNS:example.test');
  otherSelfSigned = makeSelfSigned('self2', 'DNS:example.test');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ── local servers ────────────────────────────────────────────────────────────────────────────────

interface TestServer {
  port: number;
  /** Application bytes received, all connections (after TLS decryption where there is TLS). */
  received: () => Buffer;
  /** Accepted TCP connections. */
  connections: number;
  /** Resolves with the next TLS socket whose handshake completed on the server side. */
  nextSecure: () => Promise<tls.TLSSocket>;
  close: () => Promise<void>;
}

const servers: TestServer[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) t.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function track(t: Transport): Transport {
  transports.push(t);
  return t;
}

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

/** A direct-TLS server (XEP-0368 port); `onSecure` may talk to the client. */
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

/**
 * A plain TCP server that answers '<starttls/>' with '<proceed/>' and then becomes the TLS server
 * side. The TLS layer reads through a tap, so `wire()` holds every raw byte that crossed the
 * connection after <proceed/> — plaintext leaked by the client would show up there.
 */
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

/** A TCP server that accepts and stays silent (a TLS handshake against it never completes). */
async function silentServer(): Promise<TestServer> {
  const stats = { connections: 0 };
  const server = net.createServer((s) => {
    stats.connections++;
    s.on('error', () => {});
  });
  return listen(server, { received: () => Buffer.alloc(0), get connections() { return stats.connections; }, nextSecure: () => new Promise(() => {}) });
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const DOMAIN = 'example.test';
const policy = (extra: Partial<TlsPolicy> = {}): TlsPolicy => ({ servername: DOMAIN, ca: caPem, ...extra });
const direct = (port: number): Endpoint => ({ host: '127.0.0.1', port, directTls: true, source: 'override' });
const plain = (port: number): Endpoint => ({ host: '127.0.0.1', port, directTls: false, source: 'override' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    const v = await p;
    if (v && typeof v === 'object' && 'destroy' in v) (v as Transport).destroy();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

// ── direct TLS: the certificate decision ─────────────────────────────────────────────────────────

describe('direct TLS certificate verification', () => {
  it('accepts a trusted chain with a matching name and reports the connection facts', async () => {
    const srv = await tlsServer(good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    const s = await srv.nextSecure();
    expect(t.secure).toBe(true);
    expect(t.tlsInfo!.protocol).toBe('TLSv1.3');
    expect(t.tlsInfo!.cipher).toMatch(/^TLS_/);
    expect(t.tlsInfo!.cert.fingerprint256).toBe(good.fingerprint256);
    expect(t.tlsInfo!.cert.altNames).toEqual(['DNS:example.test']);
    // XEP-0368 §3: SNI is the JID domain, ALPN 'xmpp-client'.
    expect((s as tls.TLSSocket & { servername?: string }).servername).toBe(DOMAIN);
    expect(s.alpnProtocol).toBe('xmpp-client');
  });

  it('refuses a trusted chain for another name: hostname-mismatch, with the certificate facts', async () => {
    const srv = await tlsServer(wrongName);
    const err = await rejection(connectTransport(direct(srv.port), { tls: policy() }));
    expect(err).toBeInstanceOf(TlsVerifyError);
    const v = err as TlsVerifyError;
    expect(v.problem).toBe('hostname-mismatch');
    expect(v.problems).toEqual(['hostname-mismatch']);
    expect(v.cert.subject).toBe('CN=wrong');
    expect(v.cert.issuer).toBe('O=Flint Test, CN=test-ca');
    expect(v.cert.fingerprint256).toBe(wrongName.fingerprint256);
    expect(v.cert.altNames).toEqual(['DNS:wrong.test']);
    expect(Date.parse(v.cert.validTo) - Date.parse(v.cert.validFrom)).toBe(2 * 86_400_000);
    expect(v.message).toContain(wrongName.fingerprint256);
  });

  it('refuses a self-signed certificate, reporting its fingerprint', async () => {
    const srv = await tlsServer(selfSigned);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: policy() }))) as TlsVerifyError;
    expect(v).toBeInstanceOf(TlsVerifyError);
    expect(v.problem).toBe('self-signed');
    expect(v.cert.fingerprint256).toBe(selfSigned.fingerprint256);
  });

  it('refuses a certificate from an issuer we do not trust', async () => {
    const srv = await tlsServer(foreign);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: policy() }))) as TlsVerifyError;
    expect(v.problem).toBe('untrusted-issuer');
    expect(v.cert.issuer).toBe('O=Flint Test, CN=foreign-ca');
  });

  it('refuses our own CA when it is not in the policy (default store only)', async () => {
    const srv = await tlsServer(good);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: { servername: DOMAIN } }))) as TlsVerifyError;
    expect(v.problem).toBe('untrusted-issuer');
  });

  it('refuses an expired and a not-yet-valid certificate', async () => {
    const s1 = await tlsServer(expired);
    const e1 = (await rejection(connectTransport(direct(s1.port), { tls: policy() }))) as TlsVerifyError;
    expect(e1.problem).toBe('expired');
    expect(e1.cert.validTo).toBe('2021-01-01T00:00:00.000Z');
    const s2 = await tlsServer(notYetValid);
    const e2 = (await rejection(connectTransport(direct(s2.port), { tls: policy() }))) as TlsVerifyError;
    expect(e2.problem).toBe('not-yet-valid');
    expect(e2.cert.validFrom).toBe('2040-01-01T00:00:00.000Z');
  });

  it('accepts the pinned fingerprint of a self-signed certificate, in any letter case or separators', async () => {
    const srv = await tlsServer(selfSigned);
    const t = track(await connectTransport(direct(srv.port), { tls: { servername: DOMAIN, pinnedFingerprint256: selfSigned.fingerprint256 } }));
    expect(t.tlsInfo!.cert.fingerprint256).toBe(selfSigned.fingerprint256);
    const loose = selfSigned.fingerprint256.replace(/:/g, '').toLowerCase();
    track(await connectTransport(direct(srv.port), { tls: { servername: DOMAIN, pinnedFingerprint256: loose } }));
  });

  it('refuses any other certificate when a fingerprint is pinned, even a fully valid one', async () => {
    const s1 = await tlsServer(otherSelfSigned);
    const e1 = (await rejection(connectTransport(direct(s1.port), { tls: { servername: DOMAIN, pinnedFingerprint256: selfSigned.fingerprint256 } }))) as TlsVerifyError;
    expect(e1).toBeInstanceOf(TlsVerifyError);
    expect(e1.pinMismatch).toBe(true);
    expect(e1.problem).toBe('self-signed');
    expect(e1.cert.fingerprint256).toBe(otherSelfSigned.fingerprint256);

    const s2 = await tlsServer(good);
    const e2 = (await rejection(connectTransport(direct(s2.port), { tls: policy({ pinnedFingerprint256: selfSigned.fingerprint256 }) }))) as TlsVerifyError;
    expect(e2.pinMismatch).toBe(true);
    expect(e2.problem).toBe('other');
  });

  it('sends no application byte to a server whose certificate is refused', async () => {
    const srv = await tlsServer(wrongName);
    await rejection(connectTransport(direct(srv.port), { tls: policy() }));
    await sleep(50);
    expect(srv.connections).toBe(1);
    expect(srv.received().length).toBe(0);
  });
});

// ── STARTTLS ─────────────────────────────────────────────────────────────────────────────────────

async function proceed(t: Transport): Promise<void> {
  const got = new Promise<void>((resolve) => {
    let text = '';
    const off = t.onData((s) => {
      text += s;
      if (text.includes('<proceed/>')) {
        off();
        resolve();
      }
    });
  });
  t.write('<starttls/>');
  await got;
}

describe('STARTTLS', () => {
  it('upgrades in place; text written during the handshake goes out only after verification', async () => {
    const srv = await starttlsServer(good);
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    expect(t.secure).toBe(false);
    await proceed(t);
    const upgrading = t.startTls(policy());
    t.write('<stream:stream to="example.test">'); // held back until the certificate is accepted
    const info = await upgrading;
    expect(t.secure).toBe(true);
    expect(t.tlsInfo).toBe(info);
    expect(info.cert.fingerprint256).toBe(good.fingerprint256);
    const s = await srv.nextSecure();
    await sleep(20);
    expect(srv.received().toString()).toBe('<stream:stream to="example.test">');
    expect(srv.wire().length).toBeGreaterThan(0);
    expect(srv.wire().toString('latin1')).not.toContain('<stream:stream'); // only ciphertext on the wire
    // Text from the server arrives decoded over TLS.
    const got = new Promise<string>((r) => t.onData(r));
    s.write('<stream:features/>');
    expect(await got).toBe('<stream:features/>');
  });

  it('upgrades with the options made ahead for the policy given at connect, and still verifies', async () => {
    const good1 = await starttlsServer(good);
    const shared = policy();
    const t1 = track(await connectTransport(plain(good1.port), { tls: shared }));
    await sleep(10); // the options are made once the connection is up
    await proceed(t1);
    expect((await t1.startTls(shared)).cert.fingerprint256).toBe(good.fingerprint256);

    const bad = await starttlsServer(wrongName);
    const other = policy();
    const t2 = track(await connectTransport(plain(bad.port), { tls: other }));
    await sleep(10);
    await proceed(t2);
    expect(((await rejection(t2.startTls(other))) as TlsVerifyError).problem).toBe('hostname-mismatch');
  });

  it('a policy Node refuses fails startTls, not the process', async () => {
    const srv = await starttlsServer(good);
    // Not a value the type allows; it stands for any option createSecureContext() throws on.
    const broken = policy({ minVersion: 'TLSv9' as TlsPolicy['minVersion'] });
    const t = track(await connectTransport(plain(srv.port), { tls: broken }));
    await sleep(10); // making the options ahead must not throw out of the event loop
    await proceed(t);
    await expect(t.startTls(broken)).rejects.toThrow(/protocol version/i);
  });

  it('rejects a bad certificate, destroys the socket, reports onClose, and never sends what was queued', async () => {
    const srv = await starttlsServer(wrongName);
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    const order: string[] = [];
    const closed = new Promise<Error | undefined>((r) =>
      t.onClose((e) => {
        order.push('onClose');
        r(e);
      }),
    );
    await proceed(t);
    const upgrading = t.startTls(policy());
    upgrading.catch(() => order.push('rejected'));
    t.write('<stream:stream to="example.test">');
    const err = (await rejection(upgrading)) as TlsVerifyError;
    expect(err).toBeInstanceOf(TlsVerifyError);
    expect(err.problem).toBe('hostname-mismatch');
    expect(await closed).toBe(err);
    expect(order).toEqual(['rejected', 'onClose']); // the caller learns why before it hears "closed"
    await sleep(50);
    expect(srv.received().length).toBe(0);
    expect(srv.wire().length).toBeGreaterThan(0); // the ClientHello
    expect(srv.wire().toString('latin1')).not.toContain('<stream:stream');
    t.write('late'); // ignored on a closed transport
  });

  it('refuses STARTTLS on a transport that is already TLS', async () => {
    const srv = await tlsServer(good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    await expect(t.startTls(policy())).rejects.toThrow(/already/);
  });
});

// ── channel bindings ─────────────────────────────────────────────────────────────────────────────

describe('channel bindings', () => {
  it('TLS 1.3: tls-exporter equals the server exporter (RFC 9266), tls-server-end-point is SHA-256 of the leaf', async () => {
    const srv = await tlsServer(good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    const s = await srv.nextSecure();
    const cb = t.tlsInfo!.channelBindings;
    expect(Buffer.from(cb['tls-exporter']!)).toEqual(s.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0)));
    expect(Buffer.from(cb['tls-server-end-point']!)).toEqual(openssl(['dgst', '-sha256', '-binary'], good.der));
    expect(cb['tls-unique']).toBeUndefined();
  });

  it('TLS 1.2: tls-unique is the client Finished the server received (RFC 5929 §3.1), no tls-exporter', async () => {
    const srv = await starttlsServer(good);
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    await proceed(t);
    const info = await t.startTls(policy({ maxVersion: 'TLSv1.2' }));
    const s = await srv.nextSecure();
    expect(info.protocol).toBe('TLSv1.2');
    expect(info.channelBindings['tls-exporter']).toBeUndefined();
    expect(Buffer.from(info.channelBindings['tls-unique']!)).toEqual(s.getPeerFinished());
    expect(Buffer.from(info.channelBindings['tls-server-end-point']!)).toEqual(openssl(['dgst', '-sha256', '-binary'], good.der));
  });
});

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
    await sleep(50);
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
    await sleep(30);
    expect(srv.received().toString('utf8')).toBe('héllo');
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
    const srv = await tlsServer(good);
    const { transport, endpoint } = await connectFirst([plain(refused), direct(srv.port)], { tls: policy() });
    track(transport);
    expect(endpoint.port).toBe(srv.port);
    expect(transport.secure).toBe(true);
  });

  it('falls through a refused certificate on a direct TLS endpoint, keeping the TlsVerifyError', async () => {
    const bad = await tlsServer(selfSigned);
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
    const working = await tlsServer(good);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(connectFirst([direct(hang.port), direct(working.port)], { tls: policy(), signal: ac.signal }));
    expect(err.name).toBe('AbortError');
    expect(working.connections).toBe(0);
    await expect(connectTransport(direct(working.port), { tls: policy(), signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
