// Issue 4 for the signed-in account: roster management beyond add/remove (rename, groups),
// blocking (XEP-0191), per-resource details (contact-management.ts); vCards (XEP-0054), avatars
// (XEP-0084 / XEP-0153: fetched lazily, cached on disk by hash, handed to the renderer as data:
// URLs; vcards-and-avatars.ts); the user directory (XEP-0055), password change and account
// creation (XEP-0077; directory-registration.ts); auto-away (XEP-0319), here.
// AccountService owns one of these (its `profile`) and feeds it the engine's events.
import { join } from 'node:path';
import type { PresenceUpdate, Show } from '../../../shared/domain';
import type { FormValues, RegistrationForm, SearchForm, SearchResult } from '../../../shared/forms';
import {
  DEFAULT_AUTO_AWAY,
  autoAwaySchema,
  type AutoAwaySettings,
  type ProfileSnapshot,
  type RegistrationOutcome,
  type ResourceDetails,
} from '../../../shared/ipc/profile-contract';
import type { CoreEvent } from '../../core/events';
import { defineModule, type AnyModule } from '../../core/module';
import type { Logger } from '../../core/ports';
import type { IdleApi, PresenceApi, SearchService } from '../../core/modules';
import { x } from '../../core/xml/element';
import { readJsonFile, writeJsonFile } from '../settings/json-file';
import { ContactManagement } from './contact-management';
import { DirectoryAndRegistration } from './directory-registration';
import { AutoAway, ManualIdleMonitor, neverIdle, type IdleMonitor } from './idle';
import { PROFILE_MODULE, type ProfileModuleApi } from './profile-common';
import type { RegistrationRunnerOptions, RegistrationTarget } from './registration';
import { VCardsAndAvatars, type VCardFields } from './vcards-and-avatars';

export { vcardFields, type VCardFields } from './vcards-and-avatars';

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

const AUTO_AWAY_POLL_MS = 5_000;
const AUTO_AWAY_FILE = 'auto-away.json';

export class ProfileService implements ProfileApi {
  /** Goes after every other module: its online step runs once initial presence is out. */
  readonly module: AnyModule;
  private readonly contacts: ContactManagement;
  private readonly cards: VCardsAndAvatars;
  private readonly directory: DirectoryAndRegistration;
  private autoAwaySettings: AutoAwaySettings;
  private readonly autoAway: AutoAway;
  private readonly monitor: IdleMonitor;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly deps: ProfileDeps) {
    this.contacts = new ContactManagement(deps);
    this.cards = new VCardsAndAvatars(deps);
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
      // ContactManagement probes unblocked contacts through it.
      api: (ctx) => ({ probe: (jid) => ctx.send(x('presence', { type: 'probe', to: jid })) }),
    });
    this.directory = new DirectoryAndRegistration(deps);
  }

  /** Engine events this service keeps track of (they still reach the app as they are). */
  handle(e: CoreEvent): void {
    this.contacts.handle(e);
    this.cards.handle(e);
  }

  /** The user picked a presence: it replaces any auto-away, and they are evidently not idle. */
  presenceChosen(): void {
    if (this.autoAway.state !== null) this.deps.api<IdleApi>('xep0319-idle')?.setIdleSince(null, { broadcast: false });
    this.autoAway.reset();
  }

  /** A different account signs in: what was known about the previous one goes. */
  resetAccount(): void {
    this.cards.reset();
    this.contacts.reset();
    this.directory.reset();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.directory.registerCancel();
  }

  snapshot(): ProfileSnapshot {
    return { blocked: this.contacts.blockedJids(), avatars: this.cards.avatarHashes(), autoAway: { ...this.autoAwaySettings } };
  }

  // ------------------------------------------------------------------ contacts (contact-management.ts)

  updateContact(jid: string, patch: { name?: string; groups?: string[] }): Promise<void> {
    return this.contacts.updateContact(jid, patch);
  }

  renameGroup(from: string, to: string): Promise<void> {
    return this.contacts.renameGroup(from, to);
  }

  deleteGroup(name: string, removeContacts: boolean): Promise<void> {
    return this.contacts.deleteGroup(name, removeContacts);
  }

  block(jids: string[]): Promise<void> {
    return this.contacts.block(jids);
  }

  unblock(jids: string[]): Promise<void> {
    return this.contacts.unblock(jids);
  }

  describeContact(jid: string): Promise<ResourceDetails[]> {
    return this.contacts.describeContact(jid);
  }

  // ------------------------------------------------------------------ vCards and avatars (vcards-and-avatars.ts)

  getProfile(jid?: string): Promise<{ vcard: VCardFields; photo: string | null }> {
    return this.cards.getProfile(jid);
  }

  setProfile(fields: VCardFields): Promise<void> {
    return this.cards.setProfile(fields);
  }

  avatar(jid: string): Promise<string | null> {
    return this.cards.avatar(jid);
  }

  setOwnAvatar(image: { type: 'image/png' | 'image/jpeg'; data: string } | null): Promise<void> {
    return this.cards.setOwnAvatar(image);
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

  // ------------------------------------------------------------------ directory, registration (directory-registration.ts)

  directoryServices(): Promise<SearchService[]> {
    return this.directory.directoryServices();
  }

  directoryFields(service: string): Promise<SearchForm> {
    return this.directory.directoryFields(service);
  }

  directorySearch(service: string, values: FormValues): Promise<SearchResult> {
    return this.directory.directorySearch(service, values);
  }

  changePassword(password: string): Promise<void> {
    return this.directory.changePassword(password);
  }

  registerStart(target: RegistrationTarget): Promise<RegistrationForm> {
    return this.directory.registerStart(target);
  }

  registerSubmit(values: FormValues): Promise<RegistrationOutcome> {
    return this.directory.registerSubmit(values);
  }

  registerCancel(): void {
    this.directory.registerCancel();
  }
}
