// RFC 6121 §3–4: Managing Presence Subscriptions, Exchanging Presence Information —
// https://www.rfc-editor.org/rfc/rfc6121#section-3 (namespace jabber:client)
// With XEP-0115 caps in our presence, XEP-0319 idle and XEP-0172 nick read from others'.
import { defineModule, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { PresenceUpdate, Show, SubscriptionRequestKind } from '../../../../shared/domain';
import { bareJid, formatJid, jidEquals, tryParseJid } from '../../../../shared/jid';
import type { CapsApi } from '../xep0115-caps';
import { buildPresence, buildSubscription, type OwnPresence } from './build';
import { clampPriority, parseNick, parseResourcePresence, parseShow, parseStatus } from './parse';

export const PRESENCE_MODULE = 'rfc6121-presence';

export interface PresenceApi {
  /** Our presence: broadcast now when online and kept for the next streams. Priority unchanged when not given. */
  set(show: Show, status?: string, priority?: number): void;
  /** §3.1: ask to see `jid`'s presence (XEP-0172: with our nickname). */
  subscribe(jid: string, nick?: string): void;
  /** §3.1: let `jid` see our presence (answer to its request, or pre-approval §3.4). */
  approve(jid: string): void;
  /** §3.2: refuse a request, or cancel `jid`'s subscription to us. */
  deny(jid: string): void;
  /** §3.3: stop seeing `jid`'s presence. */
  unsubscribe(jid: string): void;
  /** Send our current presence again (a contributor's child changed: new avatar hash, idle). No-op offline. */
  rebroadcast(): void;
}

/**
 * The extension point for what other modules add to every presence we broadcast (XEP-0153 photo
 * hash, XEP-0319 idle): a module named in PresenceOptions.contributors exposes this in its api,
 * and calls rebroadcast() when its child changes.
 */
export interface PresenceContributor {
  /** The child to add to our next presence broadcast; undefined adds nothing. */
  presenceChild(): XmlElement | undefined;
}

export interface PresenceOptions {
  /** Names of modules whose api is a PresenceContributor, in the order their children go out. */
  contributors?: string[];
}

export interface PresenceState {
  online: boolean;
  /** Resources seen available per bare JID, so a bare-JID unavailable/error can clear them all. */
  resources: Map<string, Set<string>>;
}

const SUBSCRIPTION_KINDS = new Set<string>(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

function contributed(ctx: ModuleContext, names: string[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const name of names) {
    let contributor: PresenceContributor | undefined;
    try {
      contributor = ctx.module<PresenceContributor>(name);
    } catch {
      continue; // not registered on this connection: nothing to add
    }
    const child = contributor?.presenceChild();
    if (child) out.push(child);
  }
  return out;
}

function capsElement(ctx: ModuleContext): XmlElement | undefined {
  try {
    return ctx.module<CapsApi>('xep0115-caps').element();
  } catch {
    return undefined; // caps not registered: presence without <c/>
  }
}

/** The resources that went away: the one named, or all we know of when the stanza came from the bare JID. */
function gone(state: PresenceState, bare: string, resource: string | undefined): PresenceUpdate[] {
  const known = state.resources.get(bare);
  const resources = resource !== undefined ? [resource] : known && known.size > 0 ? [...known] : [''];
  for (const r of resources) known?.delete(r);
  if (known?.size === 0) state.resources.delete(bare);
  return resources.map((r) => ({ jid: bare, resource: r, presence: null }));
}

function handlePresence(el: XmlElement, ctx: ModuleContext, state: PresenceState): boolean {
  const fromAttr = el.attr('from');
  const from = fromAttr === undefined ? null : tryParseJid(fromAttr);
  if (!from) {
    ctx.log.debug('presence without a valid from ignored', { from: fromAttr });
    return true;
  }
  const bare = formatJid({ local: from.local, domain: from.domain });
  const type = el.attr('type');

  if (SUBSCRIPTION_KINDS.has(type ?? '')) {
    // §3.1: the user decides; a request is never approved automatically.
    const nick = parseNick(el);
    const status = parseStatus(el);
    ctx.emit({ type: 'subscription.request', from: bare, kind: type as SubscriptionRequestKind, ...(nick ? { nick } : {}), ...(status ? { status } : {}) });
    return true;
  }

  // §4.2 / §4.4: the server echoes our own broadcast back to our resource too.
  if (jidEquals(from, ctx.jid)) {
    if (type === undefined) {
      const status = parseStatus(el);
      ctx.emit({ type: 'presence.own', show: parseShow(el), ...(status ? { status } : {}) });
    } else if (type === 'unavailable') {
      ctx.emit({ type: 'presence.own', show: 'offline' });
    }
    return true;
  }

  if (type === undefined) {
    const resource = from.resource ?? '';
    let known = state.resources.get(bare);
    if (!known) state.resources.set(bare, (known = new Set()));
    known.add(resource);
    ctx.emit({ type: 'presence.changed', updates: [{ jid: bare, resource, presence: parseResourcePresence(el, resource) }] });
  } else if (type === 'unavailable' || type === 'error') {
    // §4.7.1 type 'error': an error about presence we sent to a contact means we cannot count on hearing from
    // that contact: it is shown offline rather than stuck at its last state.
    ctx.emit({ type: 'presence.changed', updates: gone(state, bare, from.resource) });
  }
  // 'probe' is the server's business (§4.3); any other type is not one §4.7.1 defines: ignored.
  return true;
}

/** Factory: our own show/status/priority live here, across streams. */
export function presenceModule(opts: PresenceOptions = {}) {
  const own: OwnPresence = { show: 'available', priority: 0 };
  const contributors = opts.contributors ?? [];
  const build = (ctx: ModuleContext) => buildPresence(own, capsElement(ctx), contributed(ctx, contributors));

  return defineModule<PresenceState, PresenceApi>({
    name: PRESENCE_MODULE,
    init: () => ({ online: false, resources: new Map() }),
    presence: handlePresence,
    online(ctx, state) {
      state.online = true;
      // §4.2: initial presence, after the roster fetch (§2.2: a client SHOULD fetch the roster first).
      ctx.send(build(ctx));
    },
    offline(state) {
      state.online = false;
      state.resources.clear();
    },
    api(ctx, state) {
      const subscription = (kind: SubscriptionRequestKind) => (jid: string, nick?: string) =>
        // §3.1: subscriptions are between bare JIDs.
        ctx.send(buildSubscription(bareJid(jid), kind, nick));
      return {
        set(show, status, priority) {
          own.show = show;
          if (status) own.status = status;
          else delete own.status;
          if (priority !== undefined) own.priority = clampPriority(priority);
          if (state.online) ctx.send(build(ctx));
        },
        rebroadcast() {
          if (state.online) ctx.send(build(ctx));
        },
        subscribe: subscription('subscribe'),
        approve: (jid) => subscription('subscribed')(jid),
        deny: (jid) => subscription('unsubscribed')(jid),
        unsubscribe: (jid) => subscription('unsubscribe')(jid),
      };
    },
  });
}
