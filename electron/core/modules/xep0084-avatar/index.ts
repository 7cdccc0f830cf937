// XEP-0084: User Avatar — https://xmpp.org/extensions/xep-0084.html
// Namespaces: urn:xmpp:avatar:data, urn:xmpp:avatar:metadata (PEP nodes, XEP-0163). We announce
// metadata+notify, so the server sends contacts' metadata as pubsub events (→ avatar.changed);
// images are fetched on demand from the data node and checked against their SHA-1.
// publishOwn() publishes both ways: PEP here, and the vCard PHOTO + presence hash of XEP-0153 —
// unless the server converts between the two itself (XEP-0398), where a second write would only
// make it purge and republish. Scaling to ≤ 192 px is main's job (the core has no image codec).
import { defineModule, IqError, type ModuleContext } from '../../module';
import type { AvatarImage } from '../../../../shared/profile';
import { formatJid, tryParseJid } from '../../../../shared/jid';
import { encodeBase64 } from '../../util/base64';
import type { DiscoApi } from '../xep0030-disco';
import { decodeLenientBase64, sniffImageType } from '../xep0054-vcard/parse';
import { AvatarHashMismatchError, fetchAvatarOnce, type VCardAvatarApi } from '../xep0153-vcard-avatar';
import { avatarHash } from '../xep0153-vcard-avatar/parse';
import { buildDataPublish, buildDataRequest, buildMetadataPublish } from './build';
import { imageSize } from './image-size';
import { AVATAR_METADATA_NS, PEP_VCARD_CONVERSION_NS, PUBSUB_EVENT_NS, parseDataItem, parseMetadataEvent, type AvatarInfo } from './parse';

export { AVATAR_DATA_NS, AVATAR_METADATA_NS, PEP_VCARD_CONVERSION_NS, parseMetadataEvent, parseDataItem, type AvatarInfo, type MetadataUpdate } from './parse';
export { imageSize, type ImageSize } from './image-size';

export const PEP_AVATAR_MODULE = 'xep0084-avatar';
export const METADATA_NOTIFY = `${AVATAR_METADATA_NS}+notify`;

export interface PublishOptions {
  /** MIME type; read from the image header when absent (PNG, GIF, JPEG). */
  type?: string;
  width?: number;
  height?: number;
}

export interface PepAvatarApi {
  /** The image `jid` published under `hash`; rejects with AvatarHashMismatchError unless its SHA-1 is `hash`. */
  fetch(jid: string, hash: string): Promise<AvatarImage>;
  /** Publishes data then metadata to our PEP nodes (only); resolves with the hash. */
  publish(bytes: Uint8Array, opts?: PublishOptions): Promise<string>;
  /** Our avatar everywhere: PEP, and vCard PHOTO + presence hash (XEP-0153). Bytes already scaled by main. */
  publishOwn(bytes: Uint8Array, opts?: PublishOptions): Promise<string>;
  /** §4.3: publishes empty metadata (no avatar) and removes the vCard PHOTO. */
  disableOwn(): Promise<void>;
}

export interface PepAvatarState {
  known: Map<string, string | null>;
  /** MIME type per hash as metadata announced it, for fetch(). */
  types: Map<string, string>;
  inflight: Map<string, Promise<AvatarImage>>;
}

/** Hashes whose type we remember per stream; more than this and the oldest go. */
const TYPES_LIMIT = 5000;

function vcardAvatar(ctx: ModuleContext): VCardAvatarApi | undefined {
  try {
    return ctx.module<VCardAvatarApi>('xep0153-vcard-avatar');
  } catch {
    return undefined;
  }
}

/** XEP-0398 §3: the account announces conversion in its disco#info. */
async function serverConverts(ctx: ModuleContext): Promise<boolean> {
  try {
    const info = await ctx.module<DiscoApi>('xep0030-disco').info(ctx.bareJid);
    return info.features.includes(PEP_VCARD_CONVERSION_NS);
  } catch {
    return false;
  }
}

/** Errors that say "this server has no PEP" rather than "this publish is wrong". */
const NO_PEP = new Set(['service-unavailable', 'feature-not-implemented', 'item-not-found']);

