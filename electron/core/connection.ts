// One XMPP client stream (RFC 6120) from "transport is up" to "closed": features → STARTTLS →
// SASL → bind → online, then stanza routing to the protocol modules. No sockets, no timers:
// the shell feeds inputs (stream events, tls-started, ticks) and carries out the effects
// it gets through `sink`. A test can drive a whole login by feeding XML and reading effects.
import type { ConnectionError, TlsMode } from '../../shared/domain';
import { bareJid, tryParseJid } from '../../shared/jid';
import type { CoreEvent } from './events';
import { IqError, NS, type AnyModule, type IqRoute, type ModuleContext } from './module';
import { buildStanzaError } from './modules/stanza-error';
import type { Clock, CryptoPort, Logger } from './ports';
import { SaslSession, type ChannelBindings } from './sasl/session';
import { isStreamElement, parseStreamError, saslFailureToConnectionError, streamErrorToConnectionError } from './stream/errors';
import { IqTracker } from './stream/iq-tracker';
import { x, type XmlElement } from './xml/element';
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

type Phase = 'idle' | 'stream' | 'starttls' | 'tls-wait' | 'sasl' | 'bind' | 'session' | 'online' | 'closed';

type ModuleSlot = { def: AnyModule; state: unknown; api: unknown };

const DEFAULT_NEGOTIATION_TIMEOUT = 30_000;

