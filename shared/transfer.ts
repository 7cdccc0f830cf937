// File transfer records (issue 6): what main's TransferService reports and the renderer shows.
// Plain data, shared by both processes; shared/ipc/transfer-contract.ts holds the matching schemas.

export type TransferMethod = 'upload' | 'jingle' | 'si';
/** What carried the bytes. */
export type TransferTransport = 'http' | 'socks5-direct' | 'socks5-proxy' | 'ibb';
export const TRANSFER_STATES = [
  /** Incoming: waiting for the user to accept or decline. */
  'offered',
  /** Outgoing: waiting for the peer to accept. */
  'waiting',
  /** Negotiating a transport / connecting. */
  'connecting',
  'transferring',
  'done',
  'failed',
  'cancelled',
  'declined',
] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/** Why a transfer ended badly, in words a user can act on (issue 6: "clear errors"). */
export const TRANSFER_ERROR_CODES = [
  'declined',
  'cancelled',
  'cancelled-by-peer',
  'hash-mismatch',
  'size-mismatch',
  'too-large',
  'connection-failed',
  'timeout',
  'unsupported',
  'not-online',
  'file-error',
  'protocol',
] as const;
export type TransferErrorCode = (typeof TRANSFER_ERROR_CODES)[number];

export interface TransferInfo {
  id: string;
  direction: 'in' | 'out';
  /** Bare JID of the contact. */
  peer: string;
  /** The full JID the transfer runs with, when there is one (jingle/si). */
  peerJid?: string;
  /** Incoming: already sanitized (the name it will be saved under, before a unique suffix). */
  name: string;
  size?: number;
  mediaType?: string;
  desc?: string;
  method?: TransferMethod;
  transport?: TransferTransport;
  state: TransferState;
  bytes: number;
  /** Bytes per second, smoothed over about a second. */
  rate: number;
  /** Seconds left at the current rate, when the size is known. */
  eta?: number;
  /** Outgoing: the file sent. Incoming: where it was saved, once done. */
  path?: string;
  /** 'upload': the URL of the shared file. */
  url?: string;
  /** Methods that failed before the one used, and why (automatic fallback). */
  attempts: { method: TransferMethod; error: string }[];
  error?: { code: TransferErrorCode; message: string };
  startedAt: number;
  endedAt?: number;
}

export type TransferEvent =
  /** A new transfer: an outgoing send, or an incoming offer (state 'offered'). */
  | { type: 'transfer.added'; transfer: TransferInfo }
  /** State, method, transport, path or error changed (a full record: apply by id). */
  | { type: 'transfer.updated'; transfer: TransferInfo }
  /** Bytes moved (at most a few per second per transfer, and once at the end). */
  | { type: 'transfer.progress'; id: string; bytes: number; size?: number; rate: number; eta?: number };

export const FINAL_STATES: ReadonlySet<TransferState> = new Set(['done', 'failed', 'cancelled', 'declined']);
