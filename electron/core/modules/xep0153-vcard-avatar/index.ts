// XEP-0153: vCard-Based Avatars — https://xmpp.org/extensions/xep-0153.html
// Namespace: vcard-temp:x:update. Others' hashes come in their presence (→ avatar.changed); the
// image is their vCard PHOTO, fetched on demand and checked against the hash. Our own hash goes
// out in every presence through the rfc6121-presence extension point (PresenceContributor).
import { defineModule, type ModuleContext } from '../../module';
import type { AvatarImage } from '../../../../shared/profile';
import { bareJid, formatJid, jidEquals, tryParseJid } from '../../../../shared/jid';
import type { PresenceApi, PresenceContributor } from '../rfc6121-presence';
import type { VCardApi } from '../xep0054-vcard';
import { parsePhoto } from '../xep0054-vcard/parse';
import { encodeBase64 } from '../../util/base64';
import { buildPhotoUpdate } from './build';
import { avatarHash, isAvatarHash, parsePhotoUpdate } from './parse';

export { VCARD_UPDATE_NS, avatarHash, parsePhotoUpdate, isAvatarHash } from './parse';
export { buildPhotoUpdate } from './build';

export const VCARD_AVATAR_MODULE = 'xep0153-vcard-avatar';
const MUC_USER_NS = 'http://jabber.org/protocol/muc#user';

export class AvatarHashMismatchError extends Error {
  constructor(
    readonly jid: string,
    readonly expected: string,
    readonly actual: string | null,
  ) {
    super(actual === null ? `no avatar image for ${jid}` : `avatar of ${jid} does not match its hash (${actual} ≠ ${expected})`);
    this.name = 'AvatarHashMismatchError';
  }
}

/**
 * One fetch per (bare JID, hash) at a time, for both avatar sources (XEP-0153 vCard, XEP-0084 PEP):
 * `load` gets the bare JID and the lower-case hash and must reject with AvatarHashMismatchError
 * unless the image it found has that SHA-1.
 */
