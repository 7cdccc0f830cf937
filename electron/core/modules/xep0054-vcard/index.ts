// XEP-0054: vcard-temp — https://xmpp.org/extensions/xep-0054.html
// Namespace: vcard-temp. Reading anyone's vCard, writing our own.
import { defineModule, IqError, type ModuleContext } from '../../module';
import type { XmlElement } from '../../xml/element';
import type { VCard, VCardPhoto, VCardUpdate } from '../../../../shared/profile';
import { bareJid, sameBareJid } from '../../../../shared/jid';
import { buildVCard, buildVCardGet, buildVCardSet } from './build';
import { findVCard, parseVCard } from './parse';

export { VCARD_NS, parseVCard, parsePhoto, findVCard, decodeLenientBase64, sniffImageType } from './parse';
export { buildVCard } from './build';
export type { VCard, VCardUpdate, VCardPhoto } from '../../../../shared/profile';

export const VCARD_MODULE = 'xep0054-vcard';

export interface VCardApi {
  /** The vCard of `jid` (bare; ours when absent or our own JID). No vCard stored → an empty one. */
  get(jid?: string): Promise<VCard>;
  /** The <vCard/> element as stored (undefined when there is none), for modules that need more than VCard. */
  getElement(jid?: string): Promise<XmlElement | undefined>;
  /** Writes our vCard: the fields of `update` replace ours, every other field stored is kept. */
  set(update: VCardUpdate): Promise<void>;
  /** Replaces (or with null removes) only the PHOTO of our vCard. */
  setPhoto(photo: VCardPhoto | null): Promise<void>;
}

export interface VCardState {
  /** set() calls run one after another: each merges into what the previous one wrote. */
  writes: Promise<unknown>;
}

async function getElement(ctx: ModuleContext, jid: string | undefined): Promise<XmlElement | undefined> {
  const own = jid === undefined || sameBareJid(jid, ctx.bareJid);
  try {
    const result = await ctx.iq(buildVCardGet(own ? undefined : bareJid(jid)));
    return findVCard(result);
  } catch (e) {
    // §3.1: "If no vCard exists, the server MUST return … an empty <vCard/>" — some answer
    // item-not-found instead; both mean "no vCard".
    if (e instanceof IqError && e.condition === 'item-not-found') return undefined;
    throw e;
  }
}

export const vcardModule = defineModule<VCardState, VCardApi>({
  name: VCARD_MODULE,
  init: () => ({ writes: Promise.resolve() }),
  api(ctx, state) {
    /** Read-merge-write of our vCard, queued behind earlier writes. */
    const write = (change: (existing: XmlElement | undefined) => VCardUpdate): Promise<void> => {
      const done = state.writes.then(async () => {
        const existing = await getElement(ctx, undefined);
        await ctx.iq(buildVCardSet(buildVCard(change(existing), existing)));
      });
      state.writes = done.catch(() => undefined);
      return done;
    };
    return {
      getElement: (jid) => getElement(ctx, jid),
      get: async (jid) => parseVCard(await getElement(ctx, jid)),
      set: (update) => write(() => update),
      setPhoto: (photo) => write((existing) => ({ ...parseVCard(existing), photo })),
    };
  },
});
