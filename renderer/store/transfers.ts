// File transfers slice (issue 6): every transfer main reports this session (offers waiting for an
// answer included), the files the page is still staging ("Preparing…", before a transfer exists),
// and main's transfer settings (download folder, whether it can show native dialogs).
// `byPeer` changes only when a transfer is added or removed, never on progress, so a conversation
// selects its list of cards once and each card selects its own record.
import type { TransferSettings } from '../../shared/ipc/transfer-contract';
import { FINAL_STATES, type TransferInfo } from '../../shared/transfer';
import type { Action } from './actions';
import type { ConversationsSlice } from './conversations';
import { memoizeLast } from './memo';
import { nullProto } from './records';

/** A transfer of a conversation, with the time it started (for placing it among the messages). */
export interface TransferRef {
  id: string;
  startedAt: number;
}

/** A file the page is streaming to main (transfer.stage*) before it can be sent. */
export interface StagingEntry {
  /** The renderer's own key (there is no transfer id yet). */
  key: string;
  peer: string;
  name: string;
  size: number;
  /** Bytes main has acknowledged. */
  bytes: number;
  startedAt: number;
  /** Why staging stopped, until the user dismisses it. */
  error?: string;
}

export interface TransfersSlice {
  byId: Readonly<Record<string, TransferInfo>>;
  /** Every id, oldest first (startedAt, then arrival). */
  order: readonly string[];
  /** Peer bare JID → its transfers, oldest first. */
  byPeer: Readonly<Record<string, readonly TransferRef[]>>;
  /** Oldest first. */
  staging: readonly StagingEntry[];
  /** From transfer.settings; null until main answered. */
  settings: TransferSettings | null;
}

export const emptyTransfers: TransfersSlice = { byId: {}, order: [], byPeer: {}, staging: [], settings: null };

/** Insert keeping startedAt order; equal times keep arrival order (a later arrival goes after). */
function insertSorted<T>(list: readonly T[], item: T, at: (x: T) => number): T[] {
  const t = at(item);
  let i = list.length;
  while (i > 0 && at(list[i - 1]!) > t) i--;
  const out = list.slice();
  out.splice(i, 0, item);
  return out;
}

function addNew(s: TransfersSlice, t: TransferInfo): TransfersSlice {
  const byId = nullProto(s.byId);
  byId[t.id] = t;
  const order = insertSorted(s.order, t.id, (id) => byId[id]!.startedAt);
  const byPeer = nullProto(s.byPeer);
  byPeer[t.peer] = insertSorted(s.byPeer[t.peer] ?? [], { id: t.id, startedAt: t.startedAt }, (r) => r.startedAt);
  return { ...s, byId, order, byPeer };
}

function upsert(s: TransfersSlice, t: TransferInfo, onlyIfNew: boolean): TransfersSlice {
  const old = s.byId[t.id];
  if (!old) return addNew(s, t);
  if (onlyIfNew) return s;
  // Peer and start time are fixed for a transfer; a full record replaces the old one.
  const byId = nullProto(s.byId);
  byId[t.id] = t;
  return { ...s, byId };
}

function fromList(list: readonly TransferInfo[]): Pick<TransfersSlice, 'byId' | 'order' | 'byPeer'> {
  let s: TransfersSlice = emptyTransfers;
  for (const t of list) s = upsert(s, t, false);
  return { byId: s.byId, order: s.order, byPeer: s.byPeer };
}

function removeFinished(s: TransfersSlice): TransfersSlice {
  const gone = s.order.filter((id) => FINAL_STATES.has(s.byId[id]!.state));
  if (gone.length === 0) return s;
  const drop = new Set(gone);
  const byId = nullProto(s.byId);
  for (const id of gone) delete byId[id];
  const byPeer = nullProto(s.byPeer);
  for (const [peer, refs] of Object.entries(s.byPeer)) {
    if (!refs.some((r) => drop.has(r.id))) continue;
    const kept = refs.filter((r) => !drop.has(r.id));
    if (kept.length === 0) delete byPeer[peer];
    else byPeer[peer] = kept;
  }
  return { ...s, byId, order: s.order.filter((id) => !drop.has(id)), byPeer };
}

