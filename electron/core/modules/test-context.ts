// A fake ModuleContext and a small module host for unit tests: no sockets, no timers.
// - TestContext records every stanza sent and every event emitted, lets the test answer the iqs a
//   module sends (by hand or with a responder), and has a manual clock, counting ids and a seeded crypto.
// - ModuleHost registers module definitions the way the connection does (state from init(), api(),
//   features, iq routes, message/presence dispatch in order), so a test can feed stanzas in and look
//   at what comes out.
import { defineModule, IqError, type IqRoute, type ModuleContext, type AnyModule } from '../module';
import type { Contact, Subscription } from '../../../shared/domain';
import type { CoreEvent } from '../events';
import type { Clock, CryptoPort, LogFields, Logger } from '../ports';
import { x, type XmlElement } from '../xml/element';
import { serialize } from '../xml/serialize';
import { StreamParser } from '../xml/stream-parser';
import { buildStanzaError, iqErrorFrom } from './stanza-error';
import { testCrypto } from './test-crypto';

export const TEST_JID = 'alice@example.org/flint';
/** 2023-11-14T22:13:20Z: a fixed "now" for tests. */
export const TEST_NOW = 1_700_000_000_000;

export interface TestContextOptions {
  /** Full JID bound for the stream (default TEST_JID). */
  jid?: string;
  /** Clock start, epoch ms (default TEST_NOW). */
  now?: number;
  crypto?: CryptoPort;
  /** What ctx.features() returns (default: none, or the registered modules' features in a ModuleHost). */
  features?: () => string[];
}

/** How a test answers an iq: an element (the payload of a result), null (empty result), an IqError, or undefined (leave it pending). */
export type IqReply = XmlElement | null | IqError | undefined;

export interface PendingIq {
  id: string;
  el: XmlElement;
  deadline: number;
  resolve(el: XmlElement): void;
  reject(err: Error): void;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: LogFields;
}

/** The timeout error the fake context rejects with: an IqError without `el` (it did not come from the wire). */
export const timeoutError = (): IqError => new IqError('remote-server-timeout', 'wait', 'timed out');

export class TestContext implements ModuleContext {
  readonly jid: string;
  readonly bareJid: string;
  readonly domain: string;
  readonly crypto: CryptoPort;
  readonly clock: Clock;
  readonly log: Logger;
  /** Every top-level element sent (iqs from iq() included), in order. */
  readonly sent: XmlElement[] = [];
  readonly events: CoreEvent[] = [];
  readonly logs: LogLine[] = [];
  /** Module APIs reachable through module(name). */
  readonly apis = new Map<string, unknown>();
  /** Answers outgoing iqs as they are sent; return undefined to leave one pending for answerIq(). */
  responder?: (iq: XmlElement) => IqReply;
  /** Default timeout of iq() in ms when the caller gives none. */
  iqTimeoutMs = 30_000;

  private nowMs: number;
  private idCounter = 0;
  private readonly pending = new Map<string, PendingIq>();
  private readonly featuresFn: () => string[];

  constructor(opts: TestContextOptions = {}) {
    this.jid = opts.jid ?? TEST_JID;
    const slash = this.jid.indexOf('/');
    this.bareJid = slash < 0 ? this.jid : this.jid.slice(0, slash);
    const at = this.bareJid.indexOf('@');
    this.domain = at < 0 ? this.bareJid : this.bareJid.slice(at + 1);
    this.nowMs = opts.now ?? TEST_NOW;
    this.crypto = opts.crypto ?? testCrypto();
    this.featuresFn = opts.features ?? (() => []);
    this.clock = { now: () => this.nowMs };
    const line = (level: LogLine['level']) => (msg: string, fields?: LogFields) => {
      this.logs.push(fields ? { level, msg, fields } : { level, msg });
    };
    this.log = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  }

  id(): string {
    return `id${++this.idCounter}`;
  }

  send(el: XmlElement): void {
    this.sent.push(el);
  }

