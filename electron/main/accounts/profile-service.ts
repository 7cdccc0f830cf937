// Issue 4 for the signed-in account: roster management beyond add/remove (rename, groups),
// blocking (XEP-0191), per-resource details, vCards (XEP-0054), avatars (XEP-0084 / XEP-0153:
// fetched lazily, cached on disk by hash, handed to the renderer as data: URLs), auto-away
// (XEP-0319), the user directory (XEP-0055), password change and account creation (XEP-0077).
// AccountService owns one of these (its `profile`) and feeds it the engine's events.
import { join } from 'node:path';
import type { PresenceUpdate, Show } from '../../../shared/domain';
import type { FormValues, RegistrationForm, SearchForm, SearchResult } from '../../../shared/forms';
import { validateForm } from '../../../shared/forms';
import { bareJid, formatJid, parseJid } from '../../../shared/jid';
import type { VCard } from '../../../shared/profile';
import {
  DEFAULT_AUTO_AWAY,
  MAX_AVATAR_PX,
  MAX_OWN_AVATAR_BYTES,
  autoAwaySchema,
  type AutoAwaySettings,
  type ProfileSnapshot,
  type RegistrationOutcome,
  type ResourceDetails,
} from '../../../shared/ipc/profile-contract';
import type { CoreEvent } from '../../core/events';
import { defineModule, IqError, type AnyModule } from '../../core/module';
import type { Logger } from '../../core/ports';
import type {
  BlockingApi,
  IdleApi,
  PepAvatarApi,
  PresenceApi,
  RegisterApi,
  ResourceInfoApi,
  RosterApi,
  SearchApi,
  SearchService,
  VCardApi,
  VCardAvatarApi,
} from '../../core/modules';
import { imageSize } from '../../core/modules/xep0084-avatar/image-size';
import { x } from '../../core/xml/element';
import { readJsonFile, writeJsonFile } from '../settings/json-file';
import { AvatarCache, imageDataUrl, MAX_AVATAR_BYTES, rasterType } from './avatar-cache';
import { AutoAway, ManualIdleMonitor, neverIdle, type IdleMonitor } from './idle';
import { RegistrationRunner, type RegistrationRunnerOptions, type RegistrationTarget } from './registration';

export type VCardFields = Omit<VCard, 'photo'>;

/** What the IPC handlers may ask (AccountServiceApi.profile). */
export interface ProfileApi {
  /** RFC 6121 §2.3: rename (name '' removes it) and/or set the contact's groups. */
  updateContact(jid: string, patch: { name?: string; groups?: string[] }): Promise<void>;
  renameGroup(from: string, to: string): Promise<void>;
  deleteGroup(name: string, removeContacts: boolean): Promise<void>;
  block(jids: string[]): Promise<void>;
  unblock(jids: string[]): Promise<void>;
  describeContact(jid: string): Promise<ResourceDetails[]>;
  getProfile(jid?: string): Promise<{ vcard: VCardFields; photo: string | null }>;
  setProfile(fields: VCardFields): Promise<void>;
  /** data: URL of the avatar `jid` announced; null when none or it cannot be had. */
  avatar(jid: string): Promise<string | null>;
  setOwnAvatar(image: { type: 'image/png' | 'image/jpeg'; data: string } | null): Promise<void>;
  setAutoAway(settings: AutoAwaySettings): void;
  directoryServices(): Promise<SearchService[]>;
  directoryFields(service: string): Promise<SearchForm>;
  directorySearch(service: string, values: FormValues): Promise<SearchResult>;
  changePassword(password: string): Promise<void>;
  registerStart(target: RegistrationTarget): Promise<RegistrationForm>;
  registerSubmit(values: FormValues): Promise<RegistrationOutcome>;
  registerCancel(): void;
  /** Test hook: what the idle monitor reports. Throws unless test hooks are on. */
  setDebugIdleSeconds(seconds: number): void;
  snapshot(): ProfileSnapshot;
}

