// One connection attempt: endpoints → socket → the engine's Connection, until the stream ends.
// This is the shell around the pure core: it owns the socket, the parser, the clock tick and the
// keepalive, and carries out the Connection's effects.
import type { AccountSettings, ConnectionError } from '../../../shared/domain';
import { bareJid, parseJid } from '../../../shared/jid';
import { Connection, type Effect, type TlsFacts } from '../../core/connection';
import type { CoreEvent } from '../../core/events';
import type { AnyModule } from '../../core/module';
import type { Logger } from '../../core/ports';
import { StreamParser } from '../../core/xml/stream-parser';
import { nodeCrypto } from '../crypto';
import { resolveEndpoints, type DnsPort, type Endpoint } from '../net/resolve';
import { connectFirst, type Transport } from '../net/transport';
import { TlsVerifyError } from '../net/cert';
import type { TlsInfo, TlsPolicy } from '../net/verify';

export interface SessionOptions {
  settings: AccountSettings;
  password: string;
  modules: AnyModule[];
  log: Logger;
  /** Extra trusted CA certificates (PEM), beyond the system store. */
  extraCa?: string[];
  /** Cap the TLS version (old servers; tests of TLS 1.2-only channel binding). */
  tlsMaxVersion?: 'TLSv1.2' | 'TLSv1.3';
  dns?: DnsPort;
  /** A see-other-host redirect to follow instead of the configured endpoints. */
  redirect?: { host: string; port?: number };
  maxStanzaBytes?: number;
  /** Silence after which we ping the server, and after which the connection counts as dead. */
  keepalive?: { pingAfterMs: number; deadAfterMs: number };
  onEvent(e: CoreEvent): void;
  onAuthenticated(mechanism: string): void;
  onOnline(jid: string): void;
  onStatus(status: 'connecting' | 'authenticating'): void;
}

export interface SessionEnd {
  error?: ConnectionError;
  redirect?: { host: string; port?: number };
  /** Whether the stream ever got online. */
  wasOnline: boolean;
}

/** Silence of 40 s → ping; no byte for 70 s → dead (the issue asks for detection within 75 s). */
export const DEFAULT_KEEPALIVE = { pingAfterMs: 40_000, deadAfterMs: 70_000 };

export class Session {
  private transport?: Transport;
  private parser?: StreamParser;
  private conn?: Connection;
  private timer?: ReturnType<typeof setInterval>;
  private ended = false;
  private wasOnline = false;
  private redirect?: { host: string; port?: number };
  private lastReceived = Date.now();
  private pingSent = false;
  private resolveEnd!: (end: SessionEnd) => void;
  readonly done: Promise<SessionEnd>;
  private closing = false;

  constructor(private readonly opts: SessionOptions) {
    this.done = new Promise((r) => (this.resolveEnd = r));
  }

  /** The live engine connection (for module APIs) once online. */
  get connection(): Connection | undefined {
    return this.conn?.online ? this.conn : undefined;
  }

  async start(): Promise<void> {
    const { settings } = this.opts;
    this.opts.onStatus('connecting');
    let endpoints: Endpoint[];
    const domain = parseJid(settings.jid).domain;
    try {
      endpoints = this.opts.redirect
        ? [{ host: this.opts.redirect.host, port: this.opts.redirect.port ?? 5222, directTls: settings.tlsMode === 'directtls', source: 'override' }]
        : await resolveEndpoints(domain, { host: settings.host, port: settings.port, tlsMode: settings.tlsMode }, this.opts.dns);
    } catch (err) {
      return this.finish({ code: 'unreachable', message: `Could not find the server for ${domain}: ${(err as Error).message}` });
    }
    if (this.ended) return;
    const policy: TlsPolicy = { servername: domain, ca: this.opts.extraCa, pinnedFingerprint256: settings.pinnedFingerprint256, maxVersion: this.opts.tlsMaxVersion };
    let transport: Transport;
    try {
      ({ transport } = await connectFirst(endpoints, { tls: policy, timeoutMs: 15_000 }));
    } catch (err) {
      return this.finish(this.connectError(err, domain));
    }
    if (this.ended) {
      transport.destroy();
      return;
    }
    this.transport = transport;
    this.conn = new Connection(
      {
        jid: bareJid(settings.jid),
        password: this.opts.password,
        resource: settings.resource || undefined,
        tlsMode: settings.tlsMode,
        strongestMechanism: settings.strongestMechanism,
        modules: this.opts.modules,
        crypto: nodeCrypto,
        clock: { now: () => Date.now() },
        log: this.opts.log,
      },
      (e) => this.effect(e, policy),
    );
    transport.onData((text) => {
      this.lastReceived = Date.now();
      this.pingSent = false;
      this.parser?.write(text);
    });
    transport.onClose((err) => {
      this.conn?.transportClosed(err?.message);
      this.finish(undefined);
    });
    this.timer = setInterval(() => this.tick(), 1_000);
    this.timer.unref?.();
    this.conn.start({ secure: transport.secure, tls: transport.tlsInfo ? facts(transport.tlsInfo) : undefined });
  }

