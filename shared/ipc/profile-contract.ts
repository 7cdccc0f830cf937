// Issue 4 part of the IPC contract: contacts (roster management, blocking, per-resource details),
// profile (vCards, avatars), auto-away, user directory search, in-band registration and password
// change. contract.ts spreads these into its command and event tables and the snapshot, so there
// is still one contract; they live here to keep that file readable.
// No imports from contract.ts (it imports this file).
import { z } from 'zod';
import { FORM_FIELD_TYPES, type DataForm, type RegistrationForm, type SearchForm, type SearchResult } from '../forms';
import type { AvatarImage, ResourceInfo, VCard, VCardUpdate } from '../profile';

const MAX_JID = 3071; // RFC 7622: three parts of at most 1023 octets each
const jid = z.string().min(3).max(MAX_JID);
const MAX_FORM_TEXT = 64 * 1024;
const MAX_IMAGE_BASE64 = 8 * 1024 * 1024;
/** Own avatars are scaled to ≤ 192 px by the renderer before they get here: 256 KiB is plenty. */
export const MAX_OWN_AVATAR_BYTES = 256 * 1024;
export const MAX_AVATAR_PX = 192;

// ---- Profile and forms: schemas for the plain data of shared/profile.ts and shared/forms.ts,
// checked against those types below.
export const avatarHashSchema = z.string().regex(/^[0-9a-f]{40}$/, 'a SHA-1 hex hash');

export const vcardPhotoSchema = z.strictObject({ type: z.string().max(255), data: z.string().max(MAX_IMAGE_BASE64) });
export const vcardSchema = z.strictObject({
  fn: z.string().max(1023).optional(),
  nickname: z.string().max(1023).optional(),
  email: z.array(z.string().max(1023)).max(50),
  tel: z.array(z.string().max(255)).max(50),
  org: z.strictObject({ name: z.string().max(1023).optional(), unit: z.string().max(1023).optional() }).optional(),
  title: z.string().max(1023).optional(),
  photo: vcardPhotoSchema.optional(),
});
/** set(): photo undefined keeps the stored photo, null removes it. */
export const vcardUpdateSchema = vcardSchema.extend({ photo: vcardPhotoSchema.nullable().optional() });
export const avatarImageSchema = z.strictObject({ type: z.string().max(255), data: z.string().max(MAX_IMAGE_BASE64) });
export const resourceInfoSchema = z.strictObject({
  jid: z.string(),
  client: z.strictObject({ name: z.string(), version: z.string(), os: z.string().optional() }).optional(),
  capsNode: z.string().optional(),
  features: z.array(z.string()),
});

const formValues = z.record(z.string().max(1023), z.array(z.string().max(MAX_FORM_TEXT)).max(1000));
const formField = z.strictObject({
  var: z.string().max(1023).optional(),
  type: z.enum(FORM_FIELD_TYPES),
  label: z.string().optional(),
  desc: z.string().optional(),
  required: z.boolean(),
  values: z.array(z.string()),
  options: z.array(z.strictObject({ value: z.string(), label: z.string().optional() })),
  open: z.boolean().optional(),
});
export const formValuesSchema = formValues;
export const dataFormSchema = z.strictObject({
  type: z.enum(['form', 'submit', 'cancel', 'result']),
  title: z.string().optional(),
  instructions: z.array(z.string()),
  fields: z.array(formField),
  reported: z.array(formField).optional(),
  items: z.array(formValues).optional(),
});
export const searchFormSchema = z.strictObject({ kind: z.enum(['form', 'legacy']), form: dataFormSchema });
export const searchResultSchema = z.strictObject({ columns: z.array(formField), items: z.array(formValues) });
export const registrationFormSchema = z.strictObject({ kind: z.enum(['form', 'legacy']), form: dataFormSchema, registered: z.boolean(), url: z.string().optional() });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time: the schemas describe exactly the shared types (a drift fails typecheck).
export const _profileSchemasMatch: [
  Same<z.infer<typeof vcardSchema>, VCard>,
  Same<z.infer<typeof vcardUpdateSchema>, VCardUpdate>,
  Same<z.infer<typeof avatarImageSchema>, AvatarImage>,
  Same<z.infer<typeof resourceInfoSchema>, ResourceInfo>,
  Same<z.infer<typeof dataFormSchema>, DataForm>,
  Same<z.infer<typeof searchFormSchema>, SearchForm>,
  Same<z.infer<typeof searchResultSchema>, SearchResult>,
  Same<z.infer<typeof registrationFormSchema>, RegistrationForm>,
] = [true, true, true, true, true, true, true, true];

// ---- Values the commands below carry.

/** A roster group name (RFC 6121 §2.1.2.2: any non-empty string; we cap its length). */
const groupName = z.string().trim().min(1).max(1023);
/** The vCard fields the profile dialog edits; the photo goes through avatar.setOwn. */
export const vcardFieldsSchema = vcardSchema.omit({ photo: true });
/** An image as a data: URL; main builds these, only for raster types it recognised. */
export const imageDataUrlSchema = z.string().max(MAX_IMAGE_BASE64 + 64).regex(/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$/, 'a data:image/…;base64 URL');
export const autoAwaySchema = z.strictObject({
  enabled: z.boolean(),
  /** Idle minutes before "Away". */
  awayMinutes: z.number().int().min(1).max(24 * 60),
  /** Idle minutes before "Extended away"; not below awayMinutes. */
  xaMinutes: z.number().int().min(1).max(24 * 60),
});
export type AutoAwaySettings = z.infer<typeof autoAwaySchema>;
export const DEFAULT_AUTO_AWAY: AutoAwaySettings = { enabled: true, awayMinutes: 5, xaMinutes: 20 };

