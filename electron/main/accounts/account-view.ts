// What the app sees of the signed-in account, kept from the engine's events so a window that opens
// gets a snapshot: the roster (and its cache on disk, for roster versioning), contacts' presence
// per resource, our own presence, and subscription requests still waiting for an answer.
// AccountService (account-service.ts) owns one and feeds it every engine event.
import type { Contact, PresenceUpdate, Show } from '../../../shared/domain';
import type { CoreEvent } from '../../core/events';
import type { AccountStore } from './account-store';

export interface AccountViewDeps {
  store: AccountStore;
  /** Own bare JID of the account, when there is one. */
  account(): string | undefined;
  emit(e: CoreEvent): void;
}

export type PendingSubscription = { from: string; nick?: string; status?: string };

export class AccountView {
  private readonly roster = new Map<string, Contact>();
  private rosterVer?: string;
  private readonly presence = new Map<string, Map<string, PresenceUpdate>>();
  private ownPresence: { show: Show | 'offline'; status?: string } = { show: 'offline' };
  /** The presence the user chose: what each new stream announces and auto-away returns to. */
  chosenShow: { show: Show; status?: string } = { show: 'available' };
  private readonly pendingSubs = new Map<string, PendingSubscription>();
  private rosterSaveTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly deps: AccountViewDeps) {}

  /** Engine events this view keeps track of (they still reach the app as they are). */
  apply(e: CoreEvent): void {
    switch (e.type) {
      case 'roster.changed':
        if (e.replace) this.roster.clear();
        for (const c of e.upserted) this.roster.set(c.jid, c);
        for (const j of e.removed) this.roster.delete(j);
        if (e.ver !== undefined) this.rosterVer = e.ver;
        this.scheduleRosterSave();
        break;
      case 'presence.changed':
        for (const u of e.updates) {
          let m = this.presence.get(u.jid);
          if (u.presence) {
            if (!m) this.presence.set(u.jid, (m = new Map()));
            m.set(u.resource, u);
          } else if (m) {
            m.delete(u.resource);
            if (m.size === 0) this.presence.delete(u.jid);
          }
        }
        break;
      case 'presence.own':
        this.ownPresence = { show: e.show, status: e.status };
        break;
      case 'subscription.request':
        if (e.kind === 'subscribe') this.pendingSubs.set(e.from, { from: e.from, nick: e.nick, status: e.status });
        else if (e.kind === 'unsubscribe') this.pendingSubs.delete(e.from);
        break;
    }
  }

  /** Our own presence as last announced ('offline' while not connected). */
  get own(): { show: Show | 'offline'; status?: string } {
    return this.ownPresence;
  }

  contact(bareJid: string): Contact | undefined {
    return this.roster.get(bareJid);
  }

  contacts(): Contact[] {
    return [...this.roster.values()];
  }

  /** What the roster module starts from: the roster as we hold it, else as saved on disk. */
  rosterCache(jid: string): { ver: string; items: Contact[] } | undefined {
    return this.rosterVer !== undefined ? { ver: this.rosterVer, items: [...this.roster.values()] } : this.deps.store.loadRoster(jid);
  }

  /** The contact's resources as last known. */
  resourcesOf(jid: string): PresenceUpdate[] {
    return [...(this.presence.get(jid)?.values() ?? [])];
  }

  presenceList(): PresenceUpdate[] {
    const presence: PresenceUpdate[] = [];
    for (const m of this.presence.values()) presence.push(...m.values());
    return presence;
  }

  pendingSubscriptions(): PendingSubscription[] {
    return [...this.pendingSubs.values()];
  }

  subscriptionAnswered(bareJid: string): void {
    this.pendingSubs.delete(bareJid);
  }

  /** The stream is online: it announces what the user chose. */
  announceChosen(): void {
    this.ownPresence = { show: this.chosenShow.show, status: this.chosenShow.status };
  }

  /** The session ended. */
  sessionEnded(): void {
    // Contacts' presence is unknown while we are not connected.
    if (this.presence.size > 0) {
      const updates: PresenceUpdate[] = [];
      for (const [jid, m] of this.presence) for (const r of m.keys()) updates.push({ jid, resource: r, presence: null });
      this.presence.clear();
      this.deps.emit({ type: 'presence.changed', updates });
    }
    this.ownPresence = { show: 'offline' };
  }

  signedOut(): void {
    this.ownPresence = { show: 'offline' };
    this.presence.clear();
  }

  /** A different account signs in: what was known about the previous one goes. */
  reset(): void {
    this.roster.clear();
    this.rosterVer = undefined;
    this.presence.clear();
    this.pendingSubs.clear();
  }

  /** Issue 4: presence we will hear nothing more about (a blocked contact) is dropped, not left stale. */
  forgetPresence(jids: string[]): void {
    const updates: PresenceUpdate[] = [];
    for (const jid of jids) {
      const m = this.presence.get(jid);
      if (!m) continue;
      for (const r of m.keys()) updates.push({ jid, resource: r, presence: null });
      this.presence.delete(jid);
    }
    if (updates.length > 0) this.deps.emit({ type: 'presence.changed', updates });
  }

  /** A roster save still waiting is written now. */
  dispose(): void {
    if (this.rosterSaveTimer) {
      clearTimeout(this.rosterSaveTimer);
      this.flushRoster();
    }
  }

  private scheduleRosterSave(): void {
    if (this.rosterSaveTimer) return;
    this.rosterSaveTimer = setTimeout(() => {
      this.rosterSaveTimer = undefined;
      this.flushRoster();
    }, 500);
    this.rosterSaveTimer.unref?.();
  }

  private flushRoster(): void {
    const jid = this.deps.account();
    if (jid) this.deps.store.saveRoster(jid, this.rosterVer, [...this.roster.values()]);
  }
}
