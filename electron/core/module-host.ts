// The protocol modules (module.ts) on a Connection's stream: once the resource is bound each gets
// fresh state, its public API and the context it talks through, and runs its online step in module
// order; when the stream ends each runs its offline step and everything is dropped. Stanzas past
// SASL are routed here: iq results to the tracker, iq get/set to the module that registered the
// payload (else an error answer), message and presence to each module until one consumes them.
import { bareJid } from '../../shared/jid';
import type { ConnectionOptions } from './connection';
import type { CoreEvent } from './events';
import { IqError, NS, type AnyModule, type IqRoute, type ModuleContext } from './module';
import { buildStanzaError } from './modules/stanza-error';
import type { IqTracker } from './stream/iq-tracker';
import { x, type XmlElement } from './xml/element';

type ModuleSlot = { def: AnyModule; state: unknown; api: unknown };

/** The part of the connection's options the modules see (the module unit tests build just this). */
export type ModuleHostOptions = Pick<ConnectionOptions, 'jid' | 'modules' | 'clock' | 'crypto' | 'log'>;

/** What the Connection lends the modules. */
export interface ModuleHostLink {
  /** Stanzas go out only while the stream is online. */
  isOnline(): boolean;
  isClosed(): boolean;
  write(el: XmlElement): void;
  nextId(): string;
  emit(event: CoreEvent): void;
  /** The full JID bound for this stream ('' before bind). */
  boundJid(): string;
}

export class ModuleHost {
  private slots: ModuleSlot[] = [];
  /** iq get/set routes of the current stream's modules, by (type, payload namespace, payload name). */
  private routes = new Map<string, { slot: ModuleSlot; route: IqRoute<any> }>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  /** This client's disco features: fixed for the connection (caps hashes them once per stream). */
  private readonly featureList: string[];
  private ctx?: ModuleContext;

  constructor(
    private readonly opts: ModuleHostOptions,
    private readonly domain: string,
    private readonly iqs: IqTracker,
    private readonly link: ModuleHostLink,
  ) {
    const features = new Set<string>();
    for (const d of opts.modules) for (const f of d.features ?? []) features.add(f);
    this.featureList = [...features].sort();
  }

  /** The context of the current online stream; undefined before online and once it ended. */
  get context(): ModuleContext | undefined {
    return this.ctx;
  }

  /** The stream is bound: fresh module state, APIs and iq routes. Returns the stream's context. */
  start(): ModuleContext {
    const ctx = this.makeContext();
    this.ctx = ctx;
    this.slots = this.opts.modules.map((def) => ({ def, state: def.init?.(), api: undefined }));
    this.routes = new Map();
    for (const slot of this.slots) {
      slot.api = slot.def.api?.(ctx, slot.state);
      for (const route of slot.def.iq ?? []) this.routes.set(routeKey(route.type, route.ns, route.child), { slot, route });
    }
    return ctx;
  }

  /**
   * RFC 6121 §2.2: roster before initial presence — so the online steps run in module order, each
   * awaited. A step that returns no promise is done and the next one runs at once, so every step up
   * to the first that waits (the roster fetch) has run when Connection.goOnline() returns.
   */
  async runOnlineSteps(ctx: ModuleContext): Promise<void> {
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

  /** The stream ended: every module's offline step, then nothing of this stream is kept. */
  stop(): void {
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
  }

  tick(now: number): void {
    if (this.ctx) for (const s of this.slots) s.def.tick?.(now, this.ctx, s.state);
  }

  api<T>(name: string): T {
    const slot = this.slots.find((s) => s.def.name === name);
    if (!slot) throw new Error(`module ${name} is not active (not online?)`);
    return slot.api as T;
  }

  /** A stanza after SASL (during bind and session too: their iq results are routed like any other). */
  route(el: XmlElement): void {
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
      if (this.link.isOnline()) this.link.write(x('iq', { type: 'result', id, to: iq.attr('from') }, child));
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
    if (this.link.isClosed()) return;
    this.link.write(x('iq', { type: 'error', id: iq.attr('id'), to: iq.attr('from') }, buildStanzaError(condition, type, text)));
  }

  /** Who may answer for the account itself: the server, from no address, the bare or the bound JID. */
  private expectedFrom(): string[] {
    return ['', bareJid(this.opts.jid), this.link.boundJid()];
  }

  private makeContext(): ModuleContext {
    const bare = bareJid(this.opts.jid);
    return {
      jid: this.link.boundJid(),
      bareJid: bare,
      domain: this.domain,
      clock: this.opts.clock,
      crypto: this.opts.crypto,
      log: this.opts.log,
      id: () => this.link.nextId(),
      send: (el: XmlElement) => {
        if (this.link.isOnline()) this.link.write(el);
      },
      iq: (el: XmlElement, timeoutMs = 30_000) => {
        if (!this.link.isOnline()) return Promise.reject(new IqError('not-online', 'cancel', 'not connected'));
        let id = el.attr('id');
        if (!id) {
          id = this.link.nextId();
          el.attrs.id = id;
        }
        const p = this.iqs.track(id, el.attr('to'), timeoutMs);
        this.link.write(el);
        return p;
      },
      emit: (event: CoreEvent) => this.link.emit(event),
      module: <T>(name: string): T => this.api<T>(name),
      features: () => [...this.featureList],
    };
  }
}

function routeKey(type: string, ns: string, child: string): string {
  return `${type} ${ns} ${child}`;
}