/** One of a contact's available resources as contact.describe tells it (presence itself is in the store). */
export const resourceDetailsSchema = resourceInfoSchema.extend({
  resource: z.string(),
  /** XEP-0012 answer (seconds idle) for a resource whose presence carried no XEP-0319 <idle/>. */
  idleSeconds: z.number().int().min(0).optional(),
});
export type ResourceDetails = z.infer<typeof resourceDetailsSchema>;

export const searchServiceSchema = z.strictObject({ jid: z.string(), name: z.string().optional() });

const registrationOutcome = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('registered'), jid: z.string() }),
  /** The server refused the submission; the form stays open for another try (XEP-0077 §3.1). */
  z.strictObject({ status: z.literal('rejected'), condition: z.string(), message: z.string() }),
]);
export type RegistrationOutcome = z.infer<typeof registrationOutcome>;

export const profileSnapshotSchema = z.strictObject({
  /** XEP-0191: the blocked JIDs as last known. */
  blocked: z.array(z.string()),
  /** Bare JID → avatar hash announced (XEP-0084 / XEP-0153), for those that have one; images via avatar.get. */
  avatars: z.record(z.string(), avatarHashSchema),
  autoAway: autoAwaySchema,
});
export type ProfileSnapshot = z.infer<typeof profileSnapshotSchema>;

const empty = z.strictObject({});
const tlsMode = z.enum(['starttls', 'directtls', 'plaintext']);

export const profileCommands = {
  // Roster management (RFC 6121 §2).
  /** Rename (name: '' removes the name) and/or set the groups (move or copy = the new full list). */
  'roster.update': { args: z.strictObject({ jid, name: z.string().max(1023).optional(), groups: z.array(groupName).max(100).optional() }), result: z.null() },
  /** Every contact in `from` ends up in `to` instead (merged when `to` exists). */
  'roster.renameGroup': { args: z.strictObject({ from: groupName, to: groupName }), result: z.null() },
  /** Contacts leave the group; with removeContacts, those in no other group are removed from the roster. */
  'roster.deleteGroup': { args: z.strictObject({ name: groupName, removeContacts: z.boolean().optional() }), result: z.null() },
  // XEP-0191 blocking.
  'blocklist.block': { args: z.strictObject({ jids: z.array(jid).min(1).max(500) }), result: z.null() },
  'blocklist.unblock': { args: z.strictObject({ jids: z.array(jid).min(1).max(500) }), result: z.null() },
  /** Per-resource client details (XEP-0115/0030/0092) and idle time (XEP-0012) of a contact's available resources. */
  'contact.describe': { args: z.strictObject({ jid }), result: z.array(resourceDetailsSchema) },
  // Profile (XEP-0054) and avatars (XEP-0084 / XEP-0153).
  /** A vCard (ours without jid) and its photo as a data: URL. */
  'profile.get': { args: z.strictObject({ jid: jid.optional() }), result: z.strictObject({ vcard: vcardFieldsSchema, photo: imageDataUrlSchema.nullable() }) },
  /** Our vCard's fields (the photo is kept; other fields the vCard has are kept too). */
  'profile.set': { args: z.strictObject({ vcard: vcardFieldsSchema }), result: z.null() },
  /** The avatar `jid` announced, from the disk cache or fetched now; null when none (or it could not be fetched). */
  'avatar.get': { args: z.strictObject({ jid }), result: imageDataUrlSchema.nullable() },
  /** Our avatar, already scaled (≤ 192 px PNG or JPEG), published both ways; null removes it. */
  'avatar.setOwn': {
    args: z.strictObject({ image: z.strictObject({ type: z.enum(['image/png', 'image/jpeg']), data: z.string().min(1).max(Math.ceil((MAX_OWN_AVATAR_BYTES * 4) / 3) + 4) }).nullable() }),
    result: z.null(),
  },
  // Auto-away from the system idle time, with XEP-0319 idle since.
  'presence.setAutoAway': { args: autoAwaySchema.refine((a) => a.xaMinutes >= a.awayMinutes, 'xaMinutes must not be below awayMinutes'), result: z.null() },
  // XEP-0055 user directory.
  'directory.services': { args: empty, result: z.array(searchServiceSchema) },
  'directory.fields': { args: z.strictObject({ service: jid }), result: searchFormSchema },
  /** Runs a search with the form directory.fields last returned for `service`. */
  'directory.search': { args: z.strictObject({ service: jid, values: formValues }), result: searchResultSchema },
  // XEP-0077: password change (signed in) and account creation (before signing in, one at a time).
  'account.changePassword': { args: z.strictObject({ password: z.string().min(1).max(1024) }), result: z.null() },
  'register.start': {
    args: z.strictObject({ domain: z.string().min(1).max(1023), host: z.string().max(253).optional(), port: z.number().int().min(1).max(65535).optional(), tlsMode }),
    result: registrationFormSchema,
  },
  'register.submit': { args: z.strictObject({ values: formValues }), result: registrationOutcome },
  'register.cancel': { args: empty, result: z.null() },
  /** Test hook (refused unless main runs with FLINT_TEST_HOOKS=1): what the idle monitor reports. */
  'debug.setIdleSeconds': { args: z.strictObject({ seconds: z.number().int().min(0).max(10_000_000) }), result: z.null() },
} as const;

export const profileEvents = {
  /** Main fetched (or removed) `jid`'s avatar image; `hash` as announced in avatar.changed. */
  'avatar.updated': z.strictObject({ jid: z.string(), hash: avatarHashSchema.nullable(), dataUrl: imageDataUrlSchema.nullable() }),
} as const;
