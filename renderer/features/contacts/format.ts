// Plain-text helpers for the contact card (pure: tested without a DOM).
import type { ResourcePresence } from '../../../shared/domain';

export type IdleAmount = { unit: 'minutes' | 'hours' | 'days'; count: number } | null;

/** How long someone has been idle, in the largest whole unit; null under a minute (not worth saying). */
export function idleAmount(seconds: number | undefined): IdleAmount {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 60) return null;
  if (seconds < 3600) return { unit: 'minutes', count: Math.floor(seconds / 60) };
  if (seconds < 86_400) return { unit: 'hours', count: Math.floor(seconds / 3600) };
  return { unit: 'days', count: Math.floor(seconds / 86_400) };
}

/** Idle seconds of a resource: XEP-0319 idle since from its presence, else the XEP-0012 answer. */
export function idleSeconds(presence: Pick<ResourcePresence, 'idleSince'> | undefined, lastActivitySeconds: number | undefined, now: number): number | undefined {
  if (presence?.idleSince) {
    const t = Date.parse(presence.idleSince);
    if (Number.isFinite(t)) return Math.max(0, Math.floor((now - t) / 1000));
  }
  return lastActivitySeconds;
}

/** The client's name as shown: "Conversations 2.17 (Android)". */
export function clientText(client: { name: string; version: string; os?: string } | undefined): string | undefined {
  if (!client) return undefined;
  const base = client.version ? `${client.name} ${client.version}` : client.name;
  return client.os ? `${base} (${client.os})` : base;
}
