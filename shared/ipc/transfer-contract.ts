// Issue 6 part of the IPC contract: file transfers. contract.ts spreads these into its command and
// event tables and the snapshot, so there is still one contract.
//
// How a file gets from the page to main: the page never names a path on disk (the renderer is
// untrusted, and a path it chose could be any file of the user's). Either main asks the user with a
// native open dialog (transfer.pickAndSend, Electron only), or the page streams the bytes of a File
// the user dropped, pasted or picked (transfer.stage* → a private copy in main's data folder, then
// transfer.send). Saving works the same way round: a received file lands in the download folder the
// user set, or where the user pointed a native save dialog (transfer.saveAs), or — without native
// dialogs (the browser bridge) — in a folder the user typed (transfer.accept with `folder`).
// No imports from contract.ts (it imports this file).
import { z } from 'zod';
import { TRANSFER_ERROR_CODES, TRANSFER_STATES, type TransferInfo } from '../transfer';

const MAX_JID = 3071;
const jid = z.string().min(3).max(MAX_JID);
const transferId = z.string().min(1).max(128);
const stageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'a staging id');
/** An absolute folder path as the user typed or chose it; main checks that it is an existing folder. */
const folderPath = z.string().min(1).max(4096);
/** A file name as the user typed or the peer offered it; main sanitizes it again before use. */
const fileName = z.string().min(1).max(1024);
/** Base64 of at most 1 MiB of file data per chunk (the bridge carries 16 MiB messages). */
export const MAX_STAGE_CHUNK_BYTES = 1024 * 1024;
/** Files the page may stage (drag, paste, file input). Native dialogs have no such limit. */
export const MAX_STAGE_FILE_BYTES = 8 * 1024 ** 3;
const methodSchema = z.enum(['upload', 'jingle', 'si']);

export const transferInfoSchema = z.strictObject({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  peer: z.string(),
  peerJid: z.string().optional(),
  name: z.string(),
  size: z.number().optional(),
  mediaType: z.string().optional(),
  desc: z.string().optional(),
  method: methodSchema.optional(),
  transport: z.enum(['http', 'socks5-direct', 'socks5-proxy', 'ibb']).optional(),
  state: z.enum(TRANSFER_STATES),
  bytes: z.number(),
  rate: z.number(),
  eta: z.number().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
  attempts: z.array(z.strictObject({ method: methodSchema, error: z.string() })),
  error: z.strictObject({ code: z.enum(TRANSFER_ERROR_CODES), message: z.string() }).optional(),
  startedAt: z.number(),
  endedAt: z.number().optional(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Compile-time: the schema describes exactly shared/transfer.ts's record (a drift fails typecheck).
export const _transferSchemaMatches: Same<z.infer<typeof transferInfoSchema>, TransferInfo> = true;

export const transferSettingsSchema = z.strictObject({
  /** Where accepted files go unless the user picks another place (absolute). */
  downloadFolder: z.string(),
  /** Main can show native open/save/folder dialogs (Electron); false in the browser bridge. */
  nativeDialogs: z.boolean(),
});
export type TransferSettings = z.infer<typeof transferSettingsSchema>;

const sendOptions = {
  /** 'auto' (default): Jingle, then SI, else HTTP upload, falling back on failure. */
  method: z.enum(['auto', 'upload', 'jingle', 'si']).optional(),
  desc: z.string().max(4096).optional(),
};

const empty = z.strictObject({});

export const transferCommands = {
  /** Every transfer main knows of this session (the snapshot carries them too). */
  'transfer.list': { args: empty, result: z.array(transferInfoSchema) },
  'transfer.settings': { args: empty, result: transferSettingsSchema },
  /** Set the download folder (absolute, existing, writable); resolves with the settings now in force. */
  'transfer.setDownloadFolder': { args: z.strictObject({ folder: folderPath }), result: transferSettingsSchema },
  /** Native folder dialog for the download folder (Electron); null when cancelled. */
  'transfer.chooseDownloadFolder': { args: empty, result: transferSettingsSchema.nullable() },
  /** Native open dialog (Electron only): the chosen files are sent to `to`; [] when cancelled. */
  'transfer.pickAndSend': { args: z.strictObject({ to: jid, ...sendOptions }), result: z.array(transferInfoSchema) },
  /** Start staging a file the user dropped, pasted or picked in the page. */
  'transfer.stageBegin': {
    args: z.strictObject({ name: fileName, size: z.number().int().min(0).max(MAX_STAGE_FILE_BYTES), mediaType: z.string().max(255).optional() }),
    result: z.strictObject({ stageId }),
  },
  /** The next bytes of a staged file, in order (`offset` = bytes staged so far). */
  'transfer.stageChunk': {
    args: z.strictObject({ stageId, offset: z.number().int().min(0).max(MAX_STAGE_FILE_BYTES), data: z.string().max(Math.ceil((MAX_STAGE_CHUNK_BYTES * 4) / 3) + 4) }),
    result: z.null(),
  },
  'transfer.stageAbort': { args: z.strictObject({ stageId }), result: z.null() },
  /** Send a completely staged file to `to` (bare JID, or full JID for one device). */
  'transfer.send': { args: z.strictObject({ to: jid, stageId, ...sendOptions }), result: transferInfoSchema },
  /** Accept an offer into the download folder, or into `folder` under `name` (both sanitized and checked by main). */
  'transfer.accept': { args: z.strictObject({ id: transferId, folder: folderPath.optional(), name: fileName.optional() }), result: z.null() },
  /** Native save dialog for an offer (Electron only); false when the user cancelled (the offer stays open). */
  'transfer.saveAs': { args: z.strictObject({ id: transferId }), result: z.boolean() },
  'transfer.decline': { args: z.strictObject({ id: transferId }), result: z.null() },
  'transfer.cancel': { args: z.strictObject({ id: transferId }), result: z.null() },
  /** Forget finished transfers (the list the panel shows). */
  'transfer.clearFinished': { args: empty, result: z.null() },
  /** Open a received file with the system's default app (refused for executables: use Show in folder). */
  'transfer.open': { args: z.strictObject({ id: transferId }), result: z.null() },
  'transfer.showInFolder': { args: z.strictObject({ id: transferId }), result: z.null() },
} as const;

export const transferEvents = {
  /** A new transfer: an outgoing send, or an incoming offer (state 'offered'). */
  'transfer.added': z.strictObject({ transfer: transferInfoSchema }),
  /** State, method, transport, path or error changed: the full record, apply by id. */
  'transfer.updated': z.strictObject({ transfer: transferInfoSchema }),
  /** Bytes moved (a few per second per transfer, and once at the end). */
  'transfer.progress': z.strictObject({ id: z.string(), bytes: z.number(), size: z.number().optional(), rate: z.number(), eta: z.number().optional() }),
} as const;