export class Connection {
  private phase: Phase = 'idle';
  private phaseSince = 0;
  private secure = false;
  private tls?: TlsFacts;
  private authenticated = false;
  private sasl?: SaslSession;
  private boundJid = '';
  private bindAttempts = 0;
  private sessionRequired = false;
  private readonly domain: string;
  private readonly iqs: IqTracker;
  private slots: ModuleSlot[] = [];
  /** iq get/set routes of the current stream's modules, by (type, payload namespace, payload name). */
  private routes = new Map<string, { slot: ModuleSlot; route: IqRoute<any> }>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  /** This client's disco features: fixed for the connection (caps hashes them once per stream). */
  private readonly featureList: string[];
  private ctx?: ModuleContext;
  private idCounter = 0;
  private readonly idPrefix: string;
  private streamFeatures?: XmlElement;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly sink: (e: Effect) => void,
  ) {
    const j = tryParseJid(opts.jid);
    if (!j || !j.local) throw new Error(`not a user JID: ${opts.jid}`);
    this.domain = j.domain;
    this.iqs = new IqTracker(opts.clock);
    this.idPrefix = hex(opts.crypto.randomBytes(6));
    const features = new Set<string>();
    for (const d of opts.modules) for (const f of d.features ?? []) features.add(f);
    this.featureList = [...features].sort();
  }

  get status(): Phase {
    return this.phase;
  }
  get jid(): string {
    return this.boundJid;
  }
  /** The stream features the server announced after authentication (roster versioning, SM, …). */
  get features(): XmlElement | undefined {
    return this.streamFeatures;
  }

  /** The transport is connected (plain TCP, or already TLS for direct TLS). */
  start(transport: { secure: boolean; tls?: TlsFacts }): void {
    this.secure = transport.secure;
    this.tls = transport.tls;
    this.openStream();
  }

  /** The STARTTLS upgrade finished (certificate already verified by the shell). */
  tlsStarted(tls: TlsFacts): void {
    if (this.phase !== 'tls-wait') return;
    this.secure = true;
    this.tls = tls;
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
    if (this.phase === 'online' && this.ctx) for (const s of this.slots) s.def.tick?.(now, this.ctx, s.state);
  }

  /** Close on purpose: `</stream:stream>` and done. */
  close(): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'idle') this.sink({ t: 'write', data: STREAM_CLOSE });
    this.end(undefined, false);
  }

  /** A module's public API (for the account service). */
  api<T>(name: string): T {
    const slot = this.slots.find((s) => s.def.name === name);
    if (!slot) throw new Error(`module ${name} is not active (not online?)`);
    return slot.api as T;
  }

  get online(): boolean {
    return this.phase === 'online';
  }

  // ---------------------------------------------------------------- negotiation

  private setPhase(p: Phase): void {
    this.phase = p;
    this.phaseSince = this.opts.clock.now();
  }

  private openStream(): void {
    this.setPhase('stream');
    this.sink({ t: 'open', header: streamHeader({ to: this.domain, version: '1.0', 'xml:lang': 'en', from: this.secure ? this.opts.jid : undefined }) });
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
        if (isStreamElement(el, 'features')) this.onFeatures(el);
        else this.opts.log.warn('stanza before stream features ignored', { name: el.name });
        return;
      case 'starttls':
        if (el.ns !== NS.tls) return this.fail({ code: 'tls-failed', message: 'The server answered STARTTLS with something unexpected.' }, 'not-authorized');
        if (el.name === 'proceed') {
          this.setPhase('tls-wait');
          this.sink({ t: 'startTls' });
        } else this.end({ code: 'tls-failed', message: 'The server refused to start TLS.' }, false);
        return;
      case 'sasl':
        return this.onSasl(el);
      case 'bind':
      case 'session':
      case 'online':
        return this.onStanza(el);
      default:
        this.opts.log.warn('unexpected element', { name: el.name, phase: this.phase });
    }
  }

  private onFeatures(features: XmlElement): void {
    const starttls = features.child('starttls', NS.tls);
    if (!this.secure) {
      if (starttls) {
        this.setPhase('starttls');
        this.write(x('starttls', { xmlns: NS.tls }));
        return;
      }
      if (this.opts.tlsMode !== 'plaintext') {
        // RFC 7590: no TLS, no credentials. The user can allow plaintext for this account explicitly.
        this.fail({ code: 'no-tls', message: 'The server does not offer encryption (STARTTLS), so Flint did not send your password. You can allow unencrypted connections for this account in Advanced settings.' }, 'policy-violation');
        return;
      }
    }
    if (!this.authenticated) {
      const mechs = features.child('mechanisms', NS.sasl);
      const offered = mechs ? mechs.elements('mechanism').map((m) => m.text().trim()) : [];
      const cbTypes = features.child('sasl-channel-binding', NS.saslCb)?.elements('channel-binding').map((c) => c.attr('type') ?? '');
      const session = SaslSession.choose({
        offered,
        secure: this.secure,
        tls: this.tls,
        serverChannelBindings: cbTypes,
        allowPlain: this.secure,
        strongestMechanism: this.opts.strongestMechanism,
        username: this.opts.jid.slice(0, this.opts.jid.indexOf('@')),
        password: this.opts.password,
        crypto: this.opts.crypto,
      });
      if ('error' in session) {
        this.fail({ code: session.error === 'downgrade' ? 'downgrade' : 'no-mechanism', message: session.text }, 'policy-violation');
        return;
      }
      this.sasl = session;
      this.setPhase('sasl');
      this.write(x('auth', { xmlns: NS.sasl, mechanism: session.mechanism }, session.initialResponse()));
      return;
    }
    this.streamFeatures = features;
    const bind = features.child('bind', NS.bind);
    if (!bind) {
      this.fail({ code: 'protocol', message: 'The server did not offer resource binding.' }, 'unsupported-feature');
      return;
    }
    const session = features.child('session', NS.session);
    this.sessionRequired = !!session && !session.child('optional');
    this.bind(this.opts.resource);
  }

  private onSasl(el: XmlElement): void {
    const sasl = this.sasl!;
    if (el.ns !== NS.sasl) return;
    try {
      if (el.name === 'challenge') {
        this.write(x('response', { xmlns: NS.sasl }, sasl.respond(el.text().trim())));
      } else if (el.name === 'success') {
        sasl.success(el.text().trim());
        this.authenticated = true;
        // RFC 6120 §6.4.6: restart the stream first; the shell's bookkeeping for 'authenticated'
        // (status, remembering the mechanism) then runs while the server answers.
        this.openStream();
        this.sink({ t: 'authenticated', mechanism: sasl.mechanism });
      } else if (el.name === 'failure') {
        this.end(saslFailureToConnectionError(el), false);
        this.sink({ t: 'write', data: STREAM_CLOSE });
      }
    } catch (err) {
      // A bad server signature means we cannot know who we talk to: stop before anything else.
      this.sink({ t: 'write', data: serialize(x('abort', { xmlns: NS.sasl })) });
      this.fail({ code: 'server-signature', message: `The server could not prove it knows your password (${(err as Error).message}). This may be an attack; Flint stopped.` }, undefined);
    }
  }

  private bind(resource: string | undefined): void {
    this.setPhase('bind');
    this.bindAttempts++;
    const id = this.nextId();
    this.iqs.trackCallback(id, undefined, 30_000, (res, err) => {
      if (res) return this.onBound(res);
      if (err?.condition === 'conflict' && this.bindAttempts < 3) {
        // RFC 6120 §7.7.2.2: the resource is in use; ask again with a different one.
        return this.bind(`${resource ?? 'flint'}-${hex(this.opts.crypto.randomBytes(3))}`);
      }
      this.fail({ code: 'protocol', condition: err?.condition, message: `The server refused to bind a resource (${err?.message ?? 'no answer'}).` }, undefined);
    });
    this.write(x('iq', { type: 'set', id }, x('bind', { xmlns: NS.bind }, resource ? x('resource', {}, resource) : null)));
  }

  private onBound(res: XmlElement): void {
    const jid = res.child('bind', NS.bind)?.childText('jid')?.trim();
    const parsed = jid ? tryParseJid(jid) : null;
    if (!parsed || !parsed.resource || bareJid(jid!) !== bareJid(this.opts.jid)) {
      this.fail({ code: 'protocol', message: 'The server bound an invalid address.' }, 'invalid-id');
      return;
    }
    this.boundJid = jid!;
    if (this.sessionRequired) {
      this.setPhase('session');
      const id = this.nextId();
      this.iqs.trackCallback(id, undefined, 30_000, (res) =>
        res ? this.goOnline() : this.fail({ code: 'protocol', message: 'The server refused to establish a session.' }, undefined),
      );
      this.write(x('iq', { type: 'set', id }, x('session', { xmlns: NS.session })));
      return;
    }
    this.goOnline();
  }

  private goOnline(): void {
    this.setPhase('online');
    const ctx = this.makeContext();
    this.ctx = ctx;
    this.slots = this.opts.modules.map((def) => ({ def, state: def.init?.(), api: undefined }));
    this.routes = new Map();
    for (const slot of this.slots) {
      slot.api = slot.def.api?.(ctx, slot.state);
      for (const route of slot.def.iq ?? []) this.routes.set(routeKey(route.type, route.ns, route.child), { slot, route });
    }
    // The online steps start before the shell hears 'online': the requests they send first (the
    // roster get above all, RFC 6121 §2.2) leave before the shell does its own work for 'online',
    // and the server works on them meanwhile.
    const steps = this.runOnlineSteps(ctx);
    if (this.ctx === ctx) this.sink({ t: 'online', jid: this.boundJid });
    void steps;
  }

  /**
   * RFC 6121 §2.2: roster before initial presence — so the online steps run in module order, each
   * awaited. A step that returns no promise is done and the next one runs at once, so every step up
   * to the first that waits (the roster fetch) has run when goOnline() returns.
   */
  private async runOnlineSteps(ctx: ModuleContext): Promise<void> {
    for (const slot of this.slots) {
      if (this.ctx !== ctx) return; // the stream ended meanwhile
      try {
        const step = slot.def.online?.(ctx, slot.state);
        if (step !== undefined) await step;
      } catch (err) {
        this.opts.log.warn('module online step failed', { module: slot.def.name, error: String(err) });
      }
    }
  }

  // ---------------------------------------------------------------- online routing

  private onStanza(el: XmlElement): void {
    if (el.ns !== NS.client && el.ns !== '') {
      this.opts.log.debug('non-client element ignored', { name: el.name, ns: el.ns });
      return;
    }
    switch (el.name) {
      case 'iq':
        return this.onIq(el);
      case 'message':
        if (this.ctx) for (const s of this.slots) if (s.def.message?.(el, this.ctx, s.state)) return;
        return;
      case 'presence':
        if (this.ctx) for (const s of this.slots) if (s.def.presence?.(el, this.ctx, s.state)) return;
        return;
      default:
        this.opts.log.debug('unknown top-level element ignored', { name: el.name });
    }
  }

  private onIq(iq: XmlElement): void {
    const type = iq.attr('type');
    const id = iq.attr('id');
    if (type === 'result' || type === 'error') {
      if (id) this.iqs.settle(id, iq, this.expectedFrom());
      return;
    }
    if (type !== 'get' && type !== 'set') return; // RFC 6120 §8.2.3: ignore, never answer an invalid type
    if (!id) return;
    const payload = iq.elements()[0];
    if (!payload || iq.elements().length !== 1) return this.replyError(iq, 'modify', 'bad-request');
    const hit = this.routes.get(routeKey(type, payload.ns, payload.name));
    if (!hit || !this.ctx) return this.replyError(iq, 'cancel', 'service-unavailable');
    const ctx = this.ctx;
    let out: ReturnType<IqRoute['handle']>;
    try {
      out = hit.route.handle(iq, ctx, hit.slot.state);
    } catch (err) {
      return this.answerFailure(iq, err);
    }
    const answer = (child: XmlElement | null) => {
      if (this.phase === 'online') this.write(x('iq', { type: 'result', id, to: iq.attr('from') }, child));
    };
    if (out instanceof Promise) out.then(answer, (err: unknown) => this.answerFailure(iq, err));
    else answer(out);
  }

  private answerFailure(iq: XmlElement, err: unknown): void {
    if (err instanceof IqError) this.replyError(iq, err.errorType, err.condition, err.text);
    else {
      this.opts.log.error('iq handler failed', { error: String(err) });
      this.replyError(iq, 'wait', 'internal-server-error');
    }
  }

  private replyError(iq: XmlElement, type: string, condition: string, text?: string): void {
    if (this.phase === 'closed') return;
    this.write(x('iq', { type: 'error', id: iq.attr('id'), to: iq.attr('from') }, buildStanzaError(condition, type, text)));
  }

  /** Who may answer for the account itself: the server, from no address, the bare or the bound JID. */
  private expectedFrom(): string[] {
    return ['', bareJid(this.opts.jid), this.boundJid];
  }

  private makeContext(): ModuleContext {
    const bare = bareJid(this.opts.jid);
    return {
      jid: this.boundJid,
      bareJid: bare,
      domain: this.domain,
      clock: this.opts.clock,
      crypto: this.opts.crypto,
      log: this.opts.log,
      id: () => this.nextId(),
      send: (el: XmlElement) => {
        if (this.phase === 'online') this.write(el);
      },
      iq: (el: XmlElement, timeoutMs = 30_000) => {
        if (this.phase !== 'online') return Promise.reject(new IqError('not-online', 'cancel', 'not connected'));
        let id = el.attr('id');
        if (!id) {
          id = this.nextId();
          el.attrs.id = id;
        }
        const p = this.iqs.track(id, el.attr('to'), timeoutMs);
        this.write(el);
        return p;
      },
      emit: (event: CoreEvent) => this.sink({ t: 'event', event }),
      module: <T>(name: string): T => this.api<T>(name),
      features: () => [...this.featureList],
    };
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
    for (const s of this.slots) {
      try {
        s.def.offline?.(s.state);
      } catch (err) {
        this.opts.log.warn('module offline step failed', { module: s.def.name, error: String(err) });
      }
    }
    this.slots = [];
    this.routes = new Map();
    this.ctx = undefined;
    this.sink({ t: 'closed', error });
  }
}

function routeKey(type: string, ns: string, child: string): string {
  return `${type} ${ns} ${child}`;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const v of b) s += v.toString(16).padStart(2, '0');
  return s;
}

/** see-other-host text: "host", "host:port", "[v6]" or "[v6]:port" (RFC 6120 §4.9.3.19). */
export function parseHostPort(s: string): { host: string; port?: number } | null {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(s) ?? /^([A-Za-z0-9.-]{1,253})(?::(\d{1,5}))?$/.exec(s);
  if (!m) return null;
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return { host: m[1]!, port };
}