function patchStaging(s: TransfersSlice, key: string, patch: (e: StagingEntry) => StagingEntry | null): TransfersSlice {
  const i = s.staging.findIndex((e) => e.key === key);
  if (i < 0) return s;
  const next = patch(s.staging[i]!);
  if (next === s.staging[i]) return s;
  const staging = s.staging.slice();
  if (next === null) staging.splice(i, 1);
  else staging[i] = next;
  return { ...s, staging };
}

export function applyTransfers(s: TransfersSlice, a: Action): TransfersSlice {
  switch (a.name) {
    case 'transfer.added':
    case 'transfer.updated':
      return upsert(s, a.payload.transfer, false);
    case 'transfer.progress': {
      const { id, bytes, size, rate, eta } = a.payload;
      const old = s.byId[id];
      if (!old) return s;
      if (old.bytes === bytes && old.rate === rate && old.eta === eta && (size === undefined || old.size === size)) return s;
      const t: TransferInfo = { ...old, bytes, rate };
      if (size !== undefined) t.size = size;
      if (eta !== undefined) t.eta = eta;
      else delete t.eta;
      const byId = nullProto(s.byId);
      byId[id] = t;
      return { ...s, byId };
    }
    case 'local.transfersStarted': {
      // The answer to transfer.send / pickAndSend: events about the same transfer may have come
      // first and are newer, so a known id is left alone.
      let next = s;
      for (const t of a.payload.transfers) next = upsert(next, t, true);
      return next;
    }
    case 'local.transfersCleared':
      return removeFinished(s);
    case 'local.transferSettings':
      return { ...s, settings: a.payload.settings };
    case 'local.stagingStarted': {
      const { key, peer, name, size, startedAt } = a.payload;
      if (s.staging.some((e) => e.key === key)) return s;
      return { ...s, staging: [...s.staging, { key, peer, name, size, bytes: 0, startedAt }] };
    }
    case 'local.stagingProgress':
      return patchStaging(s, a.payload.key, (e) => (e.bytes === a.payload.bytes ? e : { ...e, bytes: a.payload.bytes }));
    case 'local.stagingFailed':
      return patchStaging(s, a.payload.key, (e) => ({ ...e, error: a.payload.error }));
    case 'local.stagingEnded':
      return patchStaging(s, a.payload.key, () => null);
    case 'local.hydrated':
      // A fresh snapshot is the whole truth about transfers; staging and settings are the page's own.
      return { ...s, ...fromList(a.payload.snapshot.transfers ?? []) };
    case 'local.loggedOut':
      return { ...emptyTransfers, settings: s.settings };
    default:
      return s;
  }
}

/** True while a transfer still needs the user or is moving bytes. */
export const isOpen = (t: Pick<TransferInfo, 'state'>): boolean => !FINAL_STATES.has(t.state);

export interface TransferCounts {
  /** Incoming offers waiting for an answer. */
  offers: number;
  /** Neither offered nor finished: waiting for the peer, connecting or moving bytes (staging included). */
  active: number;
  /** Finished ones ("Clear finished" has something to do). */
  finished: number;
}

const countOf = memoizeLast((byId: TransfersSlice['byId'], staging: TransfersSlice['staging']): TransferCounts => {
  const c: TransferCounts = { offers: 0, active: 0, finished: 0 };
  for (const t of Object.values(byId)) {
    if (t.state === 'offered') c.offers++;
    else if (FINAL_STATES.has(t.state)) c.finished++;
    else c.active++;
  }
  for (const e of staging) if (e.error === undefined) c.active++;
  return c;
});

/** Counts for the toolbar badge; the same object while no transfer was added, removed or changed. */
export const selectTransferCounts = (s: { transfers: TransfersSlice }): TransferCounts => countOf(s.transfers.byId, s.transfers.staging);

/**
 * An incoming offer opens a tab for its sender (as an incoming message does), so its card is one
 * click away; it becomes the active tab only when no other is. Applied by root.ts after the slices.
 */
export function offerOpensTab(c: ConversationsSlice, a: Action): ConversationsSlice {
  if (a.name !== 'transfer.added') return c;
  const t = a.payload.transfer;
  if (t.direction !== 'in' || t.state !== 'offered' || c.tabs.includes(t.peer)) return c;
  return { ...c, tabs: [...c.tabs, t.peer], active: c.active ?? t.peer };
}
