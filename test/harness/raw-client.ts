// A deliberately minimal XMPP client for harness checks and as a second party in integration
// tests: STARTTLS (or XEP-0368 direct TLS) with real certificate checks, SASL PLAIN, resource
// binding. No XML parser: callers match the text they expect. Not a model for the product.
import net from 'node:net';
import tls from 'node:tls';

export interface RawClientOptions {
  port: number;
  domain: string;
  host?: string;
  /** Trusted CA certificate; the server certificate is verified against it and `domain`. */
  caPem: string;
  user: string;
  pass: string;
  resource?: string;
  directTls?: boolean;
  /** Initial presence after binding; default true. */
  presence?: boolean;
  timeoutMs?: number;
}

export interface RawClient {
  /** The bound full JID. */
  jid: string;
  /** Stream features text after authentication. */
  features: string;
  tlsProtocol: string | null;
  send(xml: string): void;
  /** Unread input up to and including `pattern` (consumed). */
  readUntil(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const STREAM_OPEN = (domain: string): string =>
  `<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;

const escapeXml = (s: string): string => s.replace(/[&<>'"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function connectRawClient(o: RawClientOptions): Promise<RawClient> {
  const host = o.host ?? '127.0.0.1';
  const timeoutMs = o.timeoutMs ?? 10_000;
  let buf = '';
  let closed = false;
  let wake: (() => void) | null = null;
  const onData = (d: string): void => {
    buf += d;
    wake?.();
  };
  const onClose = (): void => {
    closed = true;
    wake?.();
  };
  const secureOpts = { ca: o.caPem, servername: o.domain, rejectUnauthorized: true };

  let sock: net.Socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = o.directTls ? tls.connect({ port: o.port, host, ...secureOpts, ALPNProtocols: ['xmpp-client'] }) : net.connect({ port: o.port, host });
    s.once(o.directTls ? 'secureConnect' : 'connect', () => resolve(s));
    s.once('error', reject);
  });
  const wire = (s: net.Socket): void => {
    s.setEncoding('utf8');
    s.on('data', onData);
    s.on('close', onClose);
    s.on('error', onClose);
  };
  wire(sock);

  const readUntil = async (pattern: string | RegExp, ms = timeoutMs): Promise<string> => {
    const deadline = Date.now() + ms;
    while (true) {
      const m = typeof pattern === 'string' ? (buf.includes(pattern) ? { index: buf.indexOf(pattern), 0: pattern } : null) : pattern.exec(buf);
      if (m) {
        const end = m.index + m[0].length;
        const out = buf.slice(0, end);
        buf = buf.slice(end);
        return out;
      }
      if (closed) throw new Error(`raw client: connection closed before ${String(pattern)}; unread: ${buf}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`raw client: no ${String(pattern)} within ${ms} ms; unread: ${buf}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        wake = () => {
          clearTimeout(t);
          wake = null;
          r();
        };
      });
    }
  };
  const send = (xml: string): void => {
    sock.write(xml);
  };

  send(STREAM_OPEN(o.domain));
  let features = await readUntil('</stream:features>');
  if (!o.directTls) {
    if (!features.includes('urn:ietf:params:xml:ns:xmpp-tls')) throw new Error(`raw client: no STARTTLS offered: ${features}`);
    send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    await readUntil(/<proceed[^>]*\/>/);
    sock.removeListener('data', onData);
    sock = await new Promise<net.Socket>((resolve, reject) => {
      const s = tls.connect({ socket: sock, ...secureOpts });
      s.once('secureConnect', () => resolve(s));
      s.once('error', reject);
    });
    wire(sock);
    send(STREAM_OPEN(o.domain));
    features = await readUntil('</stream:features>');
  }
  if (!/<mechanism>PLAIN<\/mechanism>/.test(features)) throw new Error(`raw client: PLAIN not offered: ${features}`);
  send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${o.user}\0${o.pass}`).toString('base64')}</auth>`);
  const outcome = await readUntil(/<success[^>]*(\/>|<\/success>)|<failure[\s\S]*?<\/failure>/);
  if (!outcome.includes('<success')) throw new Error(`raw client: authentication failed: ${outcome}`);
  send(STREAM_OPEN(o.domain));
  features = await readUntil('</stream:features>');
  send(`<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${escapeXml(o.resource ?? 'raw')}</resource></bind></iq>`);
  const bound = await readUntil(/<iq[^>]*id=["']bind1["'][\s\S]*?<\/iq>/);
  const jid = /<jid>([^<]+)<\/jid>/.exec(bound)?.[1];
  if (!jid) throw new Error(`raw client: bind failed: ${bound}`);
  if (o.presence ?? true) send('<presence/>');

  const tlsSock = sock instanceof tls.TLSSocket ? sock : null;
  return {
    jid,
    features,
    tlsProtocol: tlsSock?.getProtocol() ?? null,
    send,
    readUntil,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        const t = setTimeout(() => {
          sock.destroy();
          resolve();
        }, 2000);
        sock.once('close', () => {
          clearTimeout(t);
          resolve();
        });
        sock.end('</stream:stream>');
      }),
  };
}
