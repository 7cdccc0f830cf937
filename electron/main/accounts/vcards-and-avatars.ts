// Issue 4, the profile part of ProfileService (profile-service.ts): vCards (XEP-0054) and avatars
// (XEP-0084 / XEP-0153), fetched lazily, a few at a time, cached on disk by hash and handed to
// the renderer as data: URLs; publishing our own avatar after checking it is what it claims.
import type { VCard } from '../../../shared/profile';
import { bareJid } from '../../../shared/jid';
import { MAX_AVATAR_PX, MAX_OWN_AVATAR_BYTES } from '../../../shared/ipc/profile-contract';
import type { CoreEvent } from '../../core/events';
import type { PepAvatarApi, VCardApi, VCardAvatarApi } from '../../core/modules';
import { imageSize } from '../../core/modules/xep0084-avatar/image-size';
import { AvatarCache, imageDataUrl, MAX_AVATAR_BYTES, rasterType } from './avatar-cache';
import { NotConnectedError, requireApi } from './profile-common';
import type { ProfileDeps } from './profile-service';

export type VCardFields = Omit<VCard, 'photo'>;

/** Fetches at once at most; scrolling a 10,000-contact list must not fire thousands. */
const AVATAR_FETCHES = 4;

function clip(s: string | undefined, max: number): string | undefined {
  return s === undefined ? undefined : s.slice(0, max);
}

/** What crosses IPC from a vCard someone else wrote: within the contract's limits, never the photo bytes. */
export function vcardFields(card: VCard): VCardFields {
  const out: VCardFields = { email: card.email.slice(0, 50).map((e) => e.slice(0, 1023)), tel: card.tel.slice(0, 50).map((t) => t.slice(0, 255)) };
  if (card.fn !== undefined) out.fn = clip(card.fn, 1023);
  if (card.nickname !== undefined) out.nickname = clip(card.nickname, 1023);
  if (card.title !== undefined) out.title = clip(card.title, 1023);
  if (card.org) {
    const org: NonNullable<VCard['org']> = {};
    if (card.org.name !== undefined) org.name = clip(card.org.name, 1023);
    if (card.org.unit !== undefined) org.unit = clip(card.org.unit, 1023);
    out.org = org;
  }
  return out;
}

export class VCardsAndAvatars {
  private readonly cache: AvatarCache;
  /** Announced avatars: bare JID → hash and where to fetch it from. */
  private readonly avatars = new Map<string, { hash: string; source: 'vcard' | 'pep' }>();
  private readonly avatarFetches = new Map<string, Promise<string | null>>();
  /** Hashes that could not be fetched or are not images we show, per JID, so we do not ask again and again. */
  private readonly avatarFailed = new Set<string>();
  private fetchSlots = AVATAR_FETCHES;
  private readonly fetchQueue: (() => void)[] = [];

  constructor(private readonly deps: Pick<ProfileDeps, 'dataDir' | 'log' | 'emit' | 'api' | 'account'>) {
    this.cache = new AvatarCache(deps.dataDir);
  }

  /** Avatar announcements (they still reach the app as they are). */
  handle(e: CoreEvent): void {
    if (e.type !== 'avatar.changed') return;
    if (e.hash === null) this.avatars.delete(e.jid);
    else this.avatars.set(e.jid, { hash: e.hash, source: e.source });
  }

  /** Known avatar hashes by bare JID, for the snapshot. */
  avatarHashes(): Record<string, string> {
    const avatars: Record<string, string> = {};
    for (const [jid, a] of this.avatars) avatars[jid] = a.hash;
    return avatars;
  }

  /** A different account signs in: what was known about the previous one's contacts goes. */
  reset(): void {
    this.avatars.clear();
    this.avatarFailed.clear();
  }

  private require<T>(name: string): T {
    return requireApi<T>(this.deps, name);
  }

  // ------------------------------------------------------------------ vCards (XEP-0054)

