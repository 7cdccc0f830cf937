// Issue 5 use cases of a conversation: scroll-back pages, corrections, retry, typing state,
// displayed markers, mute, export, search. Like Session (features/app/session.ts) they pair the
// command to main with the store update, so components never touch the api directly.
import type { FlintApi } from '../../../shared/ipc/contract';
import type { ChatMessage } from '../../../shared/domain';
import { useMemo } from 'react';
import { action } from '../../store/actions';
import { dispatch, getState } from '../../store/store';
import { cursorJustBefore, isHeld } from '../../store/conversations';
import { useSession } from '../app/session-context';

export const PAGE_SIZE = 50;
/**
 * Opening a conversation (Session.openChat) or a search hit shows its panel once what it will show
 * is in — one render, not an empty panel (or the newest messages) first and the right ones a frame
 * or two later; main answers from the local store in a few ms — but waits no longer than this
 * (the archive asked, main busy): then the panel shows and fills as the page comes.
 */
export const OPEN_WAIT_MS = 150;
/** Messages asked for on each side of a search hit that is not held (the view of older history opens with them). */
const AROUND_HIT = 25;

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
  private readonly loadingNewer = new Map<string, Promise<boolean>>();
  /** Counts the conversations asked to be shown: one still waiting for its page is not shown over one asked for after it. */
  private shows = 0;
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

  /**
   * The page before the oldest one shown — of the view of older history when one is shown, else of
   * the live window; false when there is nothing older. One request per conversation at a time.
   */
  loadOlder(peer: string): Promise<boolean> {
    return joined(this.loading, peer, async () => {
      const conv = () => getState().conversations.byPeer[peer];
      const view = conv()?.view;
      const older = view ? view.older : conv()?.older;
      if (older === undefined) return false;
      const page = await this.api.invoke('history.page', { peer, before: older, limit: PAGE_SIZE });
      const more = page.older ? { older: page.older } : {};
      if (view) {
        // The view was closed or replaced meanwhile (another hit, Jump to latest): not for it.
        if (conv()?.view?.older !== older) return true;
        dispatch(action('local.viewLoaded', { peer, messages: page.messages, part: 'older', ...more }));
        return page.messages.length > 0;
      }
      // Meanwhile the window moved on (messages arrived at the bottom and older ones were dropped):
      // this page would end before the messages now held, leaving a hole. Not merged; the caller
      // asks again from the new cursor.
      if (conv()?.view || conv()?.older !== older) return true;
      dispatch(action('local.pageLoaded', { peer, messages: page.messages, latest: false, ...more }));
      return page.messages.length > 0;
    });
  }

  /**
   * The page after the newest message of the view of older history (scrolling down in it); false
   * when no view is shown. When the page reaches the newest stored message the view joins the live
   * window (conversations.ts). One request per conversation at a time.
   */
  loadNewer(peer: string): Promise<boolean> {
    return joined(this.loadingNewer, peer, async () => {
      const newer = getState().conversations.byPeer[peer]?.view?.newer;
      if (newer === undefined) return false;
      const page = await this.api.invoke('history.page', { peer, after: newer, limit: PAGE_SIZE });
      if (getState().conversations.byPeer[peer]?.view?.newer !== newer) return true;
      dispatch(action('local.viewLoaded', { peer, messages: page.messages, part: 'newer', ...(page.newer ? { newer: page.newer } : {}) }));
      return true;
    });
  }

  /**
   * Makes `peer` the active conversation: at once without `ready`; else once `ready` settles (its
   * page is in: one render of the panel with its messages) or after OPEN_WAIT_MS, whichever is
   * first — unless another conversation was asked to be shown meanwhile (Session.openChat and
   * openAt both go through here). `then` runs when it is shown.
   */
  show(peer: string, ready?: Promise<unknown>, then?: () => void): void {
    const seq = ++this.shows;
    let shown = false;
    const show = () => {
      if (shown || seq !== this.shows) return;
      shown = true;
      dispatch(action('local.chatOpened', { peer }));
      then?.();
    };
    if (!ready) return show();
    const timer = setTimeout(show, OPEN_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      show();
    };
    ready.then(done, done);
  }

  /** Back to the newest messages: the view of older history (if any) is left, the list scrolls to the bottom. */
  showLatest(peer: string): void {
    dispatch(action('local.viewClosed', { peer, toLatest: true }));
  }

  /**
   * A chosen search hit: open its conversation scrolled to the hit. When the messages held do not
   * include it, the messages around it are read from the store (one request on each side, however
   * far back it is) and shown as a view of older history, paged up and down from there.
   */
  async openAt(peer: string, hit: { id: string; cursor: string }): Promise<void> {
    const { id, cursor } = hit;
    void this.api.invoke('chat.open', { jid: peer }).catch(() => {});
    // Focused first: while focused, the live window keeps what it holds (a flood arriving meanwhile
    // must not drop the hit); the view scrolls there once it is in.
    dispatch(action('local.messageFocused', { peer, id }));
    const loading = this.showHit(peer, id, cursor);
    // Shown with the hit's page in.
    this.show(peer, loading);
    try {
      await loading;
    } catch (err) {
      // Not shown: no highlight left waiting for it (while focused, the live window is not trimmed).
      const focus = getState().conversations.focus;
      if (focus?.peer === peer && focus.id === id) dispatch(action('local.messageFocused', null));
      throw err;
    }
  }

  private async showHit(peer: string, id: string, cursor: string): Promise<void> {
    const conv = () => getState().conversations.byPeer[peer];
    const holds = (list: readonly ChatMessage[] | undefined) => list !== undefined && isHeld(list, id);
    if (!conv()?.loaded) await this.loadLatest(peer);
    if (holds(conv()?.view?.messages)) return;
    if (holds(conv()?.messages)) {
      dispatch(action('local.viewClosed', { peer, toLatest: false }));
      return;
    }
    const [before, after] = await Promise.all([
      this.api.invoke('history.page', { peer, before: cursor, limit: AROUND_HIT }),
      this.api.invoke('history.page', { peer, after: cursorJustBefore(cursor), limit: AROUND_HIT + 1 }),
    ]);
    // Another hit was chosen meanwhile: that one is shown.
    const focus = getState().conversations.focus;
    if (focus?.peer !== peer || focus.id !== id) return;
    dispatch(
      action('local.viewLoaded', {
        peer,
        messages: [...before.messages, ...after.messages],
        part: 'around',
        ...(before.older ? { older: before.older } : {}),
        ...(after.newer ? { newer: after.newer } : {}),
      }),
    );
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
