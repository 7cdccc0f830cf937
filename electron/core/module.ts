// The shape of a protocol module (one per RFC/XEP, see STYLE.md) and what the connection gives it.
// A module keeps its per-stream state in `state` created by `init()` and gets a fresh one on every new stream.
import type { XmlElement } from './xml/element';
import type { CoreEvent } from './events';
import type { Clock, CryptoPort, Logger } from './ports';

export class IqError extends Error {
  constructor(
    readonly condition: string,
    readonly errorType: string,
    readonly text?: string,
    readonly el?: XmlElement,
  ) {
    super(text ? `${condition}: ${text}` : condition);
  }
}

export interface ModuleContext {
  /** Full JID bound for this stream. */
  readonly jid: string;
  /** Bare JID of the account. */
  readonly bareJid: string;
  readonly domain: string;
  readonly clock: Clock;
  readonly crypto: CryptoPort;
  readonly log: Logger;
  /** A fresh unique id for a stanza. */
  id(): string;
  /** Send a stanza (top-level element). */
  send(el: XmlElement): void;
  /** Send an iq get/set (id assigned when absent); resolves with the result iq, rejects with IqError (or on timeout / stream end). */
  iq(el: XmlElement, timeoutMs?: number): Promise<XmlElement>;
  emit(event: CoreEvent): void;
  /** Another module's public API by name (for cross-module calls such as caps ← disco). */
  module<T = unknown>(name: string): T;
  /** The disco#info features of this client (from all modules), for caps and disco responses. */
  features(): string[];
}

/** Return an element to answer with it; null for an empty result; throw IqError to answer with an error. */
export type IqHandler<S = unknown> = (iq: XmlElement, ctx: ModuleContext, state: S) => XmlElement | null | Promise<XmlElement | null>;

export interface IqRoute<S = unknown> {
  type: 'get' | 'set';
  /** Namespace and local name of the iq's payload child. */
  ns: string;
  child: string;
  handle: IqHandler<S>;
}

export interface ModuleDefinition<S = unknown, A = unknown> {
  name: string;
  /** Disco features this module announces (XEP-0030). */
  features?: string[];
  init?(): S;
  iq?: IqRoute<S>[];
  /** Return true when the stanza was consumed (no later module sees it). */
  message?(el: XmlElement, ctx: ModuleContext, state: S): boolean | void;
  presence?(el: XmlElement, ctx: ModuleContext, state: S): boolean | void;
  /** Runs once the stream is bound; the connection runs these one after another in module order, awaiting each. */
  online?(ctx: ModuleContext, state: S): void | Promise<void>;
  /** The stream ended (any reason): reject pending work, keep nothing. */
  offline?(state: S): void;
  /** Periodic clock tick from the shell (about once a second). */
  tick?(now: number, ctx: ModuleContext, state: S): void;
  /** Public API other modules and the account service call: created once per stream with access to ctx/state. */
  api?(ctx: ModuleContext, state: S): A;
}

/** A module of any state and API type (lists of modules hold these). */
export type AnyModule = ModuleDefinition<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function defineModule<S, A = unknown>(def: ModuleDefinition<S, A>): ModuleDefinition<S, A> {
  return def;
}

export const NS = {
  client: 'jabber:client',
  stream: 'http://etherx.jabber.org/streams',
  streams: 'urn:ietf:params:xml:ns:xmpp-streams',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  tls: 'urn:ietf:params:xml:ns:xmpp-tls',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  bind: 'urn:ietf:params:xml:ns:xmpp-bind',
  session: 'urn:ietf:params:xml:ns:xmpp-session',
  roster: 'jabber:iq:roster',
  rosterver: 'urn:xmpp:features:rosterver',
  discoInfo: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
  caps: 'http://jabber.org/protocol/caps',
  ping: 'urn:xmpp:ping',
  version: 'jabber:iq:version',
  delay: 'urn:xmpp:delay',
  sid: 'urn:xmpp:sid:0',
  idle: 'urn:xmpp:idle:1',
  saslCb: 'urn:xmpp:sasl-cb:0',
} as const;
