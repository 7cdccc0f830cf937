// Conversations slice: one-to-one messages per peer (bare JID), open tabs, the active tab, unread
// counts and composer drafts. Messages are kept ordered by timestamp, then by arrival (a message
// stamped equal to an earlier one goes after it), and deduplicated by id — main may deliver the
// same message twice (chat.send's result and the message.received echo; history replays).
import type { ChatMessage } from '../../shared/domain';
import type { Action } from './actions';
import { nullProto } from './records';

export interface Conversation {
  messages: readonly ChatMessage[];
  /** Incoming messages that arrived while this conversation was not the active tab. */
  unread: number;
  /** history.page loaded the newest page since the last snapshot (else the view asks for it). */
  loaded?: boolean;
  /** Cursor for the next older page (scroll-back); absent: nothing older (once loaded). */
  older?: string;
  /**
   * Set when older messages were dropped to keep the window (MESSAGE_WINDOW): every message stamped
   * before this is left to the history store (`older` points just before it), so one arriving with
   * an older stamp is not inserted — scroll-back brings it, in its place, without a gap.
   */
  windowStart?: number;
  /**
   * A stretch of older history shown in place of the newest messages: a search hit further back
   * than the messages held. `messages` above stays the live window (new messages go on arriving
   * there); the view pages older and newer from main's store and joins the live window once its
   * newest page reaches the newest stored message. Dropped by "Jump to latest", by sending, and
   * when the conversation's view closes.
   */
  view?: HistoryView;
  /** Counts requests to show the newest messages (Jump to latest, a message sent): the view scrolls to the bottom on each. */
  toLatest?: number;
}

export interface HistoryView {
  /** Contiguous in the store's order (oldest first). */
  messages: readonly ChatMessage[];
  /** Cursor for the page before the first (absent: nothing older). */
  older?: string;
  /** Cursor for the page after the last; always present (once nothing is newer the view joins the live window). */
  newer: string;
  /** Incoming messages that arrived since the view opened (they are in the live window, not in the view). */
  unseen: number;
}

export interface ConversationsSlice {
  byPeer: Readonly<Record<string, Conversation>>;
  /** Open tabs in display order (bare JIDs). */
  tabs: readonly string[];
  active?: string;
  drafts: Readonly<Record<string, string>>;
  /** A message to scroll into view and highlight (a chosen search hit). */
  focus?: { peer: string; id: string };
  /**
   * The conversation whose view the user scrolled up in (reading above the bottom): every message
   * it holds is kept. Others keep only their newest MESSAGE_WINDOW messages.
   */
  readingBack?: string;
}

/**
 * Messages a conversation holds while its view is at the bottom (or not shown): the newest this
 * many. Main's history store is the source of truth, so older ones come back with history.page on
 * scroll-back; a flood of 20,000 messages then costs the page a bounded list per batch, not the
 * whole conversation. Far more than the view renders at the bottom (message-list.tsx), so what it
 * shows is still held when the user scrolls up in the middle of a flood (the view follows the
 * store up to a quarter second late: ≈ 500 messages at the fastest rates measured). A run of
 * messages with the same stamp at the cut is kept whole, so the window may be slightly larger.
 */
export const MESSAGE_WINDOW = 1000;

export const emptyConversations: ConversationsSlice = { byPeer: {}, tabs: [], drafts: {} };
const emptyConversation: Conversation = { messages: [], unread: 0 };

/**
 * The history cursor just before every message stamped `timestamp`. A cursor is `timestamp:rowid`
 * (shared/ipc/contract.ts historyCursor; electron/main/store/rows.ts encodeCursor), pages are
 * ordered by (timestamp, rowid) and `before` is strict; rowids start at 1, so `t:0` asks for
 * exactly the messages stamped before t.
 */
export const cursorBefore = (timestamp: number): string => `${Math.max(0, Math.trunc(timestamp))}:0`;

/**
 * The cursor just before the message at `cursor`, so a page `after` it starts with that message:
 * nothing lies between (t, rowid - 1) and (t, rowid) in the store's (timestamp, rowid) order.
 */
export function cursorJustBefore(cursor: string): string {
  const [t, rowid] = cursor.split(':');
  return `${t}:${Math.max(0, Number(rowid) - 1)}`;
}

