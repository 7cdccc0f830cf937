// The TLS side of the transport, over real sockets on 127.0.0.1 against local servers with
// certificates made by the openssl CLI: the certificate decision on a direct TLS port, STARTTLS
// upgrades, channel bindings. Plain I/O and connecting: transport.test.ts.
import type * as tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectTransport, TlsVerifyError } from './transport';
import type { Transport, TlsPolicy } from './transport';
import { direct, localServers, plain, rejection, sleep } from './testing/local-servers';
import { DOMAIN, makeTestPki, openssl } from './testing/test-pki';
import type { TestPki } from './testing/test-pki';

let pki: TestPki;
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());
const policy = (extra?: Partial<TlsPolicy>): TlsPolicy => pki.policy(extra);

const { tlsServer, starttlsServer, track, closeAll } = localServers();
afterEach(closeAll);

// ── direct TLS: the certificate decision ─────────────────────────────────────────────────────────

describe('direct TLS certificate verification', () => {
  it('accepts a trusted chain with a matching name and reports the connection facts', async () => {
    const srv = await tlsServer(pki.good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    const s = await srv.nextSecure();
    expect(t.secure).toBe(true);
    expect(t.tlsInfo!.protocol).toBe('TLSv1.3');
    expect(t.tlsInfo!.cipher).toMatch(/^TLS_/);
    expect(t.tlsInfo!.cert.fingerprint256).toBe(pki.good.fingerprint256);
    expect(t.tlsInfo!.cert.altNames).toEqual(['DNS:example.test']);
    // XEP-0368 §3: SNI is the JID domain, ALPN 'xmpp-client'.
    expect((s as tls.TLSSocket & { servername?: string }).servername).toBe(DOMAIN);
    expect(s.alpnProtocol).toBe('xmpp-client');
  });

  it('refuses a trusted chain for another name: hostname-mismatch, with the certificate facts', async () => {
    const srv = await tlsServer(pki.wrongName);
    const err = await rejection(connectTransport(direct(srv.port), { tls: policy() }));
    expect(err).toBeInstanceOf(TlsVerifyError);
    const v = err as TlsVerifyError;
    expect(v.problem).toBe('hostname-mismatch');
    expect(v.problems).toEqual(['hostname-mismatch']);
    expect(v.cert.subject).toBe('CN=wrong');
    expect(v.cert.issuer).toBe('O=Flint Test, CN=test-ca');
    expect(v.cert.fingerprint256).toBe(pki.wrongName.fingerprint256);
    expect(v.cert.altNames).toEqual(['DNS:wrong.test']);
    expect(Date.parse(v.cert.validTo) - Date.parse(v.cert.validFrom)).toBe(2 * 86_400_000);
    expect(v.message).toContain(pki.wrongName.fingerprint256);
  });

  it('refuses a self-signed certificate, reporting its fingerprint', async () => {
    const srv = await tlsServer(pki.selfSigned);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: policy() }))) as TlsVerifyError;
    expect(v).toBeInstanceOf(TlsVerifyError);
    expect(v.problem).toBe('self-signed');
    expect(v.cert.fingerprint256).toBe(pki.selfSigned.fingerprint256);
  });

  it('refuses a certificate from an issuer we do not trust', async () => {
    const srv = await tlsServer(pki.foreign);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: policy() }))) as TlsVerifyError;
    expect(v.problem).toBe('untrusted-issuer');
    expect(v.cert.issuer).toBe('O=Flint Test, CN=foreign-ca');
  });

  it('refuses our own CA when it is not in the policy (default store only)', async () => {
    const srv = await tlsServer(pki.good);
    const v = (await rejection(connectTransport(direct(srv.port), { tls: { servername: DOMAIN } }))) as TlsVerifyError;
    expect(v.problem).toBe('untrusted-issuer');
  });

  it('refuses an expired and a not-yet-valid certificate', async () => {
    const s1 = await tlsServer(pki.expired);
    const e1 = (await rejection(connectTransport(direct(s1.port), { tls: policy() }))) as TlsVerifyError;
    expect(e1.problem).toBe('expired');
    expect(e1.cert.validTo).toBe('2021-01-01T00:00:00.000Z');
    const s2 = await tlsServer(pki.notYetValid);
    const e2 = (await rejection(connectTransport(direct(s2.port), { tls: policy() }))) as TlsVerifyError;
    expect(e2.problem).toBe('not-yet-valid');
    expect(e2.cert.validFrom).toBe('2040-01-01T00:00:00.000Z');
  });

  it('accepts the pinned fingerprint of a self-signed certificate, in any letter case or separators', async () => {
    const srv = await tlsServer(pki.selfSigned);
    const t = track(await connectTransport(direct(srv.port), { tls: { servername: DOMAIN, pinnedFingerprint256: pki.selfSigned.fingerprint256 } }));
    expect(t.tlsInfo!.cert.fingerprint256).toBe(pki.selfSigned.fingerprint256);
    const loose = pki.selfSigned.fingerprint256.replace(/:/g, '').toLowerCase();
    track(await connectTransport(direct(srv.port), { tls: { servername: DOMAIN, pinnedFingerprint256: loose } }));
  });

  it('refuses any other certificate when a fingerprint is pinned, even a fully valid one', async () => {
    const s1 = await tlsServer(pki.otherSelfSigned);
    const e1 = (await rejection(connectTransport(direct(s1.port), { tls: { servername: DOMAIN, pinnedFingerprint256: pki.selfSigned.fingerprint256 } }))) as TlsVerifyError;
    expect(e1).toBeInstanceOf(TlsVerifyError);
    expect(e1.pinMismatch).toBe(true);
    expect(e1.problem).toBe('self-signed');
    expect(e1.cert.fingerprint256).toBe(pki.otherSelfSigned.fingerprint256);

    const s2 = await tlsServer(pki.good);
    const e2 = (await rejection(connectTransport(direct(s2.port), { tls: policy({ pinnedFingerprint256: pki.selfSigned.fingerprint256 }) }))) as TlsVerifyError;
    expect(e2.pinMismatch).toBe(true);
    expect(e2.problem).toBe('other');
  });

  it('sends no application byte to a server whose certificate is refused', async () => {
    const srv = await tlsServer(pki.wrongName);
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
    const srv = await starttlsServer(pki.good);
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    expect(t.secure).toBe(false);
    await proceed(t);
    const upgrading = t.startTls(policy());
    t.write('<stream:stream to="example.test">'); // held back until the certificate is accepted
    const info = await upgrading;
    expect(t.secure).toBe(true);
    expect(t.tlsInfo).toBe(info);
    expect(info.cert.fingerprint256).toBe(pki.good.fingerprint256);
    const s = await srv.nextSecure();
    await vi.waitFor(() => expect(srv.received().toString()).toBe('<stream:stream to="example.test">'), { timeout: 5_000 });
    expect(srv.wire().length).toBeGreaterThan(0);
    expect(srv.wire().toString('latin1')).not.toContain('<stream:stream'); // only ciphertext on the wire
    // Text from the server arrives decoded over TLS.
    const got = new Promise<string>((r) => t.onData(r));
    s.write('<stream:features/>');
    expect(await got).toBe('<stream:features/>');
  });

  it('upgrades with the options made ahead for the policy given at connect, and still verifies', async () => {
    const good1 = await starttlsServer(pki.good);
    const shared = policy();
    const t1 = track(await connectTransport(plain(good1.port), { tls: shared }));
    await sleep(10); // the options are made once the connection is up
    await proceed(t1);
    expect((await t1.startTls(shared)).cert.fingerprint256).toBe(pki.good.fingerprint256);

    const bad = await starttlsServer(pki.wrongName);
    const other = policy();
    const t2 = track(await connectTransport(plain(bad.port), { tls: other }));
    await sleep(10);
    await proceed(t2);
    expect(((await rejection(t2.startTls(other))) as TlsVerifyError).problem).toBe('hostname-mismatch');
  });

  it('a policy Node refuses fails startTls, not the process', async () => {
    const srv = await starttlsServer(pki.good);
    // Not a value the type allows; it stands for any option createSecureContext() throws on.
    const broken = policy({ minVersion: 'TLSv9' as TlsPolicy['minVersion'] });
    const t = track(await connectTransport(plain(srv.port), { tls: broken }));
    await sleep(10); // making the options ahead must not throw out of the event loop
    await proceed(t);
    await expect(t.startTls(broken)).rejects.toThrow(/protocol version/i);
  });

  it('rejects a bad certificate, destroys the socket, reports onClose, and never sends what was queued', async () => {
    const srv = await starttlsServer(pki.wrongName);
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
    const srv = await tlsServer(pki.good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    await expect(t.startTls(policy())).rejects.toThrow(/already/);
  });
});

