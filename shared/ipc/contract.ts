// The one IPC contract between main and the renderer (Electron IPC and the WebSocket bridge
// serve the same table). Schemas give both the TypeScript types and main's runtime validation,
// so the two cannot drift apart. Commands are `domain.verb`, events `domain.pastTense`.
import { z } from 'zod';
import { CONNECTION_ERROR_CODES } from '../domain';
import { avatarHashSchema, profileCommands, profileEvents, profileSnapshotSchema } from './profile-contract';
import { transferCommands, transferEvents, transferInfoSchema } from './transfer-contract';

const MAX_JID = 3071; // RFC 7622: three parts of at most 1023 octets each
const MAX_BODY = 4 * 1024 * 1024;
const MAX_STATUS = 1024;

export const jidString = z.string().min(3).max(MAX_JID);
export const bareJidString = z.string().min(1).max(MAX_JID);
export const showSchema = z.enum(['chat', 'available', 'away', 'xa', 'dnd']);
export const tlsModeSchema = z.enum(['starttls', 'directtls', 'plaintext']);
export const fingerprintSchema = z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'a SHA-256 fingerprint AB:CD:…');

const certInfo = z.strictObject({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
  altNames: z.array(z.string()),
});

const accountSettings = z.strictObject({
  jid: bareJidString,
  resource: z.string().max(1023).optional(),
  host: z.string().max(253).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  tlsMode: tlsModeSchema,
  pinnedFingerprint256: fingerprintSchema.optional(),
  strongestMechanism: z.string().max(64).optional(),
});

const connectionState = z.strictObject({
  status: z.enum(['offline', 'connecting', 'authenticating', 'online', 'reconnecting', 'failed']),
  jid: z.string().optional(),
  error: z
    .strictObject({
      code: z.enum(CONNECTION_ERROR_CODES),
      message: z.string(),
      cert: certInfo.optional(),
      certProblem: z.string().optional(),
      condition: z.string().optional(),
    })
    .optional(),
  retryAt: z.number().optional(),
  attempt: z.number().optional(),
});

const contact = z.strictObject({
  jid: z.string(),
  name: z.string().optional(),
  groups: z.array(z.string()),
  subscription: z.enum(['none', 'to', 'from', 'both']),
  ask: z.boolean().optional(),
  approved: z.boolean().optional(),
});

const resourcePresence = z.strictObject({
  resource: z.string(),
  show: showSchema,
  status: z.string().optional(),
  priority: z.number(),
  caps: z.strictObject({ node: z.string(), ver: z.string(), hash: z.string() }).optional(),
  idleSince: z.string().optional(),
});

const presenceUpdate = z.strictObject({ jid: z.string(), resource: z.string(), presence: resourcePresence.nullable() });

const chatMessage = z.strictObject({
  id: z.string(),
  peer: z.string(),
  from: z.string(),
  to: z.string(),
  direction: z.enum(['in', 'out']),
  type: z.enum(['chat', 'normal']),
  body: z.string(),
  thread: z.string().optional(),
  subject: z.string().optional(),
  timestamp: z.number(),
  stanzaId: z.string().optional(),
  state: z.enum(['pending', 'sent', 'delivered', 'error']),
  error: z.string().optional(),
  /** XEP-0308: when the body was last corrected (shown as "edited"). */
  correctedAt: z.number().optional(),
});

const ownPresence = z.strictObject({ show: z.union([showSchema, z.literal('offline')]), status: z.string().optional() });

const snapshot = z.strictObject({
  connection: connectionState,
  settings: accountSettings.optional(),
  roster: z.array(contact),
  presence: z.array(presenceUpdate),
  own: ownPresence,
  conversations: z.record(z.string(), z.array(chatMessage)),
  pendingSubscriptions: z.array(z.strictObject({ from: z.string(), nick: z.string().optional(), status: z.string().optional() })),
  /** Issue 4: blocklist, known avatar hashes, auto-away settings. */
  profile: profileSnapshotSchema,
  /** Issue 5: conversations whose notifications are muted (bare JIDs). */
  muted: z.array(z.string()).optional(),
  /** XEP-0333: peer bare JID → id of our latest message they displayed (and every earlier one), as stored. */
  seen: z.record(z.string(), z.string()).optional(),
  /** Issue 6: file transfers of this session (offers waiting for an answer included). */
  transfers: z.array(transferInfoSchema).optional(),
});

// ---- Profile and forms (issue 4): the schemas live in profile-contract.ts (with the issue 4
// commands and events spread into the tables below); re-exported for whoever imports them from here.
export * from './profile-contract';
// ---- File transfers (issue 6): transfer-contract.ts.
export * from './transfer-contract';

const empty = z.strictObject({});