  async getProfile(jid?: string): Promise<{ vcard: VCardFields; photo: string | null }> {
    const vcard = this.require<VCardApi>('xep0054-vcard');
    const own = jid === undefined || bareJid(jid) === this.deps.account();
    const card = await vcard.get(own ? undefined : bareJid(jid!));
    let photo: string | null = null;
    if (card.photo) {
      const bytes = Buffer.from(card.photo.data, 'base64');
      if (bytes.length <= MAX_AVATAR_BYTES) photo = imageDataUrl(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    return { vcard: vcardFields(card), photo };
  }

  async setProfile(fields: VCardFields): Promise<void> {
    // No 'photo' key: the stored photo stays (avatar.setOwn changes it).
    const { fn, nickname, email, tel, org, title } = fields;
    await this.require<VCardApi>('xep0054-vcard').set({ fn, nickname, email, tel, org, title });
  }

  // ------------------------------------------------------------------ avatars (XEP-0084 / XEP-0153)

  async avatar(jid: string): Promise<string | null> {
    const bare = bareJid(jid);
    const known = this.avatars.get(bare);
    if (!known) return null;
    const cached = await this.cache.get(known.hash);
    if (cached) return imageDataUrl(cached);
    const key = `${bare}\n${known.hash}`;
    if (this.avatarFailed.has(key)) return null;
    let p = this.avatarFetches.get(key);
    if (!p) {
      p = this.limited(() => this.fetchAvatar(bare, known.hash, known.source)).finally(() => this.avatarFetches.delete(key));
      this.avatarFetches.set(key, p);
    }
    return p;
  }

  private async fetchAvatar(bare: string, hash: string, source: 'vcard' | 'pep'): Promise<string | null> {
    const key = `${bare}\n${hash}`;
    let data: string;
    try {
      const image =
        source === 'pep'
          ? await this.require<PepAvatarApi>('xep0084-avatar').fetch(bare, hash)
          : await this.require<VCardAvatarApi>('xep0153-vcard-avatar').fetch(bare, hash);
      data = image.data;
    } catch (e) {
      if (e instanceof NotConnectedError) return null; // asked again when shown while online
      this.deps.log.debug('avatar fetch failed', { jid: bare, hash, error: String(e) });
      this.avatarFailed.add(key);
      return null;
    }
    const buf = Buffer.from(data, 'base64');
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const url = imageDataUrl(bytes);
    if (!url) {
      this.avatarFailed.add(key);
      return null;
    }
    // The module checked the SHA-1 against the hash; the cache names the file by it.
    await this.cache.put(bytes);
    // Still the current one (a newer announcement may have come meanwhile): tell every window.
    if (this.avatars.get(bare)?.hash === hash) this.deps.emit({ type: 'avatar.updated', jid: bare, hash, dataUrl: url });
    return url;
  }

  private limited<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        this.fetchSlots--;
        fn()
          .then(resolve, reject)
          .finally(() => {
            this.fetchSlots++;
            this.fetchQueue.shift()?.();
          });
      };
      if (this.fetchSlots > 0) run();
      else this.fetchQueue.push(run);
    });
  }

  async setOwnAvatar(image: { type: 'image/png' | 'image/jpeg'; data: string } | null): Promise<void> {
    const pep = this.require<PepAvatarApi>('xep0084-avatar');
    const own = this.deps.account();
    if (!own) throw new NotConnectedError();
    if (image === null) {
      await pep.disableOwn();
      this.avatars.delete(own);
      this.deps.emit({ type: 'avatar.updated', jid: own, hash: null, dataUrl: null });
      return;
    }
    const buf = Buffer.from(image.data, 'base64');
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    // The renderer scaled it; main checks it is what it says before publishing it to everyone.
    if (bytes.length === 0 || bytes.length > MAX_OWN_AVATAR_BYTES) throw new Error(`An avatar must be between 1 byte and ${MAX_OWN_AVATAR_BYTES / 1024} KiB.`);
    if (rasterType(bytes) !== image.type) throw new Error(`The image is not a ${image.type}.`);
    const size = imageSize(bytes);
    if (!size || size.width < 1 || size.height < 1 || size.width > MAX_AVATAR_PX || size.height > MAX_AVATAR_PX) {
      throw new Error(`An avatar must be at most ${MAX_AVATAR_PX}×${MAX_AVATAR_PX} pixels.`);
    }
    const hash = await pep.publishOwn(bytes, { type: image.type, width: size.width, height: size.height });
    await this.cache.put(bytes);
    this.avatars.set(own, { hash, source: 'pep' });
    this.deps.emit({ type: 'avatar.updated', jid: own, hash, dataUrl: imageDataUrl(bytes) });
  }
}
