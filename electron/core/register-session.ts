// In-band registration before login (XEP-0077 §3.1, §4): a stream of its own that never
// authenticates — stream → STARTTLS → features with <register xmlns='http://jabber.org/features/iq-register'/>
// → iq get jabber:iq:register → the form goes to the user → iq set → done. Pure like connection.ts:
// the shell (electron/main) feeds the same inputs and carries out the same effects ('open',
// 'write', 'startTls', 'closed'), plus three of its own: 'form', 'rejected', 'registered'.
import type { ConnectionError, TlsMode } from '../../shared/domain';
import type { FormValues, RegistrationForm } from '../../shared/forms';
import type { Effect } from './connection';
import { NS } from './module';
import type { Clock, Logger } from './ports';
import { isStreamElement, parseStreamError, streamErrorToConnectionError } from './stream/errors';
import { describeStanzaError, parseStanzaError } from './modules/stanza-error';
import { buildRegisterGet, buildRegisterSet, buildRegisterSubmit } from './modules/xep0077-register/build';
import { parseRegistrationForm, REGISTER_FEATURE_NS, REGISTER_NS } from './modules/xep0077-register/parse';
import { FormInvalidError } from './modules/xep0004-dataforms/build';
import { x, type XmlElement } from './xml/element';
import { serialize, streamHeader, STREAM_CLOSE } from './xml/serialize';

export interface RegisterSessionOptions {
  /** The server's domain: the account will be username@domain. */
  domain: string;
  /** Same policy as a login: without TLS nothing is sent unless the user allowed plaintext. */
  tlsMode: TlsMode;
  clock: Clock;
  log: Logger;
  /** Steps other than "waiting for the user" that take longer fail with 'timeout'. Default 30 s. */
  negotiationTimeoutMs?: number;
}

export type RegisterEffect =
  | Extract<Effect, { t: 'open' | 'write' | 'startTls' | 'closed' }>
  /** The server's registration form: show it; answer with submit(values), or close(). */
  | { t: 'form'; form: RegistrationForm }
  /**
   * The server refused the submission (§3.1: conflict = user name taken, not-acceptable = missing
   * data, …). The stream stays open: show `message` and submit() again, or close().
   */
  | { t: 'rejected'; condition: string; message: string }
  /** The account exists (the stream is then closed): log in with it as usual. */
  | { t: 'registered'; jid: string };

type Phase = 'idle' | 'stream' | 'starttls' | 'tls-wait' | 'fetch' | 'form' | 'submit' | 'closed';

const DEFAULT_TIMEOUT = 30_000;

const REJECTIONS: Record<string, string> = {
  conflict: 'That user name is already taken.',
  'not-acceptable': 'The server did not accept the form: a required field is missing or a value is not allowed.',
  'bad-request': 'The server did not accept the form (bad request).',
  'jid-malformed': 'That user name is not allowed.',
  'not-allowed': 'This server does not allow creating accounts.',
  forbidden: 'This server does not allow creating accounts from here.',
  'resource-constraint': 'The server is too busy or limits registrations; try again later.',
  'policy-violation': 'The server refused the registration by policy (for example a weak password).',
};

export class RegisterSession {
  private phase: Phase = 'idle';
  private phaseSince = 0;
  private secure = false;
  private idCounter = 0;
  private pendingId?: string;
  private form?: RegistrationForm;
  private username?: string;

  constructor(
    private readonly opts: RegisterSessionOptions,
    private readonly sink: (e: RegisterEffect) => void,
  ) {}

  get status(): Phase {
    return this.phase;
  }

  /** The transport is connected (plain TCP, or already TLS for direct TLS). */
  start(transport: { secure: boolean }): void {
    this.secure = transport.secure;
    this.openStream();
  }

  /** The STARTTLS upgrade finished (certificate already verified by the shell). */
  tlsStarted(): void {
    if (this.phase !== 'tls-wait') return;
    this.secure = true;
    this.openStream();
  }

  streamOpened(attrs: Record<string, string>): void {
    if (this.phase === 'closed') return;
    if (!/^1\.\d+$/.test(attrs.version ?? '')) this.fail({ code: 'protocol', condition: 'unsupported-version', message: 'The server speaks an unsupported XMPP version.' }, 'unsupported-version');
  }

  stanza(el: XmlElement): void {
    if (this.phase === 'closed') return;
    if (isStreamElement(el, 'error')) {
      this.sink({ t: 'write', data: STREAM_CLOSE });
      this.end(streamErrorToConnectionError(parseStreamError(el)));
      return;
    }
    switch (this.phase) {
      case 'stream':
        if (isStreamElement(el, 'features')) this.onFeatures(el);
        return;
      case 'starttls':
        if (el.ns === NS.tls && el.name === 'proceed') {
          this.setPhase('tls-wait');
          this.sink({ t: 'startTls' });
        } else this.fail({ code: 'tls-failed', message: 'The server refused to start TLS.' }, undefined);
        return;
      case 'fetch':
      case 'submit':
        if (el.name === 'iq' && el.attr('id') === this.pendingId) this.onIqResponse(el);
        return;
      default:
        this.opts.log.debug('registration: element ignored', { name: el.name, phase: this.phase });
    }
  }

  /** The user filled in the form. Throws FormInvalidError (nothing sent) when required fields are empty. */
  submit(values: FormValues): void {
    if (this.phase !== 'form' || !this.form) throw new Error(`no registration form to submit (${this.phase})`);
    const query = buildRegisterSubmit(this.form, values); // throws FormInvalidError before anything is sent
    const field = this.form.form.fields.find((f) => f.var === 'username');
    this.username = (values.username?.[0] ?? field?.values[0])?.trim();
    this.sendIq('submit', buildRegisterSet(query, this.opts.domain));
  }