  iq(el: XmlElement, timeoutMs?: number): Promise<XmlElement> {
    const type = el.attr('type');
    if (el.name !== 'iq' || (type !== 'get' && type !== 'set')) throw new Error(`iq() takes an iq get/set, got <${el.name} type=${type}>`);
    if (!el.attr('id')) el.attrs.id = this.id();
    const id = el.attrs.id!;
    this.sent.push(el);
    return new Promise<XmlElement>((resolve, reject) => {
      this.pending.set(id, { id, el, deadline: this.nowMs + (timeoutMs ?? this.iqTimeoutMs), resolve, reject });
      const reply = this.responder?.(el);
      if (reply !== undefined) this.answerIq(id, reply);
    });
  }

  emit(event: CoreEvent): void {
    this.events.push(event);
  }

  module<T = unknown>(name: string): T {
    if (!this.apis.has(name)) throw new Error(`module ${name} is not registered`);
    return this.apis.get(name) as T;
  }

  features(): string[] {
    return this.featuresFn();
  }

  // ---- test controls ----

  /** The iqs sent with iq() that have no answer yet, oldest first. */
  pendingIqs(): XmlElement[] {
    return [...this.pending.values()].map((p) => p.el);
  }

  /** Answers a pending iq by id, or the oldest pending one matching a predicate. */
  answerIq(which: string | ((iq: XmlElement) => boolean), reply: XmlElement | null | IqError): void {
    const p = typeof which === 'string' ? this.pending.get(which) : [...this.pending.values()].find((q) => which(q.el));
    if (!p) throw new Error(`no pending iq ${typeof which === 'string' ? which : 'matching'}`);
    this.pending.delete(p.id);
    const to = p.el.attr('to');
    if (reply instanceof IqError) {
      const el = x('iq', { type: 'error', id: p.id, from: to }, buildStanzaError(reply.condition, reply.errorType, reply.text));
      p.reject(new IqError(reply.condition, reply.errorType, reply.text, el));
    } else {
      p.resolve(x('iq', { type: 'result', id: p.id, from: to }, reply));
    }
  }

  /** Resolves or rejects a pending iq from a received result/error iq; false when its id is unknown. */
  receiveIqResponse(el: XmlElement): boolean {
    const p = this.pending.get(el.attr('id') ?? '');
    if (!p) return false;
    this.pending.delete(p.id);
    if (el.attr('type') === 'result') p.resolve(el);
    else p.reject(iqErrorFrom(el));
    return true;
  }

  /** Moves the clock; pending iqs whose timeout passed are rejected with timeoutError(). */
  advance(ms: number): void {
    this.nowMs += ms;
    for (const p of [...this.pending.values()]) {
      if (p.deadline <= this.nowMs) {
        this.pending.delete(p.id);
        p.reject(timeoutError());
      }
    }
  }

  /** The stream ended: every pending iq is rejected, as the connection does. */
  endStream(): void {
    for (const p of [...this.pending.values()]) p.reject(new Error('stream ended'));
    this.pending.clear();
  }

  eventsOf<T extends CoreEvent['type']>(type: T): Extract<CoreEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<CoreEvent, { type: T }> => e.type === type);
  }

  sentOf(name: 'iq' | 'message' | 'presence'): XmlElement[] {
    return this.sent.filter((e) => e.name === name);
  }

  /** Forget what was sent and emitted so far (the clock, ids and pending iqs stay). */
  clear(): void {
    this.sent.length = 0;
    this.events.length = 0;
    this.logs.length = 0;
  }
}

interface Mounted {
  def: AnyModule;
  state: unknown;
}

/**
 * Hosts modules over a TestContext the way the connection does: registration order is dispatch
 * order, features are the union of the modules' features, apis are reachable through ctx.module().
 */
export class ModuleHost {
  readonly ctx: TestContext;
  private mounted: Mounted[] = [];

  constructor(
    private readonly defs: AnyModule[],
    opts: Omit<TestContextOptions, 'features'> = {},
  ) {
    this.ctx = new TestContext({ ...opts, features: () => [...new Set(this.defs.flatMap((d) => d.features ?? []))] });
    this.startStream();
  }

  /** Fresh per-stream state and apis for every module (what a new stream does). */
  startStream(): void {
    this.ctx.apis.clear();
    this.mounted = this.defs.map((def) => ({ def, state: def.init?.() }));
    for (const m of this.mounted) if (m.def.api) this.ctx.apis.set(m.def.name, m.def.api(this.ctx, m.state));
  }

