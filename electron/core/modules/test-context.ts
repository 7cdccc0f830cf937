// Unit tests run the protocol modules in the app's own ModuleHost (module-host.ts) and IqTracker
// (stream/iq-tracker.ts): module state, APIs, iq routes, message/presence dispatch, the error
// answers and the matching of iq responses are the code a Connection runs. Only the surroundings
// are the test's:
// - TestContext stands where the Connection does (the host's ModuleHostLink): it records every
//   stanza written and event emitted, has a manual clock, counting ids, a seeded crypto and a
//   recording logger, and lets the test answer the iqs the modules send (by hand or with a
//   responder). It is also a ModuleContext: the live stream's own, for calling a module directly.
// - ModuleTestBed drives the host through a stream as the Connection does (start, online steps,
//   end) and feeds received stanzas in, giving back the answer to an iq get/set.
import { bareJid, parseJid } from '../../../shared/jid';
import type { Contact, Subscription } from '../../../shared/domain';
import type { CoreEvent } from '../events';
import { defineModule, IqError, type AnyModule, type ModuleContext } from '../module';
import { ModuleHost } from '../module-host';
import type { Clock, CryptoPort, LogFields, Logger } from '../ports';
import { IqTracker } from '../stream/iq-tracker';
import { x, type XmlElement } from '../xml/element';
import { serialize } from '../xml/serialize';
import { StreamParser } from '../xml/stream-parser';
import { buildStanzaError } from './stanza-error';
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
}

/** How a test answers an iq: an element (the payload of a result), null (empty result), an IqError, or undefined (leave it pending). */
export type IqReply = XmlElement | null | IqError | undefined;

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: LogFields;
}

/**
 * The app's IqTracker, watched: which iqs it still waits on and what was sent for each. track()
 * goes through trackCallback() so that the test sees an iq settle (or time out) at once.
 */
class WatchedIqTracker extends IqTracker {
  /** id → the iq sent (undefined between track() and the host writing it). */
  private readonly waiting = new Map<string, XmlElement | undefined>();

  override track(id: string, to: string | undefined, timeoutMs: number): Promise<XmlElement> {
    return new Promise((resolve, reject) => {
      this.waiting.set(id, undefined);
      this.trackCallback(id, to, timeoutMs, (result, error) => {
        this.waiting.delete(id);
        if (error) reject(error);
        else resolve(result!);
      });
    });
  }

  isWaiting(id: string): boolean {
    return this.waiting.has(id);
  }

  /** The host wrote the iq it tracks under this id. */
  noteSent(id: string, el: XmlElement): void {
    if (this.waiting.has(id)) this.waiting.set(id, el);
  }

  /** The iqs sent that have no answer yet, oldest first. */
  sentIqs(): XmlElement[] {
    return [...this.waiting.values()].filter((el) => el !== undefined);
  }
}

export class TestContext implements ModuleContext {
  readonly jid: string;
  readonly bareJid: string;
  readonly domain: string;
  readonly crypto: CryptoPort;
  readonly clock: Clock;
  readonly log: Logger;
  /** Every top-level element the host wrote (iqs from iq() and answers to received iqs included), in order. */
  readonly sent: XmlElement[] = [];
  readonly events: CoreEvent[] = [];
  readonly logs: LogLine[] = [];
  /** Answers outgoing iqs as they are sent; return undefined to leave one pending for answerIq(). */
  responder?: (iq: XmlElement) => IqReply;
  /** The app's module host the modules run in. */
  readonly moduleHost: ModuleHost;

  /** The app's iq tracker the host tracks the modules' iqs with. */
  private readonly iqs: WatchedIqTracker;
  /** A stream is up: what the Connection's phase 'online' is to the host (false: 'closed'). */
  private live = false;

  private nowMs: number;
  private idCounter = 0;
  /** Received iq get/set ids whose answer the host has not written yet. */
  private readonly answerWaiters = new Map<string, (answer: XmlElement) => void>();