export interface ProfileDeps {
  dataDir: string;
  log: Logger;
  emit(e: CoreEvent): void;
  /** A protocol module's API while online, else undefined. */
  api<T>(name: string): T | undefined;
  /** Own bare JID of the account, when there is one. */
  account(): string | undefined;
  online(): boolean;
  /** The contact's available resources as last known. */
  resourcesOf(bareJid: string): PresenceUpdate[];
  /** The presence the user chose (what auto-away returns to). */
  chosenPresence(): { show: Show; status?: string };
  /** Drop what we know of these contacts' presence (blocked: XEP-0191 §3.3, nothing more will come). */
  forgetPresence(bareJids: string[]): void;
  /** The server took a new password: keep it for reconnects (and the keychain, when remembered). */
  passwordChanged(password: string): void;
  idleMonitor?: IdleMonitor;
  /** FLINT_TEST_HOOKS=1: debug.setIdleSeconds works (with a ManualIdleMonitor). */
  testHooks?: boolean;
  registration: Omit<RegistrationRunnerOptions, 'log'>;
}

const PROFILE_MODULE = 'flint-profile';
interface ProfileModuleApi {
  probe(bareJid: string): void;
}

/** Fetches at once at most; scrolling a 10,000-contact list must not fire thousands. */
const AVATAR_FETCHES = 4;
const AUTO_AWAY_POLL_MS = 5_000;
const LAST_ACTIVITY_TIMEOUT_MS = 5_000;
const AUTO_AWAY_FILE = 'auto-away.json';
/** Roster sets sent at once for a group rename or delete. */
const ROSTER_BATCH = 16;

class NotConnectedError extends Error {
  constructor() {
    super('Not connected: try again when Flint is online.');
  }
}

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

/** Runs `fn` over `items`, at most `n` at a time; rejects with the first failure after all settled. */
async function inBatches<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let firstError: unknown;
  for (let i = 0; i < items.length; i += n) {
    const results = await Promise.allSettled(items.slice(i, i + n).map(fn));
    for (const r of results) if (r.status === 'rejected' && firstError === undefined) firstError = r.reason;
  }
  if (firstError !== undefined) throw firstError;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      () => (clearTimeout(t), resolve(undefined)),
    );
  });
}

export class ProfileService implements ProfileApi {
  /** Goes after every other module: its online step runs once initial presence is out. */
  readonly module: AnyModule;
  private readonly cache: AvatarCache;
  /** Announced avatars: bare JID → hash and where to fetch it from. */
  private readonly avatars = new Map<string, { hash: string; source: 'vcard' | 'pep' }>();
  private readonly avatarFetches = new Map<string, Promise<string | null>>();
  /** Hashes that could not be fetched or are not images we show, per JID, so we do not ask again and again. */
  private readonly avatarFailed = new Set<string>();
  private fetchSlots = AVATAR_FETCHES;
  private readonly fetchQueue: (() => void)[] = [];
  private blocked = new Set<string>();
  private autoAwaySettings: AutoAwaySettings;
  private readonly autoAway: AutoAway;
  private readonly monitor: IdleMonitor;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly searchForms = new Map<string, SearchForm>();
  private readonly registration: RegistrationRunner;

  constructor(private readonly deps: ProfileDeps) {
    this.cache = new AvatarCache(deps.dataDir);
    const saved = autoAwaySchema.safeParse(readJsonFile(join(deps.dataDir, AUTO_AWAY_FILE)));
    this.autoAwaySettings = saved.success ? saved.data : { ...DEFAULT_AUTO_AWAY };
    this.monitor = deps.idleMonitor ?? (deps.testHooks ? new ManualIdleMonitor() : neverIdle);
    this.autoAway = new AutoAway({
      monitor: this.monitor,
      settings: () => this.autoAwaySettings,
      chosen: () => deps.chosenPresence(),
      online: () => deps.online(),
      now: () => Date.now(),
      apply: (show, status, since) => {
        // One presence carries both the show and the <idle/> (XEP-0319 §3).
        deps.api<IdleApi>('xep0319-idle')?.setIdleSince(since, { broadcast: false });
        deps.api<PresenceApi>('rfc6121-presence')?.set(show, status);
      },
    });
    this.timer = setInterval(() => this.autoAway.check(), AUTO_AWAY_POLL_MS);
    this.timer.unref?.();
    this.module = defineModule<undefined, ProfileModuleApi>({
      name: PROFILE_MODULE,
      online: () => {
        // The new stream announced the user's own choice (AccountService.onOnline).
        this.autoAway.reset();
        this.autoAway.check();
      },
      api: (ctx) => ({ probe: (jid) => ctx.send(x('presence', { type: 'probe', to: jid })) }),
    });
    this.registration = new RegistrationRunner({ ...deps.registration, log: deps.log });
  }