/** Index after the last message with timestamp <= t (binary search: messages are sorted). */
function insertionIndex(messages: readonly ChatMessage[], t: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.timestamp <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first message with timestamp >= t. */
function lowerBound(messages: readonly ChatMessage[], t: number): number {
  let lo = 0;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (messages[mid]!.timestamp < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * id → message of one messages array, for dedupe and updates without scanning the list. An index
 * belongs to one array at a time (`owner`): deriving the next array from its owner hands the index
 * over and updates it in place (O(1) per message); any other array (an older state, a page merged
 * with sortedUnique) gets its own, built once. Kept beside the arrays, not in the state.
 */
interface IdIndex {
  owner: readonly ChatMessage[];
  byId: Map<string, ChatMessage>;
}
const indexes = new WeakMap<readonly ChatMessage[], IdIndex>();

function indexOf(messages: readonly ChatMessage[]): IdIndex {
  let idx = indexes.get(messages);
  if (!idx || idx.owner !== messages) {
    const byId = new Map<string, ChatMessage>();
    for (const m of messages) byId.set(m.id, m);
    idx = { owner: messages, byId };
    indexes.set(messages, idx);
  }
  return idx;
}

/** Position of the message with this id, or -1: the index gives the object, its stamp a binary search. */
function positionOf(messages: readonly ChatMessage[], id: string): number {
  const m = indexOf(messages).byId.get(id);
  if (!m) return -1;
  for (let i = lowerBound(messages, m.timestamp); i < messages.length && messages[i]!.timestamp === m.timestamp; i++) if (messages[i] === m) return i;
  // Unreachable while the index is kept in step; stay correct if it is not.
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
}

/** Whether `messages` holds the message with this id (by the list's id index: no scan). */
export const isHeld = (messages: readonly ChatMessage[], id: string): boolean => indexOf(messages).byId.has(id);

/**
 * `next` was derived from `prev`: move prev's index to it, with `set` messages added or replaced and
 * `drop` ids removed (when prev owns no index, next builds its own on first use).
 */
function handOver(prev: readonly ChatMessage[], next: readonly ChatMessage[], set: readonly ChatMessage[], drop: readonly ChatMessage[] = []): void {
  const idx = indexes.get(prev);
  if (!idx || idx.owner !== prev) return;
  for (const m of set) idx.byId.set(m.id, m);
  // After the additions: a message inserted and dropped at once (older than the new cut) is not held.
  for (const m of drop) if (idx.byId.get(m.id) === m) idx.byId.delete(m.id);
  idx.owner = next;
  indexes.set(next, idx);
}

/** Where to cut `list` (plus `extra` after it) to keep the newest `keep`, moved back to the start of a run of equal stamps. */
function windowCut(list: readonly ChatMessage[], keep: number, extra?: ChatMessage): number {
  const length = list.length + (extra ? 1 : 0);
  let cut = length - keep;
  if (cut <= 0) return 0;
  const at = (i: number) => (i < list.length ? list[i]! : extra!).timestamp;
  const t = at(cut);
  while (cut > 0 && at(cut - 1) === t) cut--;
  return cut;
}

/**
 * Insert or update one message, keeping at most `keep` (older ones dropped from the front, at a
 * change of stamp). The common case — a new message not older than the last — appends without a
 * scan: one copy of the (bounded) list, the dropped front left out of it.
 */
function upsert(messages: readonly ChatMessage[], m: ChatMessage, keep: number): { messages: readonly ChatMessage[]; known: boolean; cut: number } {
  const i = positionOf(messages, m.id);
  if (i >= 0) {
    const old = messages[i]!;
    const merged = mergeDuplicate(old, m);
    if (merged === old) return { messages, known: true, cut: 0 };
    const next = messages.slice();
    if (merged.timestamp === old.timestamp) next[i] = merged;
    else {
      next.splice(i, 1);
      next.splice(insertionIndex(next, merged.timestamp), 0, merged);
    }
    handOver(messages, next, [merged]);
    return { messages: next, known: true, cut: 0 };
  }
  const last = messages[messages.length - 1];
  if (!last || m.timestamp >= last.timestamp) {
    const cut = windowCut(messages, keep, m);
    const next = cut > 0 ? messages.slice(cut) : messages.slice();
    next.push(m);
    handOver(messages, next, [m], cut > 0 ? messages.slice(0, cut) : undefined);
    return { messages: next, known: false, cut };
  }
  let next = messages.slice();
  next.splice(insertionIndex(messages, m.timestamp), 0, m);
  const cut = windowCut(next, keep);
  const dropped = cut > 0 ? next.slice(0, cut) : undefined;
  if (cut > 0) next = next.slice(cut);
  handOver(messages, next, [m], dropped);
  return { messages: next, known: false, cut };
}

const STATE_RANK: Readonly<Record<ChatMessage['state'], number>> = { pending: 0, sent: 1, delivered: 2, error: 3 };

/**
 * Two copies of one message: keep the further-along delivery state (a late 'pending' copy must not
 * undo 'sent'), the rest from the newer copy.
 */
function mergeDuplicate(old: ChatMessage, m: ChatMessage): ChatMessage {
  const state = STATE_RANK[m.state] >= STATE_RANK[old.state] ? m.state : old.state;
  const merged: ChatMessage = { ...old, ...m, state };
  if (state !== 'error') delete merged.error;
  else if (merged.error === undefined && old.error !== undefined) merged.error = old.error;
  const keys = Object.keys(merged) as (keyof ChatMessage)[];
  const same = keys.length === Object.keys(old).length && keys.every((k) => merged[k] === old[k]);
  return same ? old : merged;
}

/** A whole list at once (history): later copies of an id win, then a stable sort keeps arrival order on equal stamps. */
function sortedUnique(list: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const m of list) {
    const old = byId.get(m.id);
    byId.set(m.id, old ? mergeDuplicate(old, m) : m);
  }
  return [...byId.values()].sort((x, y) => x.timestamp - y.timestamp);
}

function withConversation(s: ConversationsSlice, peer: string, c: Conversation): ConversationsSlice {
  const byPeer = nullProto(s.byPeer);
  byPeer[peer] = c;
  return { ...s, byPeer };
}

/**
 * Whether a conversation keeps only its newest messages: nobody reads above its bottom, and no
 * search hit is being shown in it — or what is shown is a view of older history, not these.
 */
const windowed = (s: ConversationsSlice, peer: string): boolean => s.byPeer[peer]?.view !== undefined || (s.readingBack !== peer && s.focus?.peer !== peer);

/**
 * A message that arrived while a view of older history is shown: taken in when the view already
 * holds it or it falls inside the view's stretch (a delayed message stamped back then); a newer
 * one belongs after the view's end, where paging down or joining the live window brings it.
 */
function viewWith(view: HistoryView, m: ChatMessage, knownLive: boolean): HistoryView {
  const list = view.messages;
  const first = list[0];
  const last = list[list.length - 1];
  // Strictly before the last stamp: a new message stamped like the last sorts after it in the store.
  const inside = first !== undefined && last !== undefined && m.timestamp >= first.timestamp && m.timestamp < last.timestamp;
  if (inside || positionOf(list, m.id) >= 0) {
    const r = upsert(list, m, Infinity);
    return r.messages === list ? view : { ...view, messages: r.messages };
  }
  return m.direction === 'in' && !knownLive ? { ...view, unseen: view.unseen + 1 } : view;
}

function addMessage(s: ConversationsSlice, m: ChatMessage): ConversationsSlice {
  const peer = m.peer;
  const conv = s.byPeer[peer] ?? emptyConversation;
  let known = false;
  let messages = conv.messages;
  let cut = 0;
  if (conv.windowStart !== undefined && m.timestamp < conv.windowStart && positionOf(conv.messages, m.id) < 0) {
    // Older than the window: in the history store, where scroll-back finds it. main emits
    // message.received only for a message it newly stored, so it still counts as new.
  } else {
    ({ messages, known, cut } = upsert(conv.messages, m, windowed(s, peer) ? MESSAGE_WINDOW : Infinity));
  }
  const view = conv.view && viewWith(conv.view, m, known);
  if (known && messages === conv.messages && view === conv.view) return s;
  const isNew = m.direction === 'in' && !known;
  let next = s;
  // An incoming message opens a tab for its peer; it becomes active only if nothing else is.
  if (isNew && !s.tabs.includes(peer)) next = { ...next, tabs: [...next.tabs, peer], active: next.active ?? peer };
  const unread = isNew && next.active !== peer ? conv.unread + 1 : conv.unread;
  if (messages === conv.messages && unread === conv.unread && view === conv.view) return next;
  const c: Conversation = { ...conv, messages, unread };
  if (view) c.view = view;
  if (cut > 0) {
    c.windowStart = messages[0]!.timestamp;
    c.older = cursorBefore(c.windowStart);
  }
  return withConversation(next, peer, c);
}

/** `list` with the message `id` replaced by `f(it)` (the same array when it is not held or `f` keeps it). */
function replaced(list: readonly ChatMessage[], id: string, f: (m: ChatMessage) => ChatMessage): readonly ChatMessage[] {
  const i = positionOf(list, id);
  if (i < 0) return list;
  const old = list[i]!;
  const m = f(old);
  if (m === old) return list;
  const next = list.slice();
  next[i] = m;
  handOver(list, next, [m]);
  return next;
}

/**
 * Change a held message (a correction, a delivery state), in the live window and in the view of
 * older history alike. Not held (outside both, or never loaded): the store has the change for
 * when it is paged in.
 */
function updateHeld(s: ConversationsSlice, peer: string, id: string, f: (m: ChatMessage) => ChatMessage): ConversationsSlice {
  const conv = s.byPeer[peer];
  if (!conv) return s;
  const messages = replaced(conv.messages, id, f);
  const inView = conv.view && replaced(conv.view.messages, id, f);
  if (messages === conv.messages && inView === conv.view?.messages) return s;
  const c: Conversation = { ...conv, messages };
  if (conv.view && inView) c.view = { ...conv.view, messages: inView };
  return withConversation(s, peer, c);
}

/** XEP-0308: main applied a correction (it checked the sender); show the new text as edited. */
function correct(s: ConversationsSlice, peer: string, id: string, body: string): ConversationsSlice {
  // The event carries no time; the stored copy (next page load) has the exact one.
  return updateHeld(s, peer, id, (old) => (old.body === body && old.correctedAt !== undefined ? old : { ...old, body, correctedAt: old.correctedAt ?? old.timestamp }));
}

export interface ViewPage {
  peer: string;
  messages: ChatMessage[];
  older?: string;
  newer?: string;
  /** `around`: opens the view (a search hit and the messages on either side); `older`/`newer`: a page before / after it. */
  part: 'around' | 'older' | 'newer';
}

/**
 * A page of the view of older history. Once the view's newest page reaches the newest stored
 * message (no `newer`), the view joins the live window: the live messages from its first stamp on
 * are either in it already or arrived after it was read, so together they run without a gap.
 */
function viewLoaded(s: ConversationsSlice, p: ViewPage): ConversationsSlice {
  const conv = s.byPeer[p.peer] ?? emptyConversation;
  let messages: ChatMessage[];
  let older: string | undefined;
  let unseen = 0;
  if (p.part === 'around') {
    messages = sortedUnique(p.messages);
    older = p.older;
  } else {
    const v = conv.view;
    if (!v) return s;
    unseen = v.unseen;
    messages = p.part === 'older' ? sortedUnique([...p.messages, ...v.messages]) : sortedUnique([...v.messages, ...p.messages]);
    older = p.part === 'older' ? p.older : v.older;
  }
  const newer = p.part === 'older' ? conv.view!.newer : p.newer;
  if (newer !== undefined) {
    const view: HistoryView = { messages, newer, unseen };
    if (older !== undefined) view.older = older;
    return withConversation(s, p.peer, { ...conv, view });
  }
  const first = messages[0];
  const live = first ? conv.messages.filter((m) => m.timestamp >= first.timestamp) : conv.messages;
  const joined: Conversation = { messages: sortedUnique([...messages, ...live]), unread: conv.unread, loaded: true };
  if (older !== undefined) joined.older = older;
  if (conv.toLatest !== undefined) joined.toLatest = conv.toLatest;
  return withConversation(s, p.peer, joined);
}

/** Leave the view of older history; `toLatest`: and ask the list to show the newest messages (the hit's highlight ends too). */
function viewClosed(s: ConversationsSlice, peer: string, toLatest: boolean): ConversationsSlice {
  const conv = s.byPeer[peer];
  if (!conv || (!conv.view && !toLatest)) return s;
  const { view: _v, ...c } = conv as Conversation;
  if (toLatest) c.toLatest = (conv.toLatest ?? 0) + 1;
  let next = withConversation(s, peer, c);
  if (toLatest && next.focus?.peer === peer) {
    const { focus: _f, ...rest } = next;
    next = rest;
  }
  return toLatest ? readingChanged(next, peer, false) : next;
}

/** A page from history.page merged into what is shown (live messages may already be there). */
function pageLoaded(s: ConversationsSlice, p: { peer: string; messages: ChatMessage[]; older?: string; latest: boolean }): ConversationsSlice {
  const conv = s.byPeer[p.peer] ?? emptyConversation;
  const start = conv.windowStart;
  // The newest page asked for before a flood dropped older messages: what it holds before the
  // window is left to scroll-back too, so the list has no hole.
  const page = p.latest && start !== undefined ? p.messages.filter((m) => m.timestamp >= start) : p.messages;
  const messages = sortedUnique([...page, ...conv.messages]);
  // A newest page tells where older history starts only when nothing older was loaded (or dropped) before it.
  const older = p.latest && (conv.loaded || start !== undefined) ? conv.older : p.older;
  const next: Conversation = { messages, unread: conv.unread, loaded: true };
  if (older !== undefined) next.older = older;
  // An older page (asked with `older`, which points just before the window) joins the window to the history before it.
  if (p.latest && start !== undefined) next.windowStart = start;
  return withConversation(s, p.peer, next);
}

/**
 * The view of `peer` is (`reading` true) or is no longer (scrolled back to the bottom, closed)
 * above the bottom. Trimming to the window resumes with the next message, not now: a reader who
 * scrolls down and back up again finds what was loaded still there.
 */
export function readingChanged(s: ConversationsSlice, peer: string, reading: boolean): ConversationsSlice {
  if (reading) return s.readingBack === peer ? s : { ...s, readingBack: peer };
  if (s.readingBack !== peer) return s;
  const { readingBack: _r, ...rest } = s;
  return rest;
}

export function applyConversations(s: ConversationsSlice, a: Action): ConversationsSlice {
  switch (a.name) {
    case 'message.received':
      return addMessage(s, a.payload.message);
    case 'message.corrected':
      return correct(s, a.payload.peer, a.payload.id, a.payload.body);
    case 'local.pageLoaded':
      return pageLoaded(s, a.payload);
    case 'local.readingBack':
      return readingChanged(s, a.payload.peer, a.payload.reading);
    case 'local.messageFocused': {
      if (a.payload === null) {
        if (!s.focus) return s;
        const { focus: _f, ...rest } = s;
        return rest;
      }
      return { ...s, focus: a.payload };
    }
    case 'local.messageSent': {
      // A message the user just wrote: the list shows the newest messages, with it.
      const m = a.payload.message;
      const conv = s.byPeer[m.peer];
      const fresh = !conv || (positionOf(conv.messages, m.id) < 0 && (!conv.view || positionOf(conv.view.messages, m.id) < 0));
      const next = addMessage(s, m);
      return fresh ? viewClosed(next, m.peer, true) : next;
    }
    case 'local.viewLoaded':
      return viewLoaded(s, a.payload);
    case 'local.viewClosed':
      return viewClosed(s, a.payload.peer, a.payload.toLatest);
    case 'message.updated': {
      const { id, peer, state, error } = a.payload;
      return updateHeld(s, peer, id, (old) => {
        const updated: ChatMessage = { ...old, state };
        if (error !== undefined) updated.error = error;
        else delete updated.error;
        return updated;
      });
    }
    case 'local.chatOpened': {
      // Also main's ask to show a conversation (a notification was clicked): Session.receive opens it.
      const { peer } = a.payload;
      const conv = s.byPeer[peer];
      let next: ConversationsSlice = { ...s, tabs: s.tabs.includes(peer) ? s.tabs : [...s.tabs, peer], active: peer };
      if (conv && conv.unread > 0) next = withConversation(next, peer, { ...conv, unread: 0 });
      return next;
    }
    case 'local.tabClosed': {
      const { peer } = a.payload;
      const i = s.tabs.indexOf(peer);
      if (i < 0) return s;
      const tabs = s.tabs.filter((t) => t !== peer);
      // Closing the active tab activates its right-hand neighbour, else the left one (as browsers do).
      const active = s.active === peer ? (tabs[i] ?? tabs[i - 1]) : s.active;
      // Opened again, a conversation starts at its newest messages.
      const next: ConversationsSlice = { ...viewClosed(s, peer, false), tabs };
      if (active === undefined) delete next.active;
      else next.active = active;
      const conv = next.byPeer[active ?? ''];
      return active !== undefined && conv && conv.unread > 0 ? withConversation(next, active, { ...conv, unread: 0 }) : next;
    }
    case 'local.draftChanged': {
      const drafts = nullProto(s.drafts);
      if (a.payload.text === '') delete drafts[a.payload.peer];
      else drafts[a.payload.peer] = a.payload.text;
      return { ...s, drafts };
    }
    case 'local.hydrated': {
      const byPeer = Object.create(null) as Record<string, Conversation>;
      for (const [peer, list] of Object.entries(a.payload.snapshot.conversations)) {
        byPeer[peer] = { messages: sortedUnique(list), unread: 0 };
      }
      // Tabs and drafts are the renderer's own: a re-sync after the bridge reconnects keeps them.
      return { ...s, byPeer };
    }
    case 'local.loggedOut':
      return emptyConversations;
    default:
      return s;
  }
}