  constructor(modules: AnyModule[], opts: TestContextOptions = {}) {
    this.jid = opts.jid ?? TEST_JID;
    this.bareJid = bareJid(this.jid);
    this.domain = parseJid(this.jid).domain;
    this.nowMs = opts.now ?? TEST_NOW;
    this.crypto = opts.crypto ?? testCrypto();
    this.clock = { now: () => this.nowMs };
    const line = (level: LogLine['level']) => (msg: string, fields?: LogFields) => {
      this.logs.push(fields ? { level, msg, fields } : { level, msg });
    };
    this.log = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
    this.iqs = new WatchedIqTracker(this.clock);
    const hostOpts = { jid: this.bareJid, modules, clock: this.clock, crypto: this.crypto, log: this.log };
    this.moduleHost = new ModuleHost(hostOpts, this.domain, this.iqs, {
      isOnline: () => this.live,
      isClosed: () => !this.live,
      write: (el) => this.write(el),
      nextId: () => `id${++this.idCounter}`,
      emit: (event) => {
        this.events.push(event);
      },
      boundJid: () => this.jid,
    });
  }

  /** A new stream (the current one ends first, as a connection's does): fresh state, APIs and iq routes. */
  startStream(): void {
    if (this.live) this.endStream();
    this.live = true;
    this.moduleHost.start();
  }

  /** Ends the stream the way Connection.end() does: pending iqs rejected, then every module's offline step. */
  endStream(): void {
    this.live = false;
    this.iqs.rejectAll(new IqError('remote-server-timeout', 'wait', 'the stream ended'));
    this.moduleHost.stop();
  }

  // ---- ModuleContext: the live stream's context, the one the modules were given ----

  private current(): ModuleContext {
    const ctx = this.moduleHost.context;
    if (!ctx) throw new Error('no stream is up (offline)');
    return ctx;
  }

  id(): string {
    return this.current().id();
  }

  send(el: XmlElement): void {
    this.current().send(el);
  }

  iq(el: XmlElement, timeoutMs?: number): Promise<XmlElement> {
    return this.current().iq(el, timeoutMs);
  }

  emit(event: CoreEvent): void {
    this.current().emit(event);
  }

  module<T = unknown>(name: string): T {
    return this.current().module<T>(name);
  }

  features(): string[] {
    return this.current().features();
  }

  // ---- test controls ----

  /** The iqs sent with iq() that have no answer yet, oldest first. */
  pendingIqs(): XmlElement[] {
    return this.iqs.sentIqs();
  }

  /**
   * Answers a pending iq by id, or the oldest pending one matching a predicate: a result or error
   * from the entity it was sent to, received through the host like any other stanza.
   */
  answerIq(which: string | ((iq: XmlElement) => boolean), reply: XmlElement | null | IqError): void {
    const sent = typeof which === 'string' ? this.pendingIqs().find((q) => q.attr('id') === which) : this.pendingIqs().find(which);
    if (!sent) throw new Error(`no pending iq ${typeof which === 'string' ? which : 'matching'}`);
    const attrs = { id: sent.attr('id'), from: sent.attr('to') };
    const answer =
      reply instanceof IqError
        ? x('iq', { type: 'error', ...attrs }, buildStanzaError(reply.condition, reply.errorType, reply.text))
        : x('iq', { type: 'result', ...attrs }, reply);
    if (!this.receiveIqResponse(answer)) throw new Error(`the host did not take the answer to iq ${attrs.id}`);
  }

  /** Routes a received result/error iq through the host; true when it settled a pending iq() (the tracker checks the sender). */
  receiveIqResponse(el: XmlElement): boolean {
    const id = el.attr('id') ?? '';
    const waited = this.iqs.isWaiting(id);
    this.moduleHost.route(el);
    return waited && !this.iqs.isWaiting(id);
  }

  /** Moves the clock; pending iqs whose timeout passed are rejected, as the connection's tick does. */
  advance(ms: number): void {
    this.nowMs += ms;
    this.iqs.expire(this.nowMs);
  }