  /** Engine events this service keeps track of (they still reach the app as they are). */
  handle(e: CoreEvent): void {
    switch (e.type) {
      case 'blocklist.changed':
        if (e.replace) this.blocked = new Set(e.blocked);
        else {
          for (const j of e.blocked) this.blocked.add(j);
          for (const j of e.unblocked) this.blocked.delete(j);
        }
        // The server stops routing a blocked contact's presence without saying "unavailable";
        // what we had would stay shown as current for ever. (Entries may be full or domain JIDs.)
        if (e.blocked.length > 0) this.deps.forgetPresence(e.blocked);
        if (!e.replace && e.unblocked.length > 0) this.probeUnblocked(e.unblocked);
        return;
      case 'avatar.changed':
        if (e.hash === null) this.avatars.delete(e.jid);
        else this.avatars.set(e.jid, { hash: e.hash, source: e.source });
        return;
      default:
        return;
    }
  }

  /**
   * Unblocked contacts we are subscribed to: ask for their presence again. On unblock the server
   * probes us on their behalf (Prosody's mod_blocklist) but not them on ours, so without this they
   * would look offline until they next changed status. RFC 6121 §4.3: a probe is routed to the
   * contact's server, which answers with the contact's current presence if we are subscribed.
   */
  private probeUnblocked(jids: string[]): void {
    const roster = this.deps.api<RosterApi>('rfc6121-roster');
    const module = this.deps.api<ProfileModuleApi>(PROFILE_MODULE);
    if (!roster || !module) return;
    const subscribed = new Set(roster.items().filter((c) => c.subscription === 'to' || c.subscription === 'both').map((c) => c.jid));
    for (const j of jids) if (subscribed.has(j)) module.probe(j);
  }

  /** The user picked a presence: it replaces any auto-away, and they are evidently not idle. */
  presenceChosen(): void {
    if (this.autoAway.state !== null) this.deps.api<IdleApi>('xep0319-idle')?.setIdleSince(null, { broadcast: false });
    this.autoAway.reset();
  }

  /** A different account signs in: what was known about the previous one goes. */
  resetAccount(): void {
    this.avatars.clear();
    this.avatarFailed.clear();
    this.blocked.clear();
    this.searchForms.clear();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.registration.cancel();
  }

  snapshot(): ProfileSnapshot {
    const avatars: Record<string, string> = {};
    for (const [jid, a] of this.avatars) avatars[jid] = a.hash;
    return { blocked: [...this.blocked], avatars, autoAway: { ...this.autoAwaySettings } };
  }

  // ------------------------------------------------------------------ roster management

  private require<T>(name: string): T {
    const a = this.deps.api<T>(name);
    if (!a) throw new NotConnectedError();
    return a;
  }

  async updateContact(jid: string, patch: { name?: string; groups?: string[] }): Promise<void> {
    const roster = this.require<RosterApi>('rfc6121-roster');
    const bare = bareJid(jid);
    if (!roster.items().some((c) => c.jid === bare)) throw new Error(`${bare} is not in your contact list.`);
    const change: { name?: string; groups?: string[] } = {};
    // RosterApi.update: a 'name' key (even undefined) replaces the name; undefined removes it.
    if (patch.name !== undefined) change.name = patch.name.trim() === '' ? undefined : patch.name.trim();
    if (patch.groups !== undefined) change.groups = [...new Set(patch.groups.map((g) => g.trim()).filter((g) => g !== ''))];
    await roster.update(bare, change);
  }

  async renameGroup(from: string, to: string): Promise<void> {
    const roster = this.require<RosterApi>('rfc6121-roster');
    const target = to.trim();
    if (target === '' || target === from) return;
    const members = roster.items().filter((c) => c.groups.includes(from));
    if (members.length === 0) throw new Error(`There is no group “${from}”.`);
    // RFC 6121 has no group object: each member's item is set with the new group list.
    await inBatches(members, ROSTER_BATCH, (c) => roster.update(c.jid, { groups: [...new Set(c.groups.map((g) => (g === from ? target : g)))] }));
  }

  async deleteGroup(name: string, removeContacts: boolean): Promise<void> {
    const roster = this.require<RosterApi>('rfc6121-roster');
    const members = roster.items().filter((c) => c.groups.includes(name));
    if (members.length === 0) throw new Error(`There is no group “${name}”.`);
    await inBatches(members, ROSTER_BATCH, (c) => {
      const rest = c.groups.filter((g) => g !== name);
      // RFC 6121 §2.5: removing the item also cancels both subscriptions (the server sends them).
      if (removeContacts && rest.length === 0) return roster.remove(c.jid);
      return roster.update(c.jid, { groups: rest });
    });
  }

