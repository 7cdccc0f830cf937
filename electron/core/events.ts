// Typed domain events leaving the engine. Plain data only (shared/domain.ts types), never XML.
import type {
  ChatMessage,
  ConnectionState,
  Contact,
  PresenceUpdate,
  Show,
  SubscriptionRequestKind,
} from '../../shared/domain';
import type { AvatarSource } from '../../shared/profile';
import type { TransferEvent } from '../../shared/transfer';

/**
 * A file someone offers us (issue 6), as plain data. Nothing here is trusted: `name` is as sent
 * (main sanitizes it before saving), `size` and `hashes` are claims checked against the bytes.
 * - 'upload': a link (XEP-0363 upload shared with XEP-0066 oob / XEP-0447 + XEP-0446 metadata);
 *   nothing is fetched until the user asks. `sid` is the message id.
 * - 'jingle' (XEP-0234) / 'si' (XEP-0095/0096): the sender waits for accept or decline; `sid` is
 *   the session / stream id to answer with.
 */
export interface FileOffer {
  method: 'upload' | 'jingle' | 'si';
  sid: string;
  /** Full JID of the sender (bare when it came from a bare JID). */
  from: string;
  /** Bare JID of the conversation. */
  peer: string;
  name: string;
  size?: number;
  mediaType?: string;
  desc?: string;
  date?: string;
  /** XEP-0300 hashes as sent (algo, base64 value). */
  hashes: { algo: string; value: string }[];
  /** 'upload' only: the http(s) URL to GET. */
  url?: string;
  /** 'upload' only: the message body, when it says more than the URL. */
  body?: string;
}

/** XEP-0085 chat states (Definitions). */
export const CHAT_STATES = ['active', 'composing', 'paused', 'inactive', 'gone'] as const;
export type ChatState = (typeof CHAT_STATES)[number];

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
  /**
   * XEP-0308: `from` replaced the body of the message with id `id` (the ORIGINAL message's id) in the
   * conversation with `peer`. The engine cannot know who sent message `id`, so this event is a claim:
   * the consumer MUST apply it only when the stored original's sender is the same as `from` — for
   * one-to-one chats the same bare JID (XEP-0308 Business Rules; a user may correct from another
   * of their devices); for group chats (later) the same occupant full JID. Otherwise ignore it: anyone who
   * knows an id could "correct" someone else's words.
   */
  | { type: 'message.corrected'; peer: string; id: string; body: string; from: string }
  /**
   * XEP-0333: `peer` displayed message `id` and every earlier one in that conversation. Markers for
   * unknown ids, and markers older than the latest one applied, are to be ignored by the consumer
   * (XEP-0333 Requirements); it looks the message up by (peer, id), so a peer can only mark its own
   * conversation.
   */
  | { type: 'message.displayed'; peer: string; id: string }
  /** XEP-0085: what `peer`'s `resource` is doing in the chat ('' when it came from the bare JID). */
  | { type: 'chat.state'; peer: string; resource: string; state: ChatState }
  /**
   * XEP-0153 / XEP-0084: `jid` (bare; ours too) announced avatar `hash` (SHA-1 hex of the image;
   * null = no avatar any more). `source` says which api fetches it: 'vcard' → xep0153-vcard-avatar,
   * 'pep' → xep0084-avatar. Reported on change only; `mediaType` (MIME) when the announcement names it.
   */
  | { type: 'avatar.changed'; jid: string; hash: string | null; source: AvatarSource; mediaType?: string }
  /**
   * XEP-0191 blocklist delta: JIDs now blocked / no longer blocked. `replace`: `blocked` is the
   * whole list (after a fetch, or an "unblock everything" push).
   */
  | { type: 'blocklist.changed'; blocked: string[]; unblocked: string[]; replace?: boolean }
  /** Not from the engine: main's profile service fetched (or dropped) `jid`'s avatar image (issue 4). */
  | { type: 'avatar.updated'; jid: string; hash: string | null; dataUrl: string | null }
  /** Something the server or a peer sent that we ignored on purpose (spoofed push, …): for logs and tests. */
  /** Issue 6: a file offered to us (see FileOffer); main's TransferService turns it into a transfer. */
  | { type: 'file.offered'; offer: FileOffer }
  /** Issue 6: the sender of an offered 'jingle' or 'si' file withdrew it before we answered. */
  | { type: 'file.withdrawn'; method: 'jingle' | 'si'; sid: string; from: string; reason: string }
  /** Not from the engine: main's TransferService (issue 6): transfer.added / transfer.updated / transfer.progress. */
  | TransferEvent
  | { type: 'security.rejected'; what: string; from?: string };