// ── channel bindings ─────────────────────────────────────────────────────────────────────────────

describe('channel bindings', () => {
  it('TLS 1.3: tls-exporter equals the server exporter (RFC 9266), tls-server-end-point is SHA-256 of the leaf', async () => {
    const srv = await tlsServer(pki.good);
    const t = track(await connectTransport(direct(srv.port), { tls: policy() }));
    const s = await srv.nextSecure();
    const cb = t.tlsInfo!.channelBindings;
    expect(Buffer.from(cb['tls-exporter']!)).toEqual(s.exportKeyingMaterial(32, 'EXPORTER-Channel-Binding', Buffer.alloc(0)));
    expect(Buffer.from(cb['tls-server-end-point']!)).toEqual(openssl(['dgst', '-sha256', '-binary'], pki.good.der));
    expect(cb['tls-unique']).toBeUndefined();
  });

  it('TLS 1.2: tls-unique is the client Finished the server received (RFC 5929 §3.1), no tls-exporter', async () => {
    const srv = await starttlsServer(pki.good);
    const t = track(await connectTransport(plain(srv.port), { tls: policy() }));
    await proceed(t);
    const info = await t.startTls(policy({ maxVersion: 'TLSv1.2' }));
    const s = await srv.nextSecure();
    expect(info.protocol).toBe('TLSv1.2');
    expect(info.channelBindings['tls-exporter']).toBeUndefined();
    expect(Buffer.from(info.channelBindings['tls-unique']!)).toEqual(s.getPeerFinished());
    expect(Buffer.from(info.channelBindings['tls-server-end-point']!)).toEqual(openssl(['dgst', '-sha256', '-binary'], pki.good.der));
  });
});
