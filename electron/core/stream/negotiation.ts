// Stream negotiation of a client stream (RFC 6120 §5–§7): from the first <stream:features/> to a
// bound resource — STARTTLS, SASL, the stream restart after SASL, resource binding, and the session
// iq where a server still requires it (RFC 3921 §3). The Connection owns the phase, the effects and
// the ending; this keeps what negotiation learns (TLS facts, the SASL exchange, the bound JID, the
// features announced after authentication) and takes the next step. No sockets, no timers.
import type { ConnectionError } from '../../../shared/domain';
import { bareJid, tryParseJid } from '../../../shared/jid';
import type { ConnectionOptions, Effect, TlsFacts } from '../connection';
import { NS } from '../module';
import { SaslSession } from '../sasl/session';
import { hex } from '../util/hex';
import { x, type XmlElement } from '../xml/element';
import { serialize, STREAM_CLOSE } from '../xml/serialize';
import { saslFailureToConnectionError } from './errors';
import type { IqTracker } from './iq-tracker';

/** The Connection phases negotiation moves through after the first features. */
export type NegotiationPhase = 'starttls' | 'tls-wait' | 'sasl' | 'bind' | 'session';

/** What the Connection lends negotiation: its phase, its output and its ending. */
export interface NegotiationHost {
  setPhase(phase: NegotiationPhase): void;
  /** Send a fresh stream header (after TLS, RFC 6120 §5.4.3.3; after SASL, §6.4.6). */
  openStream(): void;
  write(el: XmlElement): void;
  sink(effect: Effect): void;
  fail(err: ConnectionError, streamCondition: string | undefined): void;
  end(error: ConnectionError | undefined, answerClose: boolean): void;
  nextId(): string;
  /** The resource is bound (and the session established where required): go online. */
  bound(): void;
}

export class StreamNegotiation {
  private isSecure = false;
  private tls?: TlsFacts;
  private authenticated = false;
  private sasl?: SaslSession;
  private jid = '';
  private bindAttempts = 0;
  private sessionRequired = false;
  private streamFeatures?: XmlElement;

  constructor(
    private readonly opts: ConnectionOptions,
    private readonly iqs: IqTracker,
    private readonly host: NegotiationHost,
  ) {}

  get secure(): boolean {
    return this.isSecure;
  }
  /** The full JID the server bound ('' until then). */
  get boundJid(): string {
    return this.jid;
  }
  /** The stream features the server announced after authentication. */
  get features(): XmlElement | undefined {
    return this.streamFeatures;
  }

  /** What the transport is now: at the start, and again once STARTTLS has finished. */
  transport(secure: boolean, tls: TlsFacts | undefined): void {
    this.isSecure = secure;
    this.tls = tls;
  }

  onFeatures(features: XmlElement): void {
    const starttls = features.child('starttls', NS.tls);
    if (!this.isSecure) {
      if (starttls) {
        this.host.setPhase('starttls');
        this.host.write(x('starttls', { xmlns: NS.tls }));
        return;
      }
      if (this.opts.tlsMode !== 'plaintext') {
        // RFC 7590: no TLS, no credentials. The user can allow plaintext for this account explicitly.
        this.host.fail({ code: 'no-tls', message: 'The server does not offer encryption (STARTTLS), so Flint did not send your password. You can allow unencrypted connections for this account in Advanced settings.' }, 'policy-violation');
        return;
      }
    }
    if (!this.authenticated) {
      const mechs = features.child('mechanisms', NS.sasl);
      const offered = mechs ? mechs.elements('mechanism').map((m) => m.text().trim()) : [];
      const cbTypes = features.child('sasl-channel-binding', NS.saslCb)?.elements('channel-binding').map((c) => c.attr('type') ?? '');
      const session = SaslSession.choose({
        offered,
        secure: this.isSecure,
        tls: this.tls,
        serverChannelBindings: cbTypes,
        allowPlain: this.isSecure,
        strongestMechanism: this.opts.strongestMechanism,
        username: this.opts.jid.slice(0, this.opts.jid.indexOf('@')),
        password: this.opts.password,
        crypto: this.opts.crypto,
      });
      if ('error' in session) {
        this.host.fail({ code: session.error === 'downgrade' ? 'downgrade' : 'no-mechanism', message: session.text }, 'policy-violation');
        return;
      }
      this.sasl = session;
      this.host.setPhase('sasl');
      this.host.write(x('auth', { xmlns: NS.sasl, mechanism: session.mechanism }, session.initialResponse()));
      return;
    }
    this.streamFeatures = features;
    const bind = features.child('bind', NS.bind);
    if (!bind) {
      this.host.fail({ code: 'protocol', message: 'The server did not offer resource binding.' }, 'unsupported-feature');
      return;
    }
    const session = features.child('session', NS.session);
    this.sessionRequired = !!session && !session.child('optional');
    this.bind(this.opts.resource);
  }

