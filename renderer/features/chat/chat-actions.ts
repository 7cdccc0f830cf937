// Issue 5 use cases of a conversation: scroll-back pages, corrections, retry, typing state,
// displayed markers, mute, export, search. Like Session (features/app/session.ts) they pair the
// command to main with the store update, so components never touch the api directly.
import type { FlintApi } from '../../../shared/ipc/contract';
import type { ChatMessage } from '../../../shared/domain';
import { useMemo } from 'react';
import { action } from '../../store/actions';
import { dispatch, getState } from '../../store/store';
import { useSession } from '../app/session-context';

export const PAGE_SIZE = 50;
/** Opening a search hit pages back at most this far (PAGE_SIZE × this) to reach it. */
const MAX_PAGES_TO_HIT = 40;

type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

/** One request per conversation at a time: a call while one runs for `peer` gets the running one. */
function joined<T>(running: Map<string, Promise<T>>, peer: string, start: () => Promise<T>): Promise<T> {
  const current = running.get(peer);
  if (current) return current;
  const p = start().finally(() => running.delete(peer));
  running.set(peer, p);
  return p;
}

export class ChatActions {
  private readonly loading = new Map<string, Promise<boolean>>();
  private readonly latest = new Map<string, Promise<void>>();

  constructor(private readonly api: Pick<FlintApi, 'invoke'>) {}

  /** The newest page of a conversation (when it opens). */
  loadLatest(peer: string): Promise<void> {
    // openChat asks as the tab opens, and the view asks again when it mounts (it does not know the
    // first request is on its way): the second joins the first.
    return joined(this.latest, peer, async () => {
      const page = await this.api.invoke('history.page', { peer, limit: PAGE_SIZE });
      dispatch(action('local.pageLoaded', { peer, messages: page.messages, latest: true, ...(page.older ? { older: page.older } : {}) }));
    });
  }

  /** The page before the oldest one shown; false when there is nothing older. One request per conversation at a time. */
  loadOlder(peer: string): Promise<boolean> {
    return joined(this.loading, peer, async () => {
      const older = getState().conversations.byPeer[peer]?.older;
      if (older === undefined) return false;
      const page = await this.api.invoke('history.page', { peer, before: older, limit: PAGE_SIZE });
      // Meanwhile the window moved on (messages arrived at the bottom and older ones were dropped):
      // this page would end before the messages now held, leaving a hole. Not merged; the caller
      // asks again from the new cursor.
      if (getState().conversations.byPeer[peer]?.older !== older) return true;
      dispatch(action('local.pageLoaded', { peer, messages: page.messages, latest: false, ...(page.older ? { older: page.older } : {}) }));
      return page.messages.length > 0;
    });
  }

  /** A chosen search hit: open its conversation with history loaded back to it, scrolled there. */
  async openAt(peer: string, id: string): Promise<void> {
    dispatch(action('local.chatOpened', { peer }));
    void this.api.invoke('chat.open', { jid: peer }).catch(() => {});
    // Focused first: while focused, the conversation keeps the pages loaded to reach the hit (a
    // flood arriving meanwhile must not drop them to its window); the view scrolls there once it is in.
    dispatch(action('local.messageFocused', { peer, id }));
    const has = () => getState().conversations.byPeer[peer]?.messages.some((m) => m.id === id) ?? false;
    if (!getState().conversations.byPeer[peer]?.loaded) await this.loadLatest(peer);
    for (let i = 0; i < MAX_PAGES_TO_HIT && !has(); i++) if (!(await this.loadOlder(peer))) break;
  }

  async correct(id: string, body: string): Promise<ChatMessage> {
    const message = await this.api.invoke('chat.correct', { id, body });
    dispatch(action('local.messageSent', { message }));
    return message;
  }

  async retry(id: string): Promise<ChatMessage> {
    const message = await this.api.invoke('chat.retry', { id });
    dispatch(action('local.messageSent', { message }));
    return message;
  }

  setChatState(to: string, state: ChatState): void {
    void this.api.invoke('chat.setState', { to, state }).catch(() => {});
  }

  markDisplayed(peer: string, id: string): void {
    void this.api.invoke('chat.markDisplayed', { peer, id }).catch(() => {});
  }

  async setMuted(peer: string, muted: boolean): Promise<void> {
    await this.api.invoke('chat.setMuted', { peer, muted });
    dispatch(action('local.muteChanged', { peer, muted }));
  }

  setUnread(total: number): void {
    void this.api.invoke('app.setUnread', { total }).catch(() => {});
  }

  exportConversation(peer: string, format: 'text' | 'html'): Promise<string> {
    return this.api.invoke('history.export', { peer, format });
  }

  /** Desktop app: main's save dialog; false when the user cancelled. */
  saveExport(peer: string, format: 'text' | 'html'): Promise<boolean> {
    return this.api.invoke('history.saveExport', { peer, format });
  }

  search(query: string) {
    return this.api.invoke('history.search', { query, limit: 100 });
  }
}

const bySession = new WeakMap<object, ChatActions>();

/** The conversation use cases of a session (one instance per session: in-flight requests are shared). */
export function chatActionsFor(session: { api: Pick<FlintApi, 'invoke'> }): ChatActions {
  let a = bySession.get(session);
  if (!a) bySession.set(session, (a = new ChatActions(session.api)));
  return a;
}

export function useChatActions(): ChatActions {
  const session = useSession();
  return useMemo(() => chatActionsFor(session), [session]);
}