  // ------------------------------------------------------------------ blocking (XEP-0191)

  async block(jids: string[]): Promise<void> {
    await this.require<BlockingApi>('xep0191-blocking').block(jids.map(normalizeJid));
  }

  async unblock(jids: string[]): Promise<void> {
    await this.require<BlockingApi>('xep0191-blocking').unblock(jids.map(normalizeJid));
  }

  // ------------------------------------------------------------------ per-resource details

  async describeContact(jid: string): Promise<ResourceDetails[]> {
    const bare = bareJid(jid);
    const info = this.require<ResourceInfoApi>('resource-info');
    const idle = this.deps.api<IdleApi>('xep0319-idle');
    const resources = this.deps.resourcesOf(bare).filter((u) => u.presence !== null);
    return Promise.all(
      resources.map(async (u): Promise<ResourceDetails> => {
        if (u.resource === '') return { jid: bare, resource: '', features: [] };
        const full = `${bare}/${u.resource}`;
        const [described, last] = await Promise.all([
          withTimeout(info.describeResource(full), 12_000),
          // XEP-0012 only for clients that did not put a XEP-0319 <idle/> in their presence.
          u.presence?.idleSince === undefined && idle ? withTimeout(idle.lastActivity(full), LAST_ACTIVITY_TIMEOUT_MS) : Promise.resolve(undefined),
        ]);
        const out: ResourceDetails = { ...(described ?? { jid: full, features: [] }), resource: u.resource };
        if (last && Number.isInteger(last.seconds) && last.seconds >= 0) out.idleSeconds = last.seconds;
        return out;
      }),
    );
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

  // ------------------------------------------------------------------ auto-away

  setAutoAway(settings: AutoAwaySettings): void {
    this.autoAwaySettings = { ...settings };
    try {
      writeJsonFile(join(this.deps.dataDir, AUTO_AWAY_FILE), this.autoAwaySettings);
    } catch (e) {
      this.deps.log.warn('could not save the auto-away settings', { error: String(e) });
    }
    this.autoAway.check();
  }

  setDebugIdleSeconds(seconds: number): void {
    if (!this.deps.testHooks || !(this.monitor instanceof ManualIdleMonitor)) throw new Error('debug.setIdleSeconds is available only with FLINT_TEST_HOOKS=1');
    this.monitor.set(seconds);
    this.autoAway.check();
  }

  // ------------------------------------------------------------------ user directory (XEP-0055)

  directoryServices(): Promise<SearchService[]> {
    return this.require<SearchApi>('xep0055-search').services();
  }

  async directoryFields(service: string): Promise<SearchForm> {
    const jid = normalizeJid(service);
    const form = await this.require<SearchApi>('xep0055-search').fields(jid);
    this.searchForms.set(jid, form);
    return form;
  }

  async directorySearch(service: string, values: FormValues): Promise<SearchResult> {
    const jid = normalizeJid(service);
    const search = this.require<SearchApi>('xep0055-search');
    // The form main fetched, not one the renderer sends back: only the values come from the page.
    const form = this.searchForms.get(jid) ?? (await this.directoryFields(jid));
    const problems = validateForm(form.form, values);
    if (problems.length > 0) throw new Error(`The search form is not complete: ${problems.map((p) => `${p.label ?? p.var} (${p.problem})`).join(', ')}`);
    return search.search(jid, form, values);
  }

  // ------------------------------------------------------------------ registration (XEP-0077)

  async changePassword(password: string): Promise<void> {
    const register = this.require<RegisterApi>('xep0077-register');
    try {
      await register.changePassword(password);
    } catch (e) {
      // §3.3: a server that wants the old password too answers with a form; Flint does not hold it.
      if (e instanceof IqError && e.el?.child('query')) throw new Error('The server wants more than the new password to change it (a form); change it on the server’s website.');
      if (e instanceof IqError && e.condition === 'not-authorized') throw new Error('The server did not allow changing the password from here.');
      throw e;
    }
    this.deps.passwordChanged(password);
  }

  registerStart(target: RegistrationTarget): Promise<RegistrationForm> {
    return this.registration.start(target);
  }

  registerSubmit(values: FormValues): Promise<RegistrationOutcome> {
    return this.registration.submit(values);
  }

  registerCancel(): void {
    this.registration.cancel();
  }
}

function normalizeJid(j: string): string {
  return formatJid(parseJid(j.trim()));
}
