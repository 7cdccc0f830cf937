// RFC 6121 §2: Managing the Roster — https://www.rfc-editor.org/rfc/rfc6121#section-2
// Namespace: jabber:iq:roster. Roster versioning: XEP-0237 / RFC 6121 §2.6 (urn:xmpp:features:rosterver).
import { defineModule, IqError, NS, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { Contact } from '../../../../shared/domain';
import { bareJid, sameBareJid } from '../../../../shared/jid';
import { buildRosterGet, buildRosterRemove, buildRosterSet } from './build';
import { parseRoster, parseRosterItem, type RosterItemChange } from './parse';
import { errorText } from '../../../../shared/error-text';

export const ROSTER_MODULE = 'rfc6121-roster';

export interface RosterCache {
  ver: string;
  items: Contact[];
}

export interface RosterOptions {
  /** The roster saved from an earlier stream, with its version. */
  loadCache?: () => RosterCache | undefined;
  /**
   * Whether the server announced <ver xmlns='urn:xmpp:features:rosterver'/> on this stream.
   * true: send the cached ver, or ver='' without a cache; false: never send ver (RFC 6121 §2.6.1);
   * not given: send ver only when there is a cached one.
   */
  rosterVersioning?: () => boolean;
}

export interface RosterApi {
  items(): Contact[];
  /** One contact by bare JID (canonical form), without copying the roster. */
  get(jid: string): Contact | undefined;
  /** Adds (or re-adds) a contact; resolves once the server accepted it — the push then updates items(). */
  add(jid: string, name?: string, groups?: string[]): Promise<void>;
  /** Changes name and/or groups; what is not given stays as it is. */
  update(jid: string, patch: { name?: string; groups?: string[] }): Promise<void>;
  remove(jid: string): Promise<void>;
}

interface PushChange {
  change: RosterItemChange;
  ver?: string;
}

export interface RosterState {
  items: Map<string, Contact>;
  ver?: string;
  /** The initial fetch is in flight: pushes wait so the fetch result cannot overwrite them. */
  fetching: boolean;
  queuedPushes: PushChange[];
  ended: boolean;
}

const cleanGroups = (groups: string[] | undefined) => [...new Set((groups ?? []).filter((g) => g !== ''))];

/** `items` lists each contact of `byJid` once, in roster order. */
function replaceAll(ctx: ModuleContext, state: RosterState, items: Contact[], byJid: Map<string, Contact>, ver: string | undefined): void {
  state.items = byJid;
  state.ver = ver;
  ctx.emit({ type: 'roster.changed', replace: true, upserted: items, removed: [], ...(ver !== undefined ? { ver } : {}) });
}

function replaceFromCache(ctx: ModuleContext, state: RosterState, cache: RosterCache): void {
  const byJid = new Map<string, Contact>();
  for (const c of cache.items) byJid.set(c.jid, c);
  replaceAll(ctx, state, byJid.size === cache.items.length ? cache.items : [...byJid.values()], byJid, cache.ver);
}

function applyPush(ctx: ModuleContext, state: RosterState, { change, ver }: PushChange): void {
  if (ver !== undefined) state.ver = ver;
  const v = ver !== undefined ? { ver } : {};
  if (change.kind === 'remove') {
    state.items.delete(change.jid);
    ctx.emit({ type: 'roster.changed', upserted: [], removed: [change.jid], ...v });
  } else {
    state.items.set(change.contact.jid, change.contact);
    ctx.emit({ type: 'roster.changed', upserted: [change.contact], removed: [], ...v });
  }
}

/** RFC 6121 §2.1.6: a push is ours only without 'from' or from our own account. */
function fromOwnAccount(iq: XmlElement, ctx: ModuleContext): boolean {
  const from = iq.attr('from');
  return from === undefined || sameBareJid(from, ctx.bareJid);
}

const freshState = (): RosterState => ({ items: new Map(), fetching: false, queuedPushes: [], ended: false });

export function rosterModule(opts: RosterOptions = {}) {
  // IqHandler gets (iq, ctx) but no module state, so the push handler reaches the current stream's
  // state through this closure; init() replaces it on every new stream.
  let current: RosterState = freshState();

  function handlePush(iq: XmlElement, ctx: ModuleContext, state: RosterState): null {
    if (!fromOwnAccount(iq, ctx)) {
      // Anyone can address an iq to us; a "push" from elsewhere would let them rewrite our roster.
      ctx.emit({ type: 'security.rejected', what: 'roster push not from our account (RFC 6121 §2.1.6)', from: iq.attr('from') });
      throw new IqError('service-unavailable', 'cancel');
    }
    const query = iq.child('query', NS.roster)!;
    const items = query.elements('item', NS.roster);
    // §2.1.6: a push carries exactly one item.
    if (items.length !== 1) throw new IqError('bad-request', 'modify', 'a roster push carries exactly one item');
    const change = parseRosterItem(items[0]!);
    if (!change) throw new IqError('bad-request', 'modify', 'invalid jid');
    const ver = query.attr('ver');
    const push: PushChange = { change, ...(ver !== undefined ? { ver } : {}) };
    if (state.fetching) state.queuedPushes.push(push);
    else applyPush(ctx, state, push);
    return null;
  }

  async function fetchRoster(ctx: ModuleContext, state: RosterState): Promise<void> {
    const cache = opts.loadCache?.();
    const versioning = opts.rosterVersioning?.();
    // RFC 6121 §2.6.1: ver only when the server supports versioning; '' asks for the full roster
    // plus a version to cache (§2.6.2).
    const ver = versioning === false ? undefined : versioning === true ? (cache?.ver ?? '') : cache?.ver;
    state.fetching = true;
    try {
      const result = await ctx.iq(buildRosterGet(ver));
      if (state.ended) return;
      const query = result.child('query', NS.roster);
      // §2.6.3: an empty result means "your version is current": the cache stands, and any
      // changes follow as pushes.
      if (query) {
        const roster = parseRoster(query);
        replaceAll(ctx, state, roster.items, roster.byJid, roster.ver);
      } else if (cache) {
        replaceFromCache(ctx, state, cache);
      } else {
        replaceAll(ctx, state, [], new Map(), undefined);
      }
    } catch (e) {
      if (state.ended) return;
      ctx.log.warn('roster fetch failed', { error: errorText(e) });
      // Show what we knew last rather than nothing; it stays marked with the old version.
      if (cache) replaceFromCache(ctx, state, cache);
    } finally {
      state.fetching = false;
    }
    for (const push of state.queuedPushes.splice(0)) applyPush(ctx, state, push);
  }

  return defineModule<RosterState, RosterApi>({
    name: ROSTER_MODULE,
    init: () => (current = freshState()),
    iq: [{ type: 'set', ns: NS.roster, child: 'query', handle: (iq, ctx) => handlePush(iq, ctx, current) }],
    online: fetchRoster,
    offline(state) {
      state.ended = true;
      state.queuedPushes.length = 0;
    },
    api: (ctx, state) => ({
      items: () => [...state.items.values()],
      get: (jid) => state.items.get(jid),
      async add(jid, name, groups) {
        await ctx.iq(buildRosterSet(bareJid(jid), name, cleanGroups(groups)));
      },
      async update(jid, patch) {
        const bare = bareJid(jid);
        const existing = state.items.get(bare);
        const name = 'name' in patch ? patch.name : existing?.name;
        await ctx.iq(buildRosterSet(bare, name, cleanGroups(patch.groups ?? existing?.groups)));
      },
      async remove(jid) {
        await ctx.iq(buildRosterRemove(bareJid(jid)));
      },
    }),
  });
}