  api<T>(name: string): T {
    return this.ctx.module<T>(name);
  }

  state<S>(name: string): S {
    const m = this.mounted.find((mm) => mm.def.name === name);
    if (!m) throw new Error(`module ${name} is not registered`);
    return m.state as S;
  }

  /** Runs every module's online() in registration order, each awaited before the next. */
  async online(): Promise<void> {
    for (const m of this.mounted) await m.def.online?.(this.ctx, m.state);
  }

  /** Ends the stream: pending iqs rejected, offline() on every module. */
  offline(): void {
    this.ctx.endStream();
    for (const m of this.mounted) m.def.offline?.(m.state);
  }

  tick(): void {
    for (const m of this.mounted) m.def.tick?.(this.ctx.clock.now(), this.ctx, m.state);
  }

  /**
   * Feeds a received stanza. An iq get/set is routed to its handler and the response (also recorded
   * in ctx.sent) is returned; results/errors settle pending iq() calls; message/presence go to each
   * module in order until one consumes it.
   */
  async receive(el: XmlElement): Promise<XmlElement | undefined> {
    if (el.name === 'iq') {
      const type = el.attr('type');
      if (type === 'result' || type === 'error') {
        this.ctx.receiveIqResponse(el);
        return undefined;
      }
      const response = await this.routeIq(el);
      if (response) this.ctx.send(response);
      return response;
    }
    for (const m of this.mounted) {
      const hook = el.name === 'message' ? m.def.message : el.name === 'presence' ? m.def.presence : undefined;
      if (hook?.call(m.def, el, this.ctx, m.state) === true) break;
    }
    return undefined;
  }

  private async routeIq(iq: XmlElement): Promise<XmlElement | undefined> {
    const type = iq.attr('type');
    const id = iq.attr('id');
    const to = iq.attr('from');
    if ((type !== 'get' && type !== 'set') || !id) return undefined; // RFC 6120 §8.2.3: never answer a malformed iq with an iq
    const payload = iq.elements()[0];
    let route: IqRoute | undefined;
    let state: unknown;
    for (const m of this.mounted) {
      route = m.def.iq?.find((r) => r.type === type && r.ns === payload?.ns && r.child === payload?.name);
      if (route) {
        state = m.state;
        break;
      }
    }
    const error = (e: IqError) => x('iq', { type: 'error', id, to }, buildStanzaError(e.condition, e.errorType, e.text));
    // RFC 6120 §8.4: an iq nobody handles gets service-unavailable.
    if (!route) return error(new IqError('service-unavailable', 'cancel'));
    try {
      const child = await route.handle(iq, this.ctx, state);
      return x('iq', { type: 'result', id, to }, child);
    } catch (e) {
      if (e instanceof IqError) return error(e);
      return error(new IqError('internal-server-error', 'wait'));
    }
  }
}

/** Waits until queued promise continuations have run (module code awaiting answered iqs). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

/**
 * Parses stanza XML the way the connection receives it: inside a jabber:client stream, so the
 * stanza and its unqualified children carry ns 'jabber:client'.
 */
export function stanza(xml: string): XmlElement {
  const out: XmlElement[] = [];
  let failure: string | undefined;
  const parser = new StreamParser({
    streamOpen() {},
    stanza: (el) => out.push(el),
    streamClose() {},
    error: (e) => (failure = `${e.condition}: ${e.text}`),
  });
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>${xml}`);
  if (failure !== undefined) throw new Error(`stanza(): ${failure}`);
  if (out.length !== 1) throw new Error(`stanza(): expected one element, got ${out.length}`);
  return out[0]!;
}

/** The wire form of an element (for readable assertions on what was sent). */
export const wire = (el: XmlElement): string => serialize(el);

/** A stand-in roster module with these subscriptions (what presence-authorization.ts consults). */
export function rosterWith(subs: Record<string, Subscription>) {
  const items = (): Contact[] => Object.entries(subs).map(([jid, subscription]) => ({ jid, groups: [], subscription }));
  return defineModule({ name: 'rfc6121-roster', api: () => ({ items, get: (jid: string) => items().find((c) => c.jid === jid) }) });
}
