// The harness itself, against the real servers: if these fail, every integration test would.
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  connectRawClient,
  createTestCa,
  isListening,
  probeStreamFeatures,
  runEchoPeer,
  startEjabberd,
  startHostileServer,
  startProsody,
  type ProsodyServer,
} from './harness';

/** Direct-TLS connect verifying against the test CA; resolves with the stream features text. */
function tlsFeatures(port: number, domain: string, caPem: string): Promise<{ features: string; fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const s = tls.connect({ port, host: '127.0.0.1', servername: domain, ca: caPem, rejectUnauthorized: true });
    s.setEncoding('utf8');
    s.once('secureConnect', () =>
      s.write(`<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`),
    );
    s.on('data', (d: string) => {
      buf += d;
      if (buf.includes('</stream:features>')) {
        const fingerprint256 = s.getPeerX509Certificate()?.fingerprint256 ?? '';
        s.destroy();
        resolve({ features: buf, fingerprint256 });
      }
    });
    s.once('error', reject);
  });
}

describe('test CA', () => {
  it('issues CA-signed, self-signed and expired certificates', async () => {
    const ca = await createTestCa();
    const caCert = new X509Certificate(ca.caCertPem);
    const good = await ca.issue({ names: ['example.test', '*.example.test'] });
    const leaf = new X509Certificate(good.certPem);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkHost('example.test')).toBe('example.test');
    expect(leaf.checkHost('conference.example.test')).toBe('*.example.test');
    expect(leaf.checkHost('example.org')).toBeUndefined();
    expect(leaf.fingerprint256).toBe(good.fingerprint256);
    expect(good.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await ca.issue({ names: ['example.test', '*.example.test'] })).toBe(good); // cached

    const self = new X509Certificate((await ca.issue({ names: ['example.test'], selfSigned: true })).certPem);
    expect(self.verify(caCert.publicKey)).toBe(false);
    expect(self.issuer).toBe(self.subject);

    const expired = new X509Certificate((await ca.issue({ names: ['old.test'], notBefore: '2020-01-01T00:00:00Z', days: 30 })).certPem);
    expect(new Date(expired.validTo).getTime()).toBe(Date.parse('2020-01-31T00:00:00Z'));
    expect(expired.verify(caCert.publicKey)).toBe(true);
  });
});