async function publishPep(ctx: ModuleContext, bytes: Uint8Array, opts: PublishOptions): Promise<string> {
  const hash = avatarHash(ctx.crypto, bytes);
  const size = imageSize(bytes);
  const width = opts.width ?? size?.width;
  const height = opts.height ?? size?.height;
  const info: AvatarInfo = {
    id: hash,
    type: opts.type ?? size?.type ?? (sniffImageType(bytes) || 'image/png'),
    bytes: bytes.length,
    ...(width ? { width } : {}),
    ...(height ? { height } : {}),
  };
  // §4.1: data first, so that whoever reads the metadata notification can fetch the data.
  await ctx.iq(buildDataPublish(hash, encodeBase64(bytes)));
  await ctx.iq(buildMetadataPublish(info));
  return hash;
}

export const pepAvatarModule = defineModule<PepAvatarState, PepAvatarApi>({
  name: PEP_AVATAR_MODULE,
  // XEP-0163 §4: +notify in our caps makes the server send us contacts' metadata.
  features: [METADATA_NOTIFY],
  init: () => ({ known: new Map(), types: new Map(), inflight: new Map() }),
  message(el, ctx, state) {
    const event = el.child('event', PUBSUB_EVENT_NS);
    if (!event || el.attr('type') === 'error') return false;
    const update = parseMetadataEvent(event);
    if (!update) return false;
    const fromAttr = el.attr('from');
    const from = fromAttr === undefined ? tryParseJid(ctx.bareJid) : tryParseJid(fromAttr);
    // XEP-0163 §4.3.2: notifications come from the publisher's bare JID (the PEP service).
    if (!from || !from.local || from.resource !== undefined) {
      ctx.log.debug('avatar notification not from a bare JID ignored', { from: fromAttr });
      return true;
    }
    const jid = formatJid({ local: from.local, domain: from.domain });
    if (update.hash !== null && update.info?.type) {
      if (state.types.size >= TYPES_LIMIT) state.types.delete(state.types.keys().next().value!);
      state.types.set(update.hash, update.info.type);
    }
    const before = state.known.get(jid);
    if (before !== update.hash && !(before === undefined && update.hash === null)) {
      state.known.set(jid, update.hash);
      ctx.emit({ type: 'avatar.changed', jid, hash: update.hash, source: 'pep', ...(update.hash !== null && update.info?.type ? { mediaType: update.info.type } : {}) });
    }
    // Our own avatar changed (here or on another device): the vCard hash in our presence follows.
    if (jid === ctx.bareJid) {
      const va = vcardAvatar(ctx);
      if (va && va.ownHash() !== update.hash) va.refreshOwn().catch((e: unknown) => ctx.log.debug('own vCard check failed', { error: String(e) }));
    }
    return true;
  },
  offline(state) {
    state.known.clear();
    state.inflight.clear();
  },
  api(ctx, state) {
    const publish = (bytes: Uint8Array, opts: PublishOptions = {}) => publishPep(ctx, bytes, opts);
    return {
      fetch: (jid, hash) =>
        fetchAvatarOnce(state.inflight, jid, hash, async (bare, want) => {
          const result = await ctx.iq(buildDataRequest(bare, want));
          const decoded = decodeLenientBase64(parseDataItem(result, want) ?? '');
          const got = decoded && decoded.bytes.length > 0 ? avatarHash(ctx.crypto, decoded.bytes) : null;
          if (got !== want) throw new AvatarHashMismatchError(bare, want, got);
          return { type: state.types.get(want) ?? sniffImageType(decoded!.bytes), data: decoded!.base64 };
        }),
      publish,
      async publishOwn(bytes, opts = {}) {
        let hash: string;
        let pep = true;
        try {
          hash = await publish(bytes, opts);
        } catch (e) {
          if (!(e instanceof IqError && NO_PEP.has(e.condition))) throw e;
          pep = false; // no PEP here: the vCard alone carries the avatar
          hash = avatarHash(ctx.crypto, bytes);
        }
        const va = vcardAvatar(ctx);
        if (va) {
          if (pep && (await serverConverts(ctx))) await va.refreshOwn();
          else await va.publish(bytes, opts.type ?? imageSize(bytes)?.type ?? (sniffImageType(bytes) || 'image/png'));
        }
        return hash;
      },
      async disableOwn() {
        let pep = true;
        try {
          await ctx.iq(buildMetadataPublish(undefined));
        } catch (e) {
          if (!(e instanceof IqError && NO_PEP.has(e.condition))) throw e;
          pep = false;
        }
        const va = vcardAvatar(ctx);
        if (!va) return;
        if (pep && (await serverConverts(ctx))) await va.refreshOwn();
        else await va.remove();
      },
    };
  },
});