export function fetchAvatarOnce(inflight: Map<string, Promise<AvatarImage>>, jid: string, hash: string, load: (bare: string, want: string) => Promise<AvatarImage>): Promise<AvatarImage> {
  const bare = bareJid(jid);
  const want = hash.toLowerCase();
  if (!isAvatarHash(want)) return Promise.reject(new Error(`not an avatar hash: ${hash}`));
  const key = `${bare}\n${want}`;
  let p = inflight.get(key);
  if (!p) {
    p = load(bare, want).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}

export interface VCardAvatarApi extends PresenceContributor {
  /** The vCard photo of `jid`; rejects with AvatarHashMismatchError unless its SHA-1 is `hash`. */
  fetch(jid: string, hash: string): Promise<AvatarImage>;
  /** Stores `bytes` as our vCard PHOTO and advertises its hash; resolves with the hash. */
  publish(bytes: Uint8Array, type: string): Promise<string>;
  /** Removes our vCard PHOTO and advertises "no avatar". */
  remove(): Promise<void>;
  /** Reads our vCard again and advertises what its photo hashes to (after a change made elsewhere). */
  refreshOwn(): Promise<string | null>;
  /** The hash we advertise: undefined until known (§4.2 "not ready"), null for no avatar. */
  ownHash(): string | null | undefined;
}

export interface VCardAvatarState {
  /** Last hash seen per bare JID on this stream (null: no avatar), to report changes only. */
  known: Map<string, string | null>;
  inflight: Map<string, Promise<AvatarImage>>;
  ownCheck?: Promise<string | null>;
  /** Hashes our other resources showed that we already checked our vCard for. */
  checkedOther: Set<string | null>;
}

/** Factory: our advertised hash outlives a stream, so a reconnect announces it at once. */
export function vcardAvatarModule() {
  let own: string | null | undefined;

  function changed(ctx: ModuleContext, state: VCardAvatarState, jid: string, hash: string | null): void {
    const before = state.known.get(jid);
    // A first "no avatar" is no news (10,000 contacts without one need no event each).
    if (before === hash || (before === undefined && hash === null)) return;
    state.known.set(jid, hash);
    ctx.emit({ type: 'avatar.changed', jid, hash, source: 'vcard' });
  }

  /** §4.3: our hash is that of our vCard photo as the server has it now. */
  function checkOwn(ctx: ModuleContext, state: VCardAvatarState): Promise<string | null> {
    if (state.ownCheck) return state.ownCheck;
    const check = (async () => {
      const photo = parsePhoto(await ctx.module<VCardApi>('xep0054-vcard').getElement());
      const hash = photo ? avatarHash(ctx.crypto, photo.bytes) : null;
      setOwn(ctx, state, hash);
      return hash;
    })();
    state.ownCheck = check;
    const done = () => {
      if (state.ownCheck === check) state.ownCheck = undefined;
    };
    check.then(done, done);
    return check;
  }

  function setOwn(ctx: ModuleContext, state: VCardAvatarState, hash: string | null): void {
    changed(ctx, state, ctx.bareJid, hash);
    if (own === hash) return;
    own = hash;
    try {
      ctx.module<PresenceApi>('rfc6121-presence').rebroadcast();
    } catch {
      // presence not registered: nothing to re-send
    }
  }

  return defineModule<VCardAvatarState, VCardAvatarApi>({
    name: VCARD_AVATAR_MODULE,
    init: () => ({ known: new Map(), inflight: new Map(), checkedOther: new Set() }),
    presence(el, ctx, state) {
      // Never consumes: rfc6121-presence reads the same stanza after us.
      if (el.attr('type') !== undefined) return false;
      // A MUC occupant's hash is about the occupant (fetched from room@service/nick, §3.1), not
      // the room's bare JID: group chats are not handled here yet.
      if (el.child('x', MUC_USER_NS)) return false;
      const hash = parsePhotoUpdate(el);
      const from = tryParseJid(el.attr('from') ?? '');
      if (hash === undefined || !from || !from.local) return false;
      const bare = formatJid({ local: from.local, domain: from.domain });
      if (bare === ctx.bareJid) {
        // §4.3: another resource of ours shows a different hash: our vCard changed elsewhere.
        // Checked once per hash: a stale client of ours must not cost a vCard fetch per presence.
        if (!jidEquals(from, ctx.jid) && hash !== own && !state.checkedOther.has(hash)) {
          state.checkedOther.add(hash);
          checkOwn(ctx, state).catch((e: unknown) => ctx.log.debug('own vCard check failed', { error: String(e) }));
        }
        return false;
      }
      changed(ctx, state, bare, hash);
      return false;
    },
    online(ctx, state) {
      // §4.2: learn our own hash from the stored vCard; not awaited, login need not wait for it.
      checkOwn(ctx, state).catch((e: unknown) => ctx.log.debug('own vCard check failed', { error: String(e) }));
    },
    offline(state) {
      state.known.clear();
      state.inflight.clear();
    },
    api: (ctx, state) => ({
      presenceChild: () => buildPhotoUpdate(own),
      ownHash: () => own,
      refreshOwn: () => checkOwn(ctx, state),
      fetch: (jid, hash) =>
        fetchAvatarOnce(state.inflight, jid, hash, async (bare, want) => {
          const photo = parsePhoto(await ctx.module<VCardApi>('xep0054-vcard').getElement(bare));
          const got = photo ? avatarHash(ctx.crypto, photo.bytes) : null;
          if (got !== want) throw new AvatarHashMismatchError(bare, want, got);
          return { type: photo!.type, data: photo!.data };
        }),
      async publish(bytes, type) {
        const hash = avatarHash(ctx.crypto, bytes);
        await ctx.module<VCardApi>('xep0054-vcard').setPhoto({ type, data: encodeBase64(bytes) });
        setOwn(ctx, state, hash);
        return hash;
      },
      async remove() {
        await ctx.module<VCardApi>('xep0054-vcard').setPhoto(null);
        setOwn(ctx, state, null);
      },
    }),
  });
}