  streamClosed(): void {
    if (this.phase === 'closed') return;
    this.sink({ t: 'write', data: STREAM_CLOSE });
    this.end({ code: 'closed', message: 'The server closed the connection.' });
  }

  parseError(condition: string, text: string): void {
    if (this.phase === 'closed') return;
    this.fail({ code: condition === 'policy-violation' ? 'policy-violation' : 'protocol', condition, message: `The server sent data Flint refuses (${condition}): ${text}` }, condition);
  }

  transportClosed(reason?: string): void {
    if (this.phase === 'closed') return;
    this.end({ code: 'closed', message: reason ? `Connection lost: ${reason}` : 'Connection lost.' });
  }

  /** About once a second. No timeout while the form waits for the user. */
  tick(now: number): void {
    if (this.phase === 'closed' || this.phase === 'idle' || this.phase === 'form') return;
    if (now - this.phaseSince > (this.opts.negotiationTimeoutMs ?? DEFAULT_TIMEOUT)) {
      this.fail({ code: 'timeout', message: `The server did not answer in time (during ${this.phase}).` }, 'connection-timeout');
    }
  }

  /** Give up (the user cancelled): `</stream:stream>`. */
  close(): void {
    if (this.phase === 'closed') return;
    if (this.phase !== 'idle') this.sink({ t: 'write', data: STREAM_CLOSE });
    this.end(undefined);
  }

  // ---------------------------------------------------------------- steps

  private setPhase(p: Phase): void {
    this.phase = p;
    this.phaseSince = this.opts.clock.now();
  }

  private openStream(): void {
    this.setPhase('stream');
    // No 'from': we have no JID yet (RFC 6120 §4.7.1 makes it optional before authentication).
    this.sink({ t: 'open', header: streamHeader({ to: this.opts.domain, version: '1.0', 'xml:lang': 'en' }) });
  }

  private onFeatures(features: XmlElement): void {
    if (!this.secure) {
      if (features.child('starttls', NS.tls)) {
        this.setPhase('starttls');
        this.sink({ t: 'write', data: serialize(x('starttls', { xmlns: NS.tls })) });
        return;
      }
      if (this.opts.tlsMode !== 'plaintext') {
        // RFC 7590: a new password never goes over an unencrypted connection unless the user said so.
        this.fail({ code: 'no-tls', message: 'The server does not offer encryption (STARTTLS), so Flint did not send anything. You can allow unencrypted connections in Advanced settings.' }, 'policy-violation');
        return;
      }
    }
    if (!features.child('register', REGISTER_FEATURE_NS)) {
      this.sink({ t: 'write', data: STREAM_CLOSE });
      this.end({ code: 'protocol', condition: 'feature-not-implemented', message: 'This server does not offer creating accounts from the app (in-band registration).' });
      return;
    }
    this.sendIq('fetch', buildRegisterGet(this.opts.domain));
  }

  private sendIq(phase: 'fetch' | 'submit', iq: XmlElement): void {
    this.pendingId = `reg${++this.idCounter}`;
    iq.attrs.id = this.pendingId;
    this.setPhase(phase);
    this.sink({ t: 'write', data: serialize(iq) });
  }

  private onIqResponse(iq: XmlElement): void {
    // Before authentication only the server talks to us: the answer has no from, or the domain.
    const from = iq.attr('from');
    if (from !== undefined && from.toLowerCase() !== this.opts.domain.toLowerCase()) return;
    const type = iq.attr('type');
    if (type !== 'result' && type !== 'error') return;
    this.pendingId = undefined;
    if (this.phase === 'fetch') {
      if (type === 'error') {
        const e = parseStanzaError(iq) ?? { condition: 'undefined-condition', type: 'cancel' };
        this.sink({ t: 'write', data: STREAM_CLOSE });
        this.end({ code: 'protocol', condition: e.condition, message: REJECTIONS[e.condition] ?? `The server refused to send a registration form (${describeStanzaError(e)}).` });
        return;
      }
      this.form = parseRegistrationForm(iq.child('query', REGISTER_NS));
      this.setPhase('form');
      this.sink({ t: 'form', form: this.form });
      return;
    }
    if (type === 'error') {
      const e = parseStanzaError(iq) ?? { condition: 'undefined-condition', type: 'cancel' };
      this.setPhase('form');
      const base = REJECTIONS[e.condition] ?? `The server refused the registration (${describeStanzaError(e)}).`;
      this.sink({ t: 'rejected', condition: e.condition, message: e.text && REJECTIONS[e.condition] ? `${base} Server said: “${e.text.slice(0, 300)}”` : base });
      return;
    }
    const jid = this.username ? `${this.username}@${this.opts.domain}` : this.opts.domain;
    this.sink({ t: 'registered', jid });
    this.close();
  }

  private fail(err: ConnectionError, streamCondition: string | undefined): void {
    if (this.phase === 'closed') return;
    if (streamCondition) this.sink({ t: 'write', data: `<stream:error><${streamCondition} xmlns='${NS.streams}'/></stream:error>${STREAM_CLOSE}` });
    this.end(err);
  }

  private end(error: ConnectionError | undefined): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.pendingId = undefined;
    this.sink(error ? { t: 'closed', error } : { t: 'closed' });
  }
}

export { FormInvalidError };
