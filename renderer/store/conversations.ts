// Conversations slice: one-to-one messages per peer (bare JID), open tabs, the active tab, unread
// counts and composer drafts. Messages are kept ordered by timestamp, then by arrival (a message
// stamped equal to an earlier one goes after it), and deduplicated by id — main may deliver the
// same message twice (chat.send's result and the message.received echo; history replays).
import type { ChatMessage } from '../../shared/domain';
import type { Action } from './actions';

export interface Conversation {
  messages: readonly ChatMessage[];
  /** Incoming messages that arrived while this conversation was not the active tab. */
  unread: number;
  /** history.page loaded the newest page since the last snapshot (else the view asks for it). */
  loaded?: boolean;
  /** Cursor for the next older page (scroll-back); absent: nothing older (once loaded). */
  older?: string;
}

export interface ConversationsSlice {
  byPeer: Readonly<Record<string, Conversation>>;
  /** Open tabs in display order (bare JIDs). */
  tabs: readonly string[];
  active?: string;
  drafts: Readonly<Record<string, string>>;
  /** A message to scroll into view and highlight (a chosen search hit). */
  focus?: { peer: string; id: string };
}

export const emptyConversations: ConversationsSlice = { byPeer: {}, tabs: [], drafts: {} };
const emptyConversation: Conversation = { messages: [], unread: 0 };

const nullProto = <T>(from: Readonly<Record<string, T>>): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, from);

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

/** Insert or update one message; returns the same array when nothing changed. */
export function upsertMessage(messages: readonly ChatMessage[], m: ChatMessage): readonly ChatMessage[] {
  const i = lastIndexOfId(messages, m.id);
  if (i >= 0) {
    const old = messages[i]!;
    const merged = mergeDuplicate(old, m);
    if (merged === old) return messages;
    const next = messages.slice();
    if (merged.timestamp === old.timestamp) {
      next[i] = merged;
      return next;
    }
    next.splice(i, 1);
    next.splice(insertionIndex(next, merged.timestamp), 0, merged);
    return next;
  }
  const next = messages.slice();
  next.splice(insertionIndex(messages, m.timestamp), 0, m);
  return next;
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

function lastIndexOfId(messages: readonly ChatMessage[], id: string): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.id === id) return i;
  return -1;
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

function addMessage(s: ConversationsSlice, m: ChatMessage): ConversationsSlice {
  const peer = m.peer;
  const conv = s.byPeer[peer] ?? emptyConversation;
  const known = lastIndexOfId(conv.messages, m.id) >= 0;
  const messages = upsertMessage(conv.messages, m);
  if (messages === conv.messages) return s;
  let next = s;
  // An incoming message opens a tab for its peer; it becomes active only if nothing else is.
  if (m.direction === 'in' && !known && !s.tabs.includes(peer)) next = { ...next, tabs: [...next.tabs, peer], active: next.active ?? peer };
  const unread = m.direction === 'in' && !known && next.active !== peer ? conv.unread + 1 : conv.unread;
  return withConversation(next, peer, { ...conv, messages, unread });
}

/** XEP-0308: main applied a correction (it checked the sender); show the new text as edited. */
function correct(s: ConversationsSlice, peer: string, id: string, body: string): ConversationsSlice {
  const conv = s.byPeer[peer];
  const i = conv ? lastIndexOfId(conv.messages, id) : -1;
  if (!conv || i < 0) return s;
  const old = conv.messages[i]!;
  if (old.body === body && old.correctedAt !== undefined) return s;
  // The event carries no time; the stored copy (next page load) has the exact one.
  const messages = conv.messages.slice();
  messages[i] = { ...old, body, correctedAt: old.correctedAt ?? old.timestamp };
  return withConversation(s, peer, { ...conv, messages });
}

/** A page from history.page merged into what is shown (live messages may already be there). */
function pageLoaded(s: ConversationsSlice, p: { peer: string; messages: ChatMessage[]; older?: string; latest: boolean }): ConversationsSlice {
  const conv = s.byPeer[p.peer] ?? emptyConversation;
  const messages = sortedUnique([...p.messages, ...conv.messages]);
  // A newest page tells where older history starts only when nothing older was loaded before it.
  const older = p.latest && conv.loaded ? conv.older : p.older;
  const next: Conversation = { messages, unread: conv.unread, loaded: true };
  if (older !== undefined) next.older = older;
  return withConversation(s, p.peer, next);
}

export function applyConversations(s: ConversationsSlice, a: Action): ConversationsSlice {
  switch (a.name) {
    case 'message.received':
      return addMessage(s, a.payload.message);
    case 'message.corrected':
      return correct(s, a.payload.peer, a.payload.id, a.payload.body);
    case 'local.pageLoaded':
      return pageLoaded(s, a.payload);
    case 'local.messageFocused': {
      if (a.payload === null) {
        if (!s.focus) return s;
        const { focus: _f, ...rest } = s;
        return rest;
      }
      return { ...s, focus: a.payload };
    }
    case 'local.messageSent':
      return addMessage(s, a.payload.message);
    case 'message.updated': {
      const { id, peer, state, error } = a.payload;
      const conv = s.byPeer[peer];
      const i = conv ? lastIndexOfId(conv.messages, id) : -1;
      if (!conv || i < 0) return s;
      const old = conv.messages[i]!;
      const updated: ChatMessage = { ...old, state };
      if (error !== undefined) updated.error = error;
      else delete updated.error;
      const messages = conv.messages.slice();
      messages[i] = updated;
      return withConversation(s, peer, { ...conv, messages });
    }
    case 'ui.openChat':
    case 'local.chatOpened': {
      // ui.openChat: main asks (a notification was clicked) to show that conversation.
      const peer = a.name === 'ui.openChat' ? a.payload.jid : a.payload.peer;
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
      const next: ConversationsSlice = { ...s, tabs };
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