describe('Prosody', () => {
  let server: ProsodyServer;
  beforeAll(async () => {
    server = await startProsody({ muc: true, httpFileShare: true, proxy65: true });
    console.log(`prosody ready in ${server.startupMs} ms on c2s ${server.c2sPort}`);
  });
  afterAll(() => server?.stop());

  it('offers STARTTLS on c2s and SASL over direct TLS with the test CA certificate', async () => {
    const plain = await probeStreamFeatures({ port: server.c2sPort, domain: server.domain });
    expect(plain).toContain("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>");

    const { features, fingerprint256 } = await tlsFeatures(server.directTlsPort, server.domain, server.caCertPem);
    expect(features).toContain('<mechanism>SCRAM-SHA-1</mechanism>');
    expect(features).toContain('<mechanism>PLAIN</mechanism>');
    expect(fingerprint256).toBe(server.certFingerprint256);
  });

  it('registers a user who can log in, and keeps port and data across restart()', async () => {
    await server.register('alice', 'alice-pass');
    const login = () =>
      connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'alice', pass: 'alice-pass' });
    const c = await login();
    expect(c.jid).toBe('alice@example.test/raw');
    await c.close();

    const port = server.c2sPort;
    await server.restart();
    console.log(`prosody restart: ready in ${server.startupMs} ms`);
    expect(server.c2sPort).toBe(port);
    const again = await login();
    expect(again.jid).toMatch(/^alice@example\.test\//);
    await again.close();
  });

  it('registerMany and writeRoster produce storage Prosody serves', async () => {
    const users = Array.from({ length: 30 }, (_, i) => ({ user: `bulk${i}`, pass: `pw-${i}` }));
    const t0 = performance.now();
    await server.registerMany(users);
    console.log(`registerMany(30): ${Math.round(performance.now() - t0)} ms`);
    await server.writeRoster('bulk7', [
      { jid: 'bulk1@example.test', name: 'Bulk One', groups: ['Friends', 'Work'] },
      { jid: 'ünï@example.test', name: 'Quote " and \\ back', subscription: 'to' },
    ]);
    const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'bulk7', pass: 'pw-7', presence: false });
    c.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
    const roster = await c.readUntil(/<iq[^>]*id=["']r1["'][\s\S]*?<\/iq>/);
    expect(roster).toContain("jid='bulk1@example.test'");
    expect(roster).toContain('<group>Friends</group>');
    expect(roster).toContain('<group>Work</group>');
    expect(roster).toContain("jid='ünï@example.test'");
    expect(roster).toContain('Quote &quot; and \\ back');
    await c.close();
  });

  it('killSession closes a client session from the server side', async () => {
    const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'bulk3', pass: 'pw-3', resource: 'victim' });
    await server.killSession(c.jid);
    await expect(c.readUntil('</stream:stream>', 10_000)).resolves.toContain('</stream:stream>');
    await c.close();
  });

  it('announces the MUC, upload and proxy65 components', async () => {
    const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'alice', pass: 'alice-pass' });
    c.send(`<iq type='get' id='d1' to='${server.domain}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
    const items = await c.readUntil(/<iq[^>]*id=["']d1["'][\s\S]*?<\/iq>/);
    for (const d of [server.mucDomain, server.uploadDomain, server.proxyDomain]) expect(items).toContain(`jid='${d}'`);
    c.send(`<iq type='get' id='p1' to='${server.proxyDomain}'><query xmlns='http://jabber.org/protocol/bytestreams'/></iq>`);
    const hosts = await c.readUntil(/<iq[^>]*id=["']p1["'][\s\S]*?<\/iq>/);
    expect(hosts).toContain(`port='${server.proxy65Port}'`);
    expect(hosts).toContain("host='127.0.0.1'");
    await c.close();
    expect(await isListening(server.httpPort!)).toBe(true);
  });

  it('http_file_share hands out 127.0.0.1 URLs that take a PUT and serve it back', async () => {
    const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'alice', pass: 'alice-pass' });
    expect(c.features).toContain('urn:xmpp:sm:3');
    const body = Buffer.from('x'.repeat(100_000) + 'ünïcode');
    c.send(
      `<iq type='get' id='u1' to='${server.uploadDomain}'><request xmlns='urn:xmpp:http:upload:0' filename='a.txt' size='${body.length}' content-type='text/plain'/></iq>`,
    );
    const slot = await c.readUntil(/<iq[^>]*id=["']u1["'][\s\S]*?<\/iq>/);
    await c.close();
    const attr = (el: string): string => (new RegExp(`<${el} url=["']([^"']+)["']`).exec(slot)?.[1] ?? '').replace(/&amp;/g, '&');
    const [putUrl, getUrl] = [attr('put'), attr('get')];
    expect(putUrl.startsWith(`http://127.0.0.1:${server.httpPort}/`)).toBe(true);
    // XEP-0363 §5: the slot's <header/> elements go on the PUT (Prosody sends a bearer token).
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    for (const [, name, value] of slot.matchAll(/<header name=["']([^"']+)["']>([^<]*)<\/header>/g)) headers[name!] = value!;
    expect(headers.Authorization).toMatch(/^Bearer /);
    const put = await fetch(putUrl, { method: 'PUT', body, headers });
    expect(put.status).toBe(201);
    const got = await fetch(getUrl);
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
  });

  it('slixmpp echo peer logs in and echoes', async () => {
    await server.registerMany([{ user: 'echo', pass: 'echo-pass' }, { user: 'talker', pass: 'talker-pass' }]);
    const peer = runEchoPeer({ jid: `echo@${server.domain}/bot`, password: 'echo-pass', port: server.c2sPort, caPath: server.caCertPath });
    try {
      await peer.waitFor((l) => l.event === 'online', 30_000);
      const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'talker', pass: 'talker-pass' });
      c.send(`<message to='echo@${server.domain}/bot' type='chat' id='m1'><body>hello &amp; ünïcode</body></message>`);
      const echoed = await c.readUntil(/<message[\s\S]*?<\/message>/);
      expect(echoed).toContain('<body>hello &amp; ünïcode</body>');
      const seen = await peer.waitFor((l) => l.event === 'message');
      expect(seen).toMatchObject({ from: `${c.jid}`, body: 'hello & ünïcode', type: 'chat' });
      await c.close();
    } finally {
      await peer.stop();
    }
  });
});

