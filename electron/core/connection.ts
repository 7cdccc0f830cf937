// One XMPP client stream (RFC 6120) from "transport is up" to "closed": features → STARTTLS →
// SASL → bind → online, then stanza routing to the protocol modules. No sockets, no timers:
// the shell feeds inputs (stream events, tls-started, ticks) and carries out the effects
// it gets through `sink`. A test can drive a whole login by feeding XML and reading effects.
// Negotiation (STARTTLS, SASL, bind) is in stream/negotiation.ts, the modules and the routing of
// stanzas to them in module-host.ts; this file keeps the phase, the stream-level elements and the end.
import type { ConnectionError, TlsMode } from '../../shared/domain';
import { tryParseJid } from '../../shared/jid';
import type { CoreEvent } from './events';
import { IqError, NS, type AnyModule } from './module';
import { ModuleHost } from './module-host';
import type { Clock, CryptoPort, Logger } from './ports';
import type { ChannelBindings } from './sasl/session';
import { isStreamElement, parseStreamError, streamErrorToConnectionError } from './stream/errors';
import { IqTracker } from './stream/iq-tracker';
import { StreamNegotiation, type NegotiationPhase } from './stream/negotiation';
import { hex } from './util/hex';
import type { XmlElement } from './xml/element';
import { serialize, streamHeader, STREAM_CLOSE } from './xml/serialize';

export interface TlsFacts {
  /** e.g. 'TLSv1.3' */
  protocol: string;
  channelBindings: ChannelBindings;
}

export interface ConnectionOptions {
  /** Bare JID of the account. */
  jid: string;
  password: string;
  resource?: string;
  tlsMode: TlsMode;
  /** Strongest SASL mechanism this account used before (downgrade protection). */
  strongestMechanism?: string;
  modules: AnyModule[];
  crypto: CryptoPort;
  clock: Clock;
  log: Logger;
  /** Negotiation steps that take longer than this fail with 'timeout'. */
  negotiationTimeoutMs?: number;
}

export type Effect =
  /** Start a new stream: the shell makes a fresh parser, then writes `header`. */
  | { t: 'open'; header: string }
  | { t: 'write'; data: string }
  /** Upgrade the transport with TLS, then call tlsStarted(). */
  | { t: 'startTls' }
  /** SASL succeeded with this mechanism (the account remembers the strongest). */
  | { t: 'authenticated'; mechanism: string }
  | { t: 'online'; jid: string }
  /** The server sent see-other-host: reconnect to that host with the same policy. */
  | { t: 'redirect'; host: string; port?: number }
  /** The stream is over (after writing anything pending). `error` absent = closed on purpose. */
  | { t: 'closed'; error?: ConnectionError }
  | { t: 'event'; event: CoreEvent };

type Phase = 'idle' | 'stream' | NegotiationPhase | 'online' | 'closed';

const DEFAULT_NEGOTIATION_TIMEOUT = 30_000;