// ---- History (issue 5): pages of a conversation, search, export. A cursor is an opaque position
// in one conversation, handed out by main with each message of a page or search hit.
const historyCursor = z.string().regex(/^\d{1,16}:\d{1,16}$/, 'a history cursor');
const historyMessage = chatMessage.extend({ cursor: historyCursor });
const historyLimit = z.number().int().min(1).max(500);
const historyPage = z.strictObject({
  /** Chronological (oldest first). */
  messages: z.array(historyMessage),
  /** More older messages: pass as `before`. */
  older: historyCursor.optional(),
  /** More newer messages: pass as `after`. */
  newer: historyCursor.optional(),
});
const searchHit = z.strictObject({
  message: historyMessage,
  /** Plain text (never markup) around the match; highlights are [start, end) offsets into it. */
  snippet: z.strictObject({ text: z.string(), highlights: z.array(z.tuple([z.number().int(), z.number().int()])) }),
});

/** Every command: its argument schema and its result schema. */
export const commands = {
  'app.snapshot': { args: empty, result: snapshot },
  'account.list': { args: empty, result: z.array(accountSettings) },
  'account.login': {
    args: z.strictObject({
      jid: bareJidString,
      password: z.string().min(1).max(1024),
      remember: z.boolean(),
      resource: z.string().max(1023).optional(),
      host: z.string().max(253).optional(),
      port: z.number().int().min(1).max(65535).optional(),
      tlsMode: tlsModeSchema,
    }),
    result: z.null(),
  },
  'account.resume': { args: empty, result: z.boolean() },
  'account.logout': { args: empty, result: z.null() },
  'account.reconnectNow': { args: empty, result: z.null() },
  'account.trustCertificate': { args: z.strictObject({ fingerprint256: fingerprintSchema }), result: z.null() },
  'presence.set': { args: z.strictObject({ show: showSchema, status: z.string().max(MAX_STATUS).optional() }), result: z.null() },
  'chat.send': { args: z.strictObject({ to: jidString, body: z.string().min(1).max(MAX_BODY) }), result: chatMessage },
  'chat.open': { args: z.strictObject({ jid: jidString }), result: z.null() },
  /** Put a failed message back into the outgoing queue (sent at once when online). */
  'chat.retry': { args: z.strictObject({ id: z.string().min(1).max(256) }), result: chatMessage },
  /** XEP-0085: our typing state in the chat with `to` (the renderer debounces). True when it went out. */
  'chat.setState': { args: z.strictObject({ to: jidString, state: z.enum(['active', 'composing', 'paused', 'inactive', 'gone']) }), result: z.boolean() },
  /** XEP-0308: new text for our message `id` — only our last message in its conversation. */
  'chat.correct': { args: z.strictObject({ id: z.string().min(1).max(256), body: z.string().min(1).max(MAX_BODY) }), result: chatMessage },
  /** XEP-0333: the conversation with `peer` is on screen up to their message `id`. True when a marker went out. */
  'chat.markDisplayed': { args: z.strictObject({ peer: jidString, id: z.string().min(1).max(256) }), result: z.boolean() },
  /** No notifications for this conversation (persisted in main). */
  'chat.setMuted': { args: z.strictObject({ peer: jidString, muted: z.boolean() }), result: z.null() },
  /** Total unread messages, for the taskbar/dock badge and the tray tooltip. */
  'app.setUnread': { args: z.strictObject({ total: z.number().int().min(0).max(1_000_000) }), result: z.null() },
  /** No cursor: the newest page. `before`: older than it (scroll-back; continues in the server archive). `after`: newer than it. */
  'history.page': {
    args: z.strictObject({ peer: jidString, before: historyCursor.optional(), after: historyCursor.optional(), limit: historyLimit.optional() }),
    result: historyPage,
  },
  /** Messages containing every word of `query` (any script, CJK included), newest first. */
  'history.search': { args: z.strictObject({ query: z.string().min(1).max(1000), limit: historyLimit.optional() }), result: z.array(searchHit) },
  /** The conversation as a transcript; the renderer saves it through a save dialog. */
  'history.export': { args: z.strictObject({ peer: jidString, format: z.enum(['text', 'html']) }), result: z.string() },
  /**
   * Desktop app: main asks where to save the transcript with a native save dialog and writes it
   * there (the page cannot download files in Electron). False when the user cancelled. Refused
   * without native dialogs (the browser bridge downloads history.export's text instead).
   */
  'history.saveExport': { args: z.strictObject({ peer: jidString, format: z.enum(['text', 'html']) }), result: z.boolean() },
  'roster.add': {
    args: z.strictObject({ jid: jidString, name: z.string().max(1023).optional(), groups: z.array(z.string().min(1).max(1023)).max(100).optional() }),
    result: z.null(),
  },
  'roster.remove': { args: z.strictObject({ jid: jidString }), result: z.null() },
  /** accept: approve (addBack, default true: also ask for theirs — "Accept and add"); else deny. */
  'subscription.answer': { args: z.strictObject({ jid: jidString, accept: z.boolean(), addBack: z.boolean().optional() }), result: z.null() },
  /** Open an http(s)/mailto link in the system browser; main re-parses and checks the scheme. */
  'link.open': { args: z.strictObject({ url: z.string().min(1).max(8192) }), result: z.null() },
  // Issue 4: contacts, profile, auto-away, directory, registration (profile-contract.ts).
  ...profileCommands,
  // Issue 6: file transfers (transfer-contract.ts).
  ...transferCommands,
} as const;