  eventsOf<T extends CoreEvent['type']>(type: T): Extract<CoreEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<CoreEvent, { type: T }> => e.type === type);
  }

  sentOf(name: 'iq' | 'message' | 'presence'): XmlElement[] {
    return this.sent.filter((e) => e.name === name);
  }

  /** Forget what was sent, emitted and logged so far (the clock, ids and pending iqs stay). */
  clear(): void {
    this.sent.length = 0;
    this.events.length = 0;
    this.logs.length = 0;
  }

  /**
   * Routes a received stanza through the host. For an iq get/set this resolves with the host's
   * answer (also in `sent`) once written: RFC 6120 §8.2.3, it gets exactly one, a result or an
   * error. Anything else resolves with undefined once routed.
   */
  receive(el: XmlElement): Promise<XmlElement | undefined> {
    const id = el.attr('id');
    const type = el.attr('type');
    if (el.name !== 'iq' || (type !== 'get' && type !== 'set') || !id) {
      this.moduleHost.route(el);
      return Promise.resolve(undefined);
    }
    // The answers carry only the id: two iqs awaiting theirs under one id could not be told apart.
    if (this.answerWaiters.has(id)) throw new Error(`a received iq with id ${id} still awaits its answer`);
    const answer = new Promise<XmlElement>((resolve) => this.answerWaiters.set(id, resolve));
    this.moduleHost.route(el);
    return answer;
  }

  private write(el: XmlElement): void {
    this.sent.push(el);
    if (el.name !== 'iq') return;
    const id = el.attr('id') ?? '';
    const type = el.attr('type');
    if (type === 'result' || type === 'error') {
      const resolve = this.answerWaiters.get(id);
      this.answerWaiters.delete(id);
      resolve?.(el);
    } else if (this.iqs.isWaiting(id)) {
      this.iqs.noteSent(id, el);
      const reply = this.responder?.(el);
      if (reply !== undefined) this.answerIq(id, reply);
    }
  }
}

/**
 * Runs modules in the app's ModuleHost over a TestContext: registration order is dispatch order,
 * features are the sorted union of the modules' features, APIs are reachable through ctx.module().
 * The stream is up from construction on.
 */
export class ModuleTestBed {
  readonly ctx: TestContext;
  /** Each module's state of the current stream, noted as init() makes it. */
  private readonly states = new Map<string, unknown>();

  constructor(defs: AnyModule[], opts: TestContextOptions = {}) {
    // The definitions the host gets are the modules' own but for init(), which also notes the
    // state for state(): Object.create keeps every other member (and `this`) the module's.
    const noted = defs.map((def) => {
      const init = () => {
        const state: unknown = def.init?.();
        this.states.set(def.name, state);
        return state;
      };
      return Object.create(def, { init: { value: init } }) as AnyModule;
    });
    this.ctx = new TestContext(noted, opts);
    this.startStream();
  }

  /** A new stream (the current one ends first, as a connection's does): fresh state, APIs and iq routes. */
  startStream(): void {
    this.ctx.startStream();
  }

  api<T>(name: string): T {
    return this.ctx.moduleHost.api<T>(name);
  }

  state<S>(name: string): S {
    if (!this.states.has(name)) throw new Error(`module ${name} is not registered`);
    return this.states.get(name) as S;
  }

  /** Runs the modules' online steps, as the connection does once the resource is bound. */
  async online(): Promise<void> {
    const ctx = this.ctx.moduleHost.context;
    if (!ctx) throw new Error('no stream is up (offline)');
    await this.ctx.moduleHost.runOnlineSteps(ctx);
  }

  /** Ends the stream the way Connection does: pending iqs rejected, then every module's offline step. */
  offline(): void {
    this.ctx.endStream();
  }

  /** Routes a received stanza through the host; for an iq get/set, resolves with the host's answer (see TestContext.receive). */
  receive(el: XmlElement): Promise<XmlElement | undefined> {
    return this.ctx.receive(el);
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