export class Connection {
  private phase: Phase = 'idle';
  private phaseSince = 0;
  private readonly domain: string;
  private readonly iqs: IqTracker;
  private readonly negotiation: StreamNegotiation;
  private readonly modules: ModuleHost;
  private idCounter = 0;
  private readonly idPrefix: string;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly sink: (e: Effect) => void,
  ) {
    const j = tryParseJid(opts.jid);
    if (!j || !j.local) throw new Error(`not a user JID: ${opts.jid}`);
    this.domain = j.domain;
    this.iqs = new IqTracker(opts.clock);
    this.idPrefix = hex(opts.crypto.randomBytes(6));
    this.negotiation = new StreamNegotiation(opts, this.iqs, {
      setPhase: (p) => this.setPhase(p),
      openStream: () => this.openStream(),
      write: (el) => this.write(el),
      sink,
      fail: (err, streamCondition) => this.fail(err, streamCondition),
      end: (error, answerClose) => this.end(error, answerClose),
      nextId: () => this.nextId(),
      bound: () => this.goOnline(),
    });
    this.modules = new ModuleHost(opts, this.domain, this.iqs, {
      isOnline: () => this.phase === 'online',
      isClosed: () => this.phase === 'closed',
      write: (el) => this.write(el),
      nextId: () => this.nextId(),
      emit: (event: CoreEvent) => sink({ t: 'event', event }),
      boundJid: () => this.negotiation.boundJid,
    });
  }

  get status(): Phase {
    return this.phase;
  }
  get jid(): string {
    return this.negotiation.boundJid;
  }
  /** The stream features the server announced after authentication (roster versioning, SM, …). */
  get features(): XmlElement | undefined {
    return this.negotiation.features;
  }

  /** The transport is connected (plain TCP, or already TLS for direct TLS). */
  start(transport: { secure: boolean; tls?: TlsFacts }): void {
    this.negotiation.transport(transport.secure, transport.tls);
    this.openStream();
  }

  /** The STARTTLS upgrade finished (certificate already verified by the shell). */
  tlsStarted(tls: TlsFacts): void {
    if (this.phase !== 'tls-wait') return;
    this.negotiation.transport(true, tls);
    this.openStream();
  }

  streamOpened(attrs: Record<string, string>): void {
    if (this.phase === 'closed') return;
    const version = attrs.version ?? '';
    if (!/^1\.\d+$/.test(version)) {
      this.fail({ code: 'protocol', condition: 'unsupported-version', message: `The server speaks an unsupported XMPP version (“${version.slice(0, 20)}”).` }, 'unsupported-version');
    }
  }

  /** A complete top-level element arrived. */
  stanza(el: XmlElement): void {
    if (this.phase === 'closed') return;
    try {
      this.dispatch(el);
    } catch (err) {
      // A bug in a handler must not take the whole stream down with it; a hostile stanza gets logged.
      this.opts.log.error('stanza handler failed', { name: el.name, error: String(err) });
    }
  }

  /** The server closed its stream (`</stream:stream>`). */
  streamClosed(): void {
    if (this.phase === 'closed') return;
    this.end({ code: 'closed', message: 'The server closed the connection.' }, true);
  }

  /** The parser found XML we must not accept (RFC 6120 §11): tell the server and stop. */
  parseError(condition: string, text: string): void {
    if (this.phase === 'closed') return;
    this.fail({ code: condition === 'policy-violation' ? 'policy-violation' : 'protocol', condition, message: `The server sent data Flint refuses (${condition}): ${text}` }, condition);
  }

  /** The transport is gone (socket closed or errored). */
  transportClosed(reason?: string): void {
    if (this.phase === 'closed') return;
    this.end({ code: 'closed', message: reason ? `Connection lost: ${reason}` : 'Connection lost.' }, false);
  }

  /** About once a second: timeouts for negotiation and iqs, module ticks. */
  tick(now: number): void {
    if (this.phase === 'closed' || this.phase === 'idle') return;
    if (this.phase !== 'online' && now - this.phaseSince > (this.opts.negotiationTimeoutMs ?? DEFAULT_NEGOTIATION_TIMEOUT)) {
      this.fail({ code: 'timeout', message: `The server did not answer in time (during ${this.phase}).` }, 'connection-timeout');
      return;
    }
    this.iqs.expire(now);
    if (this.phase === 'online') this.modules.tick(now);
  }

  /** Close on purpose: `</stream:stream>` and done. */
  close(): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'idle') this.sink({ t: 'write', data: STREAM_CLOSE });
    this.end(undefined, false);
  }

  /** A module's public API (for the account service). */
  api<T>(name: string): T {
    return this.modules.api<T>(name);
  }

  get online(): boolean {
    return this.phase === 'online';
  }

  // ---------------------------------------------------------------- stream

  private setPhase(p: Phase): void {
    this.phase = p;
    this.phaseSince = this.opts.clock.now();
  }

  private openStream(): void {
    this.setPhase('stream');
    this.sink({ t: 'open', header: streamHeader({ to: this.domain, version: '1.0', 'xml:lang': 'en', from: this.negotiation.secure ? this.opts.jid : undefined }) });
  }

  private write(el: XmlElement): void {
    this.sink({ t: 'write', data: serialize(el) });
  }

  private dispatch(el: XmlElement): void {
    if (isStreamElement(el, 'error')) {
      const info = parseStreamError(el);
      if (info.condition === 'see-other-host' && info.otherHost) {
        const target = parseHostPort(info.otherHost);
        if (target) {
          this.sink({ t: 'write', data: STREAM_CLOSE });
          this.sink({ t: 'redirect', ...target });
          this.end({ code: 'stream-error', condition: 'see-other-host', message: `Redirected to ${info.otherHost}.` }, false);
          return;
        }
      }
      this.sink({ t: 'write', data: STREAM_CLOSE });
      this.end(streamErrorToConnectionError(info), false);
      return;
    }
    switch (this.phase) {
      case 'stream':
        if (isStreamElement(el, 'features')) this.negotiation.onFeatures(el);
        else this.opts.log.warn('stanza before stream features ignored', { name: el.name });
        return;
      case 'starttls':
        return this.negotiation.onStartTls(el);
      case 'sasl':
        return this.negotiation.onSasl(el);
      case 'bind':
      case 'session':
      case 'online':
        return this.modules.route(el);
      default:
        this.opts.log.warn('unexpected element', { name: el.name, phase: this.phase });
    }
  }

  private goOnline(): void {
    this.setPhase('online');
    const ctx = this.modules.start();
    // The online steps start before the shell hears 'online': the requests they send first (the
    // roster get above all, RFC 6121 §2.2) leave before the shell does its own work for 'online',
    // and the server works on them meanwhile.
    void this.modules.runOnlineSteps(ctx);
    if (this.modules.context === ctx) this.sink({ t: 'online', jid: this.negotiation.boundJid });
  }

  private nextId(): string {
    return `${this.idPrefix}${(++this.idCounter).toString(36)}`;
  }

  // ---------------------------------------------------------------- ending

  /** Fatal protocol problem: tell the server with a stream error, then close. */
  private fail(err: ConnectionError, streamCondition: string | undefined): void {
    if (this.phase === 'closed') return;
    if (streamCondition) {
      this.sink({ t: 'write', data: `<stream:error><${streamCondition} xmlns='${NS.streams}'/></stream:error>${STREAM_CLOSE}` });
    }
    this.end(err, false);
  }

  private end(error: ConnectionError | undefined, answerClose: boolean): void {
    if (this.phase === 'closed') return;
    if (answerClose) this.sink({ t: 'write', data: STREAM_CLOSE });
    this.phase = 'closed';
    this.iqs.rejectAll(new IqError('remote-server-timeout', 'wait', 'the stream ended'));
    this.modules.stop();
    this.sink({ t: 'closed', error });
  }
}

/** see-other-host text: "host", "host:port", "[v6]" or "[v6]:port" (RFC 6120 §4.9.3.19). */
export function parseHostPort(s: string): { host: string; port?: number } | null {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(s) ?? /^([A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return { host: m[1]!, port };
}
