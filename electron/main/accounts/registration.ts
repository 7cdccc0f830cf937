// In-band registration from the login screen (XEP-0077 §3.1): the shell around the pure
// RegisterSession (electron/core/register-session.ts), the way session.ts is the shell around
// Connection — endpoints → socket → STARTTLS with the certificate checked → the server's form →
// the user's answer → registered (or rejected, and the form stays open for another try).
// One registration at a time; starting another cancels the first.
import type { ConnectionError, TlsMode } from '../../../shared/domain';
import type { FormValues, RegistrationForm } from '../../../shared/forms';
import type { RegistrationOutcome } from '../../../shared/ipc/profile-contract';
import type { Logger } from '../../core/ports';
import { RegisterSession, type RegisterEffect } from '../../core/register-session';
import { StreamParser } from '../../core/xml/stream-parser';
import { resolveEndpoints, type DnsPort } from '../net/resolve';
import { connectFirst, TlsVerifyError, type Transport, type TlsPolicy } from '../net/transport';

export interface RegistrationTarget {
  domain: string;
  host?: string;
  port?: number;
  tlsMode: TlsMode;
}

export interface RegistrationRunnerOptions {
  log: Logger;
  extraCa?: string[];
  dns?: DnsPort;
  tlsMaxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Connect/negotiation timeout (default 15 s connect, 30 s per step). */
  timeoutMs?: number;
}

/** The attempt failed or ended; `message` is for the user. */
export class RegistrationError extends Error {
  constructor(readonly error: ConnectionError) {
    super(error.message);
    this.name = 'RegistrationError';
  }
}

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

class Attempt {
  private transport?: Transport;
  private parser?: StreamParser;
  private readonly session: RegisterSession;
  private timer?: ReturnType<typeof setInterval>;
  private formWaiter?: Waiter<RegistrationForm>;
  private submitWaiter?: Waiter<RegistrationOutcome>;
  private ended = false;
  private endError?: Error;

  constructor(
    private readonly target: RegistrationTarget,
    private readonly opts: RegistrationRunnerOptions,
  ) {
    this.session = new RegisterSession(
      { domain: target.domain, tlsMode: target.tlsMode, clock: { now: () => Date.now() }, log: opts.log, negotiationTimeoutMs: opts.timeoutMs },
      (e) => this.effect(e),
    );
  }

  start(): Promise<RegistrationForm> {
    const form = new Promise<RegistrationForm>((resolve, reject) => (this.formWaiter = { resolve, reject }));
    void this.connect();
    return form;
  }

  submit(values: FormValues): Promise<RegistrationOutcome> {
    if (this.ended) return Promise.reject(this.endError ?? new Error('The registration has ended.'));
    if (this.submitWaiter) return Promise.reject(new Error('A registration is already being submitted.'));
    const outcome = new Promise<RegistrationOutcome>((resolve, reject) => (this.submitWaiter = { resolve, reject }));
    try {
      this.session.submit(values); // throws FormInvalidError before anything is sent
    } catch (e) {
      this.submitWaiter = undefined;
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return outcome;
  }

  cancel(): void {
    this.session.close();
  }

  private async connect(): Promise<void> {
    const { domain, host, port, tlsMode } = this.target;
    let transport: Transport;
    const policy: TlsPolicy = { servername: domain, ca: this.opts.extraCa, maxVersion: this.opts.tlsMaxVersion };
    try {
      const endpoints = await resolveEndpoints(domain, { host, port, tlsMode }, this.opts.dns);
      ({ transport } = await connectFirst(endpoints, { tls: policy, timeoutMs: this.opts.timeoutMs ?? 15_000 }));
    } catch (err) {
      this.finish(connectError(err, domain));
      return;
    }
    if (this.ended) {
      transport.destroy();
      return;
    }
    this.transport = transport;
    transport.onData((text) => this.parser?.write(text));
    transport.onClose((err) => {
      this.session.transportClosed(err?.message);
      this.finish({ code: 'closed', message: 'The connection was closed.' });
    });
    this.timer = setInterval(() => this.session.tick(Date.now()), 1_000);
    this.timer.unref?.();
    this.session.start({ secure: transport.secure });
  }

  private effect(e: RegisterEffect): void {
    const t = this.transport;
    switch (e.t) {
      case 'open':
        this.parser = new StreamParser({
          streamOpen: (attrs) => this.session.streamOpened(attrs),
          stanza: (el) => this.session.stanza(el),
          streamClose: () => this.session.streamClosed(),
          error: (err) => this.session.parseError(err.condition, err.text),
        });
        t?.write(e.header);
        return;
      case 'write':
        t?.write(e.data);
        return;
      case 'startTls':
        this.parser = undefined; // nothing more may be read from the plaintext stream
        t?.startTls({ servername: this.target.domain, ca: this.opts.extraCa, maxVersion: this.opts.tlsMaxVersion }).then(
          () => this.session.tlsStarted(),
          (err: unknown) => {
            this.finish(connectError(err, this.target.domain));
            t.destroy();
          },
        );
        return;
      case 'form': {
        const w = this.formWaiter;
        this.formWaiter = undefined;
        w?.resolve(e.form);
        return;
      }
      case 'rejected': {
        const w = this.submitWaiter;
        this.submitWaiter = undefined;
        w?.resolve({ status: 'rejected', condition: e.condition, message: e.message });
        return;
      }
      case 'registered': {
        const w = this.submitWaiter;
        this.submitWaiter = undefined;
        w?.resolve({ status: 'registered', jid: e.jid });
        return;
      }
      case 'closed':
        this.finish(e.error);
        t?.close();
        return;
    }
  }

  private finish(error: ConnectionError | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (this.timer) clearInterval(this.timer);
    const err = error ? new RegistrationError(error) : new Error('The registration was cancelled.');
    this.endError = err;
    this.formWaiter?.reject(err);
    this.submitWaiter?.reject(err);
    this.formWaiter = undefined;
    this.submitWaiter = undefined;
  }
}

function connectError(err: unknown, domain: string): ConnectionError {
  if (err instanceof TlsVerifyError) {
    return { code: 'cert-untrusted', certProblem: err.problem, cert: err.cert, message: `The certificate of ${domain} could not be verified (${err.problem.replace(/-/g, ' ')}). Nothing was sent.` };
  }
  const inner = (err as { errors?: unknown[] }).errors?.find((e) => e instanceof TlsVerifyError);
  if (inner) return connectError(inner, domain);
  return { code: 'unreachable', message: `Could not reach the server for ${domain}: ${(err as Error)?.message ?? String(err)}` };
}

export class RegistrationRunner {
  private current?: Attempt;

  constructor(private readonly opts: RegistrationRunnerOptions) {}

  /** Connects and resolves with the server's registration form (rejects with RegistrationError). */
  start(target: RegistrationTarget): Promise<RegistrationForm> {
    this.cancel();
    const attempt = new Attempt(target, this.opts);
    this.current = attempt;
    return attempt.start();
  }

  submit(values: FormValues): Promise<RegistrationOutcome> {
    if (!this.current) return Promise.reject(new Error('No registration in progress: start one first.'));
    const attempt = this.current;
    return attempt.submit(values).then((outcome) => {
      if (outcome.status === 'registered' && this.current === attempt) this.current = undefined;
      return outcome;
    });
  }

  cancel(): void {
    this.current?.cancel();
    this.current = undefined;
  }
}