/** Every event main sends: plain-data deltas. */
export const events = {
  'connection.changed': z.strictObject({ state: connectionState }),
  'roster.changed': z.strictObject({ upserted: z.array(contact), removed: z.array(z.string()), replace: z.boolean().optional(), ver: z.string().optional() }),
  'presence.changed': z.strictObject({ updates: z.array(presenceUpdate) }),
  'presence.own': ownPresence,
  'subscription.request': z.strictObject({
    from: z.string(),
    kind: z.enum(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']),
    nick: z.string().optional(),
    status: z.string().optional(),
  }),
  'message.received': z.strictObject({ message: chatMessage }),
  'message.updated': z.strictObject({ id: z.string(), peer: z.string(), state: z.enum(['pending', 'sent', 'delivered', 'error']), error: z.string().optional() }),
  /** XEP-0308: apply only when the stored original's sender matches `from` (same bare JID in one-to-one chats). */
  'message.corrected': z.strictObject({ peer: z.string(), id: z.string(), body: z.string(), from: z.string() }),
  /** XEP-0333: `peer` displayed our message `id` and every earlier one. */
  'message.displayed': z.strictObject({ peer: z.string(), id: z.string() }),
  /** XEP-0085: typing and presence in the chat of one of `peer`'s resources. */
  'chat.state': z.strictObject({ peer: z.string(), resource: z.string(), state: z.enum(['active', 'composing', 'paused', 'inactive', 'gone']) }),
  /** XEP-0153 / XEP-0084: `jid` announced avatar `hash` (SHA-1 hex; null = none). Main fetches it lazily by `source` and caches it by hash. */
  'avatar.changed': z.strictObject({ jid: z.string(), hash: avatarHashSchema.nullable(), source: z.enum(['vcard', 'pep']), mediaType: z.string().optional() }),
  /** XEP-0191 delta; `replace`: `blocked` is the whole list. */
  'blocklist.changed': z.strictObject({ blocked: z.array(z.string()), unblocked: z.array(z.string()), replace: z.boolean().optional() }),
  /** From the desktop shell, not the account: the user clicked a message notification; show that conversation. */
  'ui.openChat': z.strictObject({ jid: z.string() }),
  // Issue 4 (profile-contract.ts).
  ...profileEvents,
  // Issue 6 (transfer-contract.ts).
  ...transferEvents,
} as const;

export type CommandName = keyof typeof commands;
export type EventName = keyof typeof events;
export type CommandArgs<C extends CommandName> = z.infer<(typeof commands)[C]['args']>;
export type CommandResult<C extends CommandName> = z.infer<(typeof commands)[C]['result']>;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
/** An event as it crosses IPC: batched in arrays, in order. */
export type AppEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];
export type Snapshot = CommandResult<'app.snapshot'>;

export const commandNames = Object.keys(commands) as CommandName[];
export const eventNames = Object.keys(events) as EventName[];

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate a command's arguments (main calls this before dispatching anything). */
export function validateCommand<C extends CommandName>(name: string, args: unknown): ValidationResult<CommandArgs<C>> {
  if (!Object.prototype.hasOwnProperty.call(commands, name)) return { ok: false, error: `unknown command ${JSON.stringify(name).slice(0, 80)}` };
  const parsed = commands[name as C].args.safeParse(args ?? {});
  if (!parsed.success) return { ok: false, error: `invalid arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  return { ok: true, value: parsed.data as CommandArgs<C> };
}

/** The IPC channel names used by Electron (one per command, one for the batched event stream). */
export const channel = {
  command: (name: CommandName) => `flint:cmd:${name}`,
  events: 'flint:events',
} as const;

/**
 * What renderer/api.ts offers the rest of the renderer, over either transport. (The preload itself
 * exposes one fixed method per command on window.flint, nothing generic; api.ts adapts it to this.)
 */
export interface FlintApi {
  invoke<C extends CommandName>(name: C, args: CommandArgs<C>): Promise<CommandResult<C>>;
  onEvents(cb: (events: AppEvent[]) => void): () => void;
}
