// XEP-0191: Blocking Command — https://xmpp.org/extensions/xep-0191.html
// Namespace: urn:xmpp:blocking. The server does the blocking; we keep the list, follow pushes
// (which a server sends only to resources that fetched the list, §3.2 — so we fetch it when online)
// and report deltas as blocklist.changed.
import { defineModule, IqError, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import { formatJid, jidEquals, parseJid } from '../../../../shared/jid';
import { buildBlocklistGet, buildBlockSet } from './build';
import { BLOCKING_NS, parseItems } from './parse';

export { BLOCKING_NS, BLOCKING_ERRORS_NS, parseItems } from './parse';

export const BLOCKING_MODULE = 'xep0191-blocking';

export interface BlockingApi {
  /** The blocklist from the server (and the module's copy refreshed). */
  list(): Promise<string[]>;
  /** The list as last known on this stream, without asking (undefined before the first fetch). */
  current(): string[] | undefined;
  /** Blocks these JIDs (bare, full or domain). Resolves once the server accepted; the push updates the list. */
  block(jids: string[]): Promise<void>;
  /** Unblocks these JIDs (at least one; unblockAll() for everyone). */
  unblock(jids: string[]): Promise<void>;
  /** §3.4: unblocks everyone. */
  unblockAll(): Promise<void>;
}

export interface BlockingState {
  blocked?: Set<string>;
  /** The online fetch, so list() does not send a second one while it runs. */
  fetch?: Promise<string[]>;
}

/** §3.5: pushes come from the server on behalf of our account: no from, or our bare JID. */
function fromOwnAccount(iq: XmlElement, ctx: ModuleContext): boolean {
  const from = iq.attr('from');
  if (from === undefined) return true;
  try {
    return jidEquals(from, ctx.bareJid);
  } catch {
    return false;
  }
}

function normalize(jids: string[]): string[] {
  // parseJid throws JidError on an invalid JID: the caller learns before anything is sent.
  return [...new Set(jids.map((j) => formatJid(parseJid(j.trim()))))];
}

export function blockingModule() {
  function replace(ctx: ModuleContext, state: BlockingState, jids: string[]): void {
    const before = state.blocked;
    state.blocked = new Set(jids);
    ctx.emit({ type: 'blocklist.changed', blocked: jids, unblocked: before ? [...before].filter((j) => !state.blocked!.has(j)) : [], replace: true });
  }

  function fetchList(ctx: ModuleContext, state: BlockingState): Promise<string[]> {
    state.fetch ??= ctx
      .iq(buildBlocklistGet())
      .then((result) => {
        const jids = parseItems(result.child('blocklist', BLOCKING_NS));
        replace(ctx, state, jids);
        return jids;
      })
      .finally(() => (state.fetch = undefined));
    return state.fetch;
  }

  function handlePush(kind: 'block' | 'unblock') {
    return (iq: XmlElement, ctx: ModuleContext, state: BlockingState): null => {
      if (!fromOwnAccount(iq, ctx)) {
        // Anyone may address an iq to us; a forged push would make us show a wrong list.
        ctx.emit({ type: 'security.rejected', what: 'blocklist push not from our account (XEP-0191 §3.5)', from: iq.attr('from') });
        throw new IqError('service-unavailable', 'cancel');
      }
      const jids = parseItems(iq.child(kind, BLOCKING_NS));
      if (kind === 'unblock' && jids.length === 0) {
        replace(ctx, state, []);
        return null;
      }
      const set = (state.blocked ??= new Set());
      const changedJids = jids.filter((j) => (kind === 'block' ? !set.has(j) : set.has(j)));
      for (const j of changedJids) {
        if (kind === 'block') set.add(j);
        else set.delete(j);
      }
      // An unblock of a JID we did not know as blocked is still news when our copy may be stale.
      const reported = kind === 'block' ? changedJids : jids;
      if (reported.length > 0) ctx.emit({ type: 'blocklist.changed', blocked: kind === 'block' ? reported : [], unblocked: kind === 'unblock' ? reported : [] });
      return null;
    };
  }

  return defineModule<BlockingState, BlockingApi>({
    name: BLOCKING_MODULE,
    init: () => ({}),
    iq: [
      { type: 'set', ns: BLOCKING_NS, child: 'block', handle: handlePush('block') },
      { type: 'set', ns: BLOCKING_NS, child: 'unblock', handle: handlePush('unblock') },
    ],
    online(ctx, state) {
      // Not awaited: a server without XEP-0191 answers with an error, which only means no list.
      fetchList(ctx, state).catch((e: unknown) => ctx.log.debug('blocklist fetch failed', { error: String(e) }));
    },
    api: (ctx, state) => ({
      list: () => state.fetch ?? fetchList(ctx, state),
      current: () => (state.blocked ? [...state.blocked] : undefined),
      async block(jids) {
        const list = normalize(jids);
        if (list.length === 0) return;
        await ctx.iq(buildBlockSet('block', list));
      },
      async unblock(jids) {
        const list = normalize(jids);
        if (list.length === 0) return; // an empty <unblock/> would unblock everyone
        await ctx.iq(buildBlockSet('unblock', list));
      },
      async unblockAll() {
        await ctx.iq(buildBlockSet('unblock', []));
      },
    }),
  });
}