describe('Prosody variants', () => {
  it('two instances start in parallel on distinct ports with separate data', async () => {
    const [a, b] = await Promise.all([startProsody(), startProsody({ domain: 'other.test' })]);
    try {
      const ports = [a.c2sPort, a.directTlsPort, b.c2sPort, b.directTlsPort];
      expect(new Set(ports).size).toBe(4);
      expect(a.dataDir).not.toBe(b.dataDir);
      await a.register('only-a', 'pw');
      await expect(
        connectRawClient({ port: b.c2sPort, domain: b.domain, caPem: b.caCertPem, user: 'only-a', pass: 'pw' }),
      ).rejects.toThrow(/authentication failed/);
      const c = await connectRawClient({ port: a.c2sPort, domain: a.domain, caPem: a.caCertPem, user: 'only-a', pass: 'pw' });
      await c.close();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("cert 'none' serves plaintext without STARTTLS; 'self-signed' fails verification against the CA", async () => {
    const plain = await startProsody({ cert: 'none', allowPlainAuth: true });
    try {
      const features = await probeStreamFeatures({ port: plain.c2sPort, domain: plain.domain });
      expect(features).not.toContain('xmpp-tls');
      expect(features).toContain('<mechanism>PLAIN</mechanism>');
      expect(plain.directTlsPort).toBe(0);
    } finally {
      await plain.stop();
    }
    const untrusted = await startProsody({ cert: 'self-signed' });
    try {
      await expect(tlsFeatures(untrusted.directTlsPort, untrusted.domain, untrusted.caCertPem)).rejects.toThrow(/self[- ]signed/i);
    } finally {
      await untrusted.stop();
    }
  });

  it('registerMany writes accounts Prosody accepts for SCRAM-SHA-256 hashes and internal_plain', async () => {
    const [sha256, plain] = await Promise.all([startProsody({ passwordHash: 'SHA-256' }), startProsody({ authentication: 'internal_plain' })]);
    try {
      for (const s of [sha256, plain]) {
        await s.registerMany([{ user: 'dana', pass: 'dana-pass' }]);
        const c = await connectRawClient({ port: s.c2sPort, domain: s.domain, caPem: s.caCertPem, user: 'dana', pass: 'dana-pass', presence: false });
        await c.close();
      }
      const { features } = await tlsFeatures(sha256.directTlsPort, sha256.domain, sha256.caCertPem);
      expect(features).toContain('<mechanism>SCRAM-SHA-256</mechanism>');
      expect(features).not.toContain('<mechanism>SCRAM-SHA-1</mechanism>');
      await expect(
        connectRawClient({ port: plain.c2sPort, domain: plain.domain, caPem: plain.caCertPem, user: 'dana', pass: 'wrong' }),
      ).rejects.toThrow(/authentication failed/);
    } finally {
      await Promise.all([sha256.stop({ graceful: false }), plain.stop({ graceful: false })]);
    }
  });

  it('stop() frees the ports', async () => {
    const s = await startProsody();
    await s.stop();
    expect(await isListening(s.c2sPort)).toBe(false);
  });
});

describe('ejabberd', () => {
  it('starts on loopback, registers over its HTTP API, serves vjud and MUC, kills sessions, restarts with its data', async () => {
    const t0 = performance.now();
    const server = await startEjabberd();
    console.log(`ejabberd ready in ${server.startupMs} ms (startEjabberd total ${Math.round(performance.now() - t0)} ms)`);
    try {
      const features = await probeStreamFeatures({ port: server.c2sPort, domain: server.domain });
      expect(features).toContain('urn:ietf:params:xml:ns:xmpp-tls');
      const t1 = performance.now();
      await server.register('carol', 'carol-pass');
      console.log(`ejabberd register: ${Math.round(performance.now() - t1)} ms`);
      expect(await server.api('check_account', { user: 'carol', host: server.domain })).toBe(0);
      const c = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'carol', pass: 'carol-pass' });
      expect(c.jid).toMatch(/^carol@example\.test\//);
      expect(c.features).toContain('urn:xmpp:sm:3');
      c.send(`<iq type='get' id='d1' to='${server.domain}'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>`);
      const items = await c.readUntil(/<iq[^>]*id=["']d1["'][\s\S]*?<\/iq>/);
      expect(items).toContain(`jid='${server.mucDomain}'`);
      expect(items).toContain(`jid='${server.vjudDomain}'`);
      await server.killSession(c.jid);
      await expect(c.readUntil('</stream:stream>')).resolves.toContain('</stream:stream>');
      await c.close();

      const { fingerprint256 } = await tlsFeatures(server.directTlsPort, server.domain, server.caCertPem);
      expect(fingerprint256).toBe(server.certFingerprint256);

      const port = server.c2sPort;
      const t2 = performance.now();
      await server.restart();
      console.log(`ejabberd restart: ${Math.round(performance.now() - t2)} ms (ready ${server.startupMs} ms after spawn)`);
      expect(server.c2sPort).toBe(port);
      const again = await connectRawClient({ port: server.c2sPort, domain: server.domain, caPem: server.caCertPem, user: 'carol', pass: 'carol-pass' });
      await again.close();
    } finally {
      await server.stop();
    }
  });
});

describe('hostile server', () => {
  it('directTls: serves TLS from the first byte and records clients that reject its certificate', async () => {
    const ca = await createTestCa();
    const good = await ca.issue({ names: ['example.test'] });
    const hostile = await startHostileServer(
      async (conn) => {
        const hello = await conn.readUntil('</hello>');
        conn.end(`<got>${hello}</got>`);
      },
      { tls: { certPem: good.certPem, keyPem: good.keyPem }, directTls: true },
    );
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const s = tls.connect({ port: hostile.port, host: '127.0.0.1', servername: 'example.test', ca: ca.caCertPem });
        let out = '';
        s.setEncoding('utf8');
        s.once('secureConnect', () => s.write('<hello>1</hello>'));
        s.on('data', (d: string) => (out += d));
        s.once('end', () => resolve(out));
        s.once('error', reject);
      });
      expect(reply).toBe('<got><hello>1</hello></got>');
      // A client that does not trust the certificate aborts the handshake: no script runs.
      await expect(
        new Promise((resolve, reject) => {
          const s = tls.connect({ port: hostile.port, host: '127.0.0.1', servername: 'example.test' });
          s.once('secureConnect', resolve);
          s.once('error', reject);
        }),
      ).rejects.toThrow(/certificate/);
      await vi.waitFor(() => expect(hostile.tlsClientErrors().length).toBe(1), { timeout: 10_000 });
      expect(hostile.connectionCount()).toBe(1);
      await hostile.settled();
      expect(hostile.scriptErrors()).toEqual([]);
    } finally {
      await hostile.close();
    }
  });

  it('runs a script per connection, upgrades to TLS, records what the client sent', async () => {
    const ca = await createTestCa();
    const cert = await ca.issue({ names: ['example.test'] });
    const hostile = await startHostileServer(
      async (conn) => {
        await conn.readUntil('<stream:stream');
        conn.write("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0' from='example.test' id='h1'>");
        conn.write("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>");
        await conn.readUntil('<starttls');
        conn.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        await conn.startTls();
        expect(conn.encrypted).toBe(true);
        const secret = await conn.readUntil('</secret>');
        conn.write(`<echo>${secret.length}</echo>`);
        conn.end();
      },
      { tls: { certPem: cert.certPem, keyPem: cert.keyPem } },
    );
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const raw = net.connect({ port: hostile.port, host: '127.0.0.1' });
        let buf = '';
        let asked = false;
        raw.setEncoding('utf8');
        raw.write("<stream:stream to='example.test'>");
        const onPlain = (d: string): void => {
          buf += d;
          if (!asked && buf.includes('</stream:features>')) {
            asked = true;
            raw.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
          }
          if (!buf.includes('<proceed')) return;
          raw.off('data', onPlain);
          const s = tls.connect({ socket: raw, servername: 'example.test', ca: ca.caCertPem });
          s.setEncoding('utf8');
          let out = '';
          s.once('secureConnect', () => s.write('<secret>hunter2</secret>'));
          s.on('data', (x: string) => (out += x));
          s.once('end', () => resolve(out));
          s.once('error', reject);
        };
        raw.on('data', onPlain);
        raw.once('error', reject);
      });
      expect(reply).toBe('<echo>24</echo>');
      await hostile.settled();
      expect(hostile.scriptErrors()).toEqual([]);
      expect(hostile.connectionCount()).toBe(1);
      expect(hostile.received()).toContain('<secret>hunter2</secret>');
      expect(hostile.received()).toContain('<starttls');
    } finally {
      await hostile.close();
    }
  });
});
