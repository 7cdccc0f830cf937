// The one IPC contract between main and the renderer (Electron IPC and the WebSocket bridge
// serve the same table). Schemas give both the TypeScript types and main's runtime validation,
// so the two cannot drift apart. Commands are `domain.verb`, events `domain.pastTense`.
import { z } from 'zod';
import { CONNECTION_ERROR_CODES } from '../domain';

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
});

const empty = z.strictObject({});

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
  'roster.add': {
    args: z.strictObject({ jid: jidString, name: z.string().max(1023).optional(), groups: z.array(z.string().min(1).max(1023)).max(100).optional() }),
    result: z.null(),
  },
  'roster.remove': { args: z.strictObject({ jid: jidString }), result: z.null() },
  'subscription.answer': { args: z.strictObject({ jid: jidString, accept: z.boolean() }), result: z.null() },
  /** Open an http(s)/mailto link in the system browser; main re-parses and checks the scheme. */
  'link.open': { args: z.strictObject({ url: z.string().min(1).max(8192) }), result: z.null() },
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
  /** From the desktop shell, not the account: the user clicked a message notification; show that conversation. */
  'ui.openChat': z.strictObject({ jid: z.string() }),
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