  /** The server's answer to <starttls/>. */
  onStartTls(el: XmlElement): void {
    if (el.ns !== NS.tls) return this.host.fail({ code: 'tls-failed', message: 'The server answered STARTTLS with something unexpected.' }, 'not-authorized');
    if (el.name === 'proceed') {
      this.host.setPhase('tls-wait');
      this.host.sink({ t: 'startTls' });
    } else this.host.end({ code: 'tls-failed', message: 'The server refused to start TLS.' }, false);
  }

  onSasl(el: XmlElement): void {
    const sasl = this.sasl!;
    if (el.ns !== NS.sasl) return;
    try {
      if (el.name === 'challenge') {
        this.host.write(x('response', { xmlns: NS.sasl }, sasl.respond(el.text().trim())));
      } else if (el.name === 'success') {
        sasl.success(el.text().trim());
        this.authenticated = true;
        // RFC 6120 §6.4.6: restart the stream first; the shell's bookkeeping for 'authenticated'
        // (status, remembering the mechanism) then runs while the server answers.
        this.host.openStream();
        this.host.sink({ t: 'authenticated', mechanism: sasl.mechanism });
      } else if (el.name === 'failure') {
        this.host.end(saslFailureToConnectionError(el), false);
        this.host.sink({ t: 'write', data: STREAM_CLOSE });
      }
    } catch (err) {
      // A bad server signature means we cannot know who we talk to: stop before anything else.
      this.host.sink({ t: 'write', data: serialize(x('abort', { xmlns: NS.sasl })) });
      this.host.fail({ code: 'server-signature', message: `The server could not prove it knows your password (${(err as Error).message}). This may be an attack; Flint stopped.` }, undefined);
    }
  }

  private bind(resource: string | undefined): void {
    this.host.setPhase('bind');
    this.bindAttempts++;
    const id = this.host.nextId();
    this.iqs.trackCallback(id, undefined, 30_000, (res, err) => {
      if (res) return this.onBound(res);
      if (err?.condition === 'conflict' && this.bindAttempts < 3) {
        // RFC 6120 §7.7.2.2: the resource is in use; ask again with a different one.
        return this.bind(`${resource ?? 'flint'}-${hex(this.opts.crypto.randomBytes(3))}`);
      }
      this.host.fail({ code: 'protocol', condition: err?.condition, message: `The server refused to bind a resource (${err?.message ?? 'no answer'}).` }, undefined);
    });
    this.host.write(x('iq', { type: 'set', id }, x('bind', { xmlns: NS.bind }, resource ? x('resource', {}, resource) : null)));
  }

  private onBound(res: XmlElement): void {
    const jid = res.child('bind', NS.bind)?.childText('jid')?.trim();
    const parsed = jid ? tryParseJid(jid) : null;
    if (!parsed || !parsed.resource || bareJid(jid!) !== bareJid(this.opts.jid)) {
      this.host.fail({ code: 'protocol', message: 'The server bound an invalid address.' }, 'invalid-id');
      return;
    }
    this.jid = jid!;
    if (this.sessionRequired) {
      this.host.setPhase('session');
      const id = this.host.nextId();
      this.iqs.trackCallback(id, undefined, 30_000, (res) =>
        res ? this.host.bound() : this.host.fail({ code: 'protocol', message: 'The server refused to establish a session.' }, undefined),
      );
      this.host.write(x('iq', { type: 'set', id }, x('session', { xmlns: NS.session })));
      return;
    }
    this.host.bound();
  }
}
