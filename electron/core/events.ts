// Typed domain events leaving the engine. Plain data only (shared/domain.ts types), never XML.
import type {
  ChatMessage,
  ConnectionState,
  Contact,
  PresenceUpdate,
  Show,
  SubscriptionRequestKind,
} from '../../shared/domain';

export type CoreEvent =
  | { type: 'connection.changed'; state: ConnectionState }
  /** Roster delta. `replace`: the set is complete (initial fetch without versioning delta). */
  | { type: 'roster.changed'; upserted: Contact[]; removed: string[]; replace?: boolean; ver?: string }
  | { type: 'presence.changed'; updates: PresenceUpdate[] }
  /** Our own presence as the server echoed it back (or as we set it). */
  | { type: 'presence.own'; show: Show | 'offline'; status?: string }
  | { type: 'subscription.request'; from: string; kind: SubscriptionRequestKind; nick?: string; status?: string }
  | { type: 'message.received'; message: ChatMessage }
  /** State change of a message we know about (sent → error, delivered, …). */
  | { type: 'message.updated'; id: string; peer: string; state: ChatMessage['state']; error?: string }
  /** Something the server or a peer sent that we ignored on purpose (spoofed push, …): for logs and tests. */
  | { type: 'security.rejected'; what: string; from?: string };