  /** Close on purpose (sign out). */
  close(): void {
    if (this.ended) return;
    this.closing = true;
    if (this.conn) this.conn.close();
    else this.finish(undefined);
  }

  /** Drop the connection now, without a goodbye (dead link). */
  abort(reason: string): void {
    if (this.ended) return;
    this.conn?.transportClosed(reason);
    this.transport?.destroy();
  }

  private effect(e: Effect, policy: TlsPolicy): void {
    const t = this.transport!;
    switch (e.t) {
      case 'open':
        // The header goes out first: the answer cannot arrive before this turn ends, and the
        // server can work on it while the parser is made.
        t.write(e.header);
        this.parser = this.makeParser();
        return;
      case 'write':
        t.write(e.data);
        return;
      case 'startTls':
        this.parser = undefined; // nothing more may be read from the plaintext stream
        t.startTls(policy).then(
          (info) => this.conn?.tlsStarted(facts(info)),
          (err: unknown) => {
            this.finish(this.connectError(err, policy.servername));
            t.destroy();
          },
        );
        return;
      case 'authenticated':
        this.opts.onStatus('authenticating');
        this.opts.onAuthenticated(e.mechanism);
        return;
      case 'online':
        this.wasOnline = true;
        this.opts.onOnline(e.jid);
        return;
      case 'redirect':
        this.redirect = { host: e.host, port: e.port };
        return;
      case 'event':
        this.opts.onEvent(e.event);
        return;
      case 'closed':
        this.finish(e.error);
        t.close();
        return;
    }
  }

  private makeParser(): StreamParser {
    const conn = this.conn!;
    return new StreamParser(
      {
        streamOpen: (attrs) => conn.streamOpened(attrs),
        stanza: (el) => conn.stanza(el),
        streamClose: () => conn.streamClosed(),
        error: (err) => conn.parseError(err.condition, err.text),
      },
      { maxStanzaBytes: this.opts.maxStanzaBytes },
    );
  }

  private tick(): void {
    const now = Date.now();
    this.conn?.tick(now);
    const ka = this.opts.keepalive ?? DEFAULT_KEEPALIVE;
    const silent = now - this.lastReceived;
    if (silent >= ka.deadAfterMs) {
      this.opts.log.warn('connection dead: no data from the server', { silentMs: silent });
      this.abort('no answer from the server');
      return;
    }
    if (silent >= ka.pingAfterMs && !this.pingSent && this.conn?.online) {
      this.pingSent = true;
      this.conn.api<{ ping(to?: string, timeoutMs?: number): Promise<number> }>('xep0199-ping').ping(undefined, ka.deadAfterMs - ka.pingAfterMs).catch(() => {
        // the dead-connection check above acts on silence; a failed ping adds nothing
      });
    }
  }

  private connectError(err: unknown, domain: string): ConnectionError {
    if (err instanceof TlsVerifyError) {
      return {
        code: 'cert-untrusted',
        certProblem: err.problem,
        cert: err.cert,
        message: `The certificate of ${domain} could not be verified (${err.problem.replace(/-/g, ' ')}). Flint stopped before sending anything.`,
      };
    }
    const inner = (err as { errors?: unknown[] }).errors?.find((e) => e instanceof TlsVerifyError);
    if (inner) return this.connectError(inner, domain);
    const msg = (err as Error)?.message ?? String(err);
    if ((err as { code?: string }).code === 'ERR_TLS' || /tls|ssl|handshake/i.test(msg)) return { code: 'tls-failed', message: `The secure connection to ${domain} failed: ${msg}` };
    return { code: 'unreachable', message: `Could not reach the server for ${domain}: ${msg}` };
  }

  private finish(error: ConnectionError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    this.resolveEnd({ error: this.closing ? undefined : (error ?? { code: 'closed', message: 'Connection lost.' }), redirect: this.redirect, wasOnline: this.wasOnline });
  }
}

function facts(info: TlsInfo): TlsFacts {
  return { protocol: info.protocol, channelBindings: info.channelBindings };
}
