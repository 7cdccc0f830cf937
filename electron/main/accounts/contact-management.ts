// Issue 4, the contacts part of ProfileService (profile-service.ts): roster management beyond
// add/remove (rename, groups; RFC 6121 §2.3), blocking (XEP-0191) and the blocklist as last
// heard, and per-resource details of a contact (disco#info, XEP-0319 / XEP-0012 idle time).
import { bareJid } from '../../../shared/jid';
import type { ResourceDetails } from '../../../shared/ipc/profile-contract';
import type { CoreEvent } from '../../core/events';
import type { BlockingApi, IdleApi, ResourceInfoApi, RosterApi } from '../../core/modules';
import { normalizeJid, PROFILE_MODULE, requireApi, type ProfileModuleApi } from './profile-common';
import type { ProfileDeps } from './profile-service';

const LAST_ACTIVITY_TIMEOUT_MS = 5_000;
/** Roster sets sent at once for a group rename or delete. */
const ROSTER_BATCH = 16;

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

export class ContactManagement {
  private blocked = new Set<string>();

  constructor(private readonly deps: Pick<ProfileDeps, 'api' | 'resourcesOf' | 'forgetPresence'>) {}

  /** Blocklist events (they still reach the app as they are). */
  handle(e: CoreEvent): void {
    if (e.type !== 'blocklist.changed') return;
    if (e.replace) this.blocked = new Set(e.blocked);
    else {
      for (const j of e.blocked) this.blocked.add(j);
      for (const j of e.unblocked) this.blocked.delete(j);
    }
    // The server stops routing a blocked contact's presence without saying "unavailable";
    // what we had would stay shown as current for ever. (Entries may be full or domain JIDs.)
    if (e.blocked.length > 0) this.deps.forgetPresence(e.blocked);
    if (!e.replace && e.unblocked.length > 0) this.probeUnblocked(e.unblocked);
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

  blockedJids(): string[] {
    return [...this.blocked];
  }

  /** A different account signs in: the previous one's blocklist goes. */
  reset(): void {
    this.blocked.clear();
  }

  // ------------------------------------------------------------------ roster management

  private require<T>(name: string): T {
    return requireApi<T>(this.deps, name);
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
}
