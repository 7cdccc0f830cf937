// Readiness probe: a server is ready when it answers a stream header with <stream:features/>
// (RFC 6120 §4.3.2). A bare TCP connect is not enough; Prosody and ejabberd accept before
// their hosts are configured.
import net from 'node:net';
import tls from 'node:tls';

export interface ProbeOptions {
  port: number;
  domain: string;
  host?: string;
  timeoutMs?: number;
  /** XEP-0368 direct TLS: handshake first (certificate not verified; this is a liveness probe). */
  directTls?: boolean;
}

/** Resolves with the raw text up to and including </stream:features>. */
export function probeStreamFeatures(opts: ProbeOptions): Promise<string> {
  const host = opts.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let buf = '';
    const sock: net.Socket = opts.directTls
      ? tls.connect({ port: opts.port, host, servername: opts.domain, rejectUnauthorized: false })
      : net.connect({ port: opts.port, host });
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.removeAllListeners('data');
      if (err) {
        sock.destroy();
        reject(err);
        return;
      }
      // Drop the connection at once: a polite </stream:stream> leaves the server a closing
      // session, and Prosody then needs ~1 s longer to stop if it is stopped right after.
      sock.destroy();
      resolve(buf);
    };
    const timer = setTimeout(() => finish(new Error(`no <stream:features> on port ${opts.port}`)), opts.timeoutMs ?? 3000);
    sock.setEncoding('utf8');
    sock.once(opts.directTls ? 'secureConnect' : 'connect', () => {
      sock.write(
        `<?xml version='1.0'?><stream:stream to='${opts.domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`,
      );
    });
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('</stream:features>') || /<stream:features[^>]*\/>/.test(buf)) finish(null);
      else if (buf.includes('<stream:error')) finish(new Error(`stream error on port ${opts.port}: ${buf}`));
    });
    sock.once('error', (e) => finish(e));
    sock.once('close', () => finish(new Error(`port ${opts.port} closed before <stream:features>`)));
  });
}
