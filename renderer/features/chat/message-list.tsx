// The messages of one conversation, oldest first, in a role=log region (screen readers announce
// what is added). Keeps the view pinned to the newest message unless the user scrolled up.
// Issue 5: the newest page comes from the history store when the conversation opens; scrolling to
// the top loads older pages while the view stays where it was; a chosen search hit is scrolled into
// view and highlighted (the entries themselves: message-items.tsx); a visible, focused
// conversation sends a displayed marker for the latest incoming message. Scrolled far back it
// renders a bounded stretch (MAX_RENDERED), dropping what is furthest below and bringing it back on
// the way down. A search hit further back than the messages held opens a view of older history
// around it (conversations.ts HistoryView): scrolling down in it loads newer pages until it joins
// the newest messages, and "Jump to latest" goes straight back.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/domain';
import { errorText } from '../../../shared/error-text';
import { Button } from '../../ui/button';
import { action } from '../../store/actions';
import { dispatch, useFlint } from '../../store/store';
import type { RootState } from '../../store/root';
import { useChatActions } from './chat-actions';
import { useThrottledFlint } from './use-throttled-flint';
import { messageDomId, TimelineItems } from './message-items';
import { buildTimeline, seenAmong, visibleTimeline, type TimelineTransfer } from './timeline';
// Issue 6: transfer cards being prepared, at the end of the conversation.
import { StagingCardByKey } from '../transfers/transfer-card';

const NO_MESSAGES: readonly ChatMessage[] = [];
const NO_TRANSFERS: readonly TimelineTransfer[] = [];
/** Within this many pixels of the bottom counts as "at the bottom". */
const STICK_PX = 80;
/** Within this many pixels of the top, the next older page is asked for. */
const TOP_PX = 48;
/** How long a chosen search hit stays highlighted. */
const HIGHLIGHT_MS = 6_000;
/**
 * Entries rendered at the bottom: the newest this many (several screens). A flood of thousands of
 * messages then costs the page a short list per batch — laying out the list is most of a batch's
 * cost, and it grows with the entries rendered — not every message on every batch.
 */
const RENDER_WINDOW = 60;
/** Entries rendered in addition each time the user scrolls to the top of what is rendered (before older pages are asked of main). */
const RENDER_STEP = 300;
/**
 * Entries rendered at most: scrolled far back, those furthest below are dropped from the page (the
 * store keeps them) and come back as the user scrolls down to them. Without it every older page, new
 * message and scroll costs the page in proportion to all it has rendered (bench/history/scroll-back.mjs:
 * 235 ms a page 5,000 messages back, 1.2 s at 20,000), most of it Chromium's pre-paint and hit tests.
 */
const MAX_RENDERED = 600;
/**
 * While messages keep arriving, the list follows them at most this often (the first after a quiet
 * spell shows at once): a flood then costs a few renders a second, each taking in a whole run of
 * batches, instead of a render, a layout and a frame per batch from main.
 */
const FLOOD_RENDER_MS = 250;
/** The reading anchor (below) when the whole timeline is rendered. Entry keys are message ids, `day-…` and `transfer:…`. */
const FROM_START = '\u0000start';

/**
 * The first or last message rendered (an `li` with an id): what keeps the place while entries are
 * added or dropped around it. Not a day separator: the one heading what is rendered is re-used at
 * the new top when older entries of the same day come in front.
 */
function messageEntry(list: HTMLOListElement | null, which: 'first' | 'last'): Element | null {
  let el = which === 'first' ? list?.firstElementChild : list?.lastElementChild;
  while (el && !el.id.startsWith('msg-')) el = which === 'first' ? el.nextElementSibling : el.previousElementSibling;
  return el ?? null;
}

export interface MessageListProps {
  peer: string;
  peerName: string;
  /** The Edit action on our last message. */
  onEdit(message: ChatMessage): void;
  /**
   * Shown instead of the store's messages, by a list that does nothing else: no page requests, no
   * displayed markers, no store updates, no scroll handling (the chat warm-up, warm-up.tsx, which
   * renders the list for a peer nobody has, so that the first real open finds its code warm).
   */
  sample?: readonly ChatMessage[];
}

export function MessageList({ peer, peerName, onEdit, sample }: MessageListProps) {
  const passive = sample !== undefined;
  const { t, i18n } = useTranslation();
  const actions = useChatActions();
  const selectMessages = useCallback(
    (s: RootState) => {
      const c = s.conversations.byPeer[peer];
      return c?.view?.messages ?? c?.messages ?? NO_MESSAGES;
    },
    [peer],
  );
  const held = useThrottledFlint(selectMessages, FLOOD_RENDER_MS);
  const messages = sample ?? held;
  const loaded = useFlint((s) => s.conversations.byPeer[peer]?.loaded ?? false);
  const hasOlder = useFlint((s) => {
    const c = s.conversations.byPeer[peer];
    return (c?.view ? c.view.older : c?.older) !== undefined;
  });
  // A view of older history is shown: newer messages are below it, in the store.
  const hasNewer = useFlint((s) => s.conversations.byPeer[peer]?.view !== undefined);
  const unseen = useFlint((s) => s.conversations.byPeer[peer]?.view?.unseen ?? 0);
  const toLatest = useFlint((s) => s.conversations.byPeer[peer]?.toLatest ?? 0);
  const seenId = useFlint((s) => s.chatStatus.seen[peer]);
  const focus = useFlint((s) => (s.conversations.focus?.peer === peer ? s.conversations.focus.id : undefined));
  const online = useFlint((s) => s.connection.state.status === 'online');
  // Issue 6: byPeer changes only when a transfer is added or removed, never on progress.
  const transfers = useFlint((s) => s.transfers.byPeer[peer] ?? NO_TRANSFERS);
  // A string, so this list re-renders when a file starts or stops being prepared, not per chunk.
  const stagingKeys = useFlint((s) => s.transfers.staging.filter((e) => e.peer === peer).map((e) => e.key).join('\n'));
  // A view of older history shows the transfers of its stretch only: later ones belong below it.
  const timeline = useMemo(() => {
    const end = messages[messages.length - 1]?.timestamp ?? 0;
    return buildTimeline(messages, hasNewer ? transfers.filter((x) => x.startedAt <= end) : transfers);
  }, [messages, transfers, hasNewer]);
  // Starts at RENDER_WINDOW for each conversation: the panel is keyed by peer (chat-area.tsx), so
  // another conversation mounts a new list.
  const [limit, setLimit] = useState(RENDER_WINDOW);
  /**
   * While the user reads above the bottom, the first rendered entry stays put as messages arrive
   * (the window grows at the end instead of sliding, so nothing moves under the reader). Null at
   * the bottom, where the window slides with the newest messages. The entry's key, not its index:
   * the list shows the store's messages up to FLOOD_RENDER_MS late, and the store may have dropped
   * older ones from its window meanwhile, which shifts every index. FROM_START: everything is
   * rendered, older pages merged in front included.
   */
  const anchor = useRef<string | null>(null);
  const anchorAt = anchor.current === null ? -1 : anchor.current === FROM_START ? 0 : timeline.findIndex((e) => e.key === anchor.current);
  // At the bottom: the newest `limit` entries. Reading back: from the anchor (or `limit` from the end,
  // if that is further back) on, MAX_RENDERED at most.
  const start = Math.max(0, anchorAt < 0 ? timeline.length - limit : Math.min(anchorAt, timeline.length - limit));
  const end = anchorAt < 0 ? timeline.length : Math.min(timeline.length, start + MAX_RENDERED);
  const shown = useMemo(() => visibleTimeline(timeline, { start, end }, focus, MAX_RENDERED), [timeline, start, end, focus]);
  // Our messages at or before the one the peer's displayed marker names count as seen.
  const seenAt = useMemo(() => seenAmong(timeline, shown, seenId), [timeline, shown, seenId]);
  const lastOwnId = useMemo(() => {
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.direction === 'out') return messages[i]!.id;
    return undefined;
  }, [messages]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  /**
   * The store keeps only the newest messages of a conversation whose view is at the bottom
   * (conversations.ts MESSAGE_WINDOW): tell it when the user leaves the bottom and comes back.
   */
  const setAtBottom = useCallback(
    (at: boolean) => {
      if (atBottom.current === at) return;
      atBottom.current = at;
      dispatch(action('local.readingBack', { peer, reading: !at }));
    },
    [peer],
  );
  /** Far enough above the bottom that "Jump to latest" is offered (always, in a view of older history). */
  const [away, setAway] = useState(false);
  useEffect(() => {
    atBottom.current = true;
    if (passive) return;
    return () => {
      dispatch(action('local.readingBack', { peer, reading: false }));
      // Shown again (another tab and back), the conversation starts at its newest messages.
      dispatch(action('local.viewClosed', { peer, toLatest: false }));
    };
  }, [peer, passive]);
  /**
   * Set before entries are added or dropped above what the user sees (an older page merged, more
   * rendered above, those above dropped): an entry that stays, to keep it where it is on screen —
   * or, when it is gone, the height and position then, to keep the bottom part in place.
   */
  const restore = useRef<{ node: HTMLElement | null; offset: number; height: number; top: number } | null>(null);
  const keepInPlace = useCallback((node: Element | null | undefined) => {
    const el = scrollRef.current;
    if (!el) return;
    const entry = node instanceof HTMLElement ? node : null;
    // Where it is on screen (offsetTop would count the list's own scrolling too).
    restore.current = { node: entry, offset: entry?.getBoundingClientRect().top ?? 0, height: el.scrollHeight, top: el.scrollTop };
  }, []);
  /** Counts moves of the anchor (a ref): each renders the list again. */
  const [, setRevealed] = useState(0);
  const [olderState, setOlderState] = useState<PageState>('idle');
  const [newerState, setNewerState] = useState<PageState>('idle');

  useEffect(() => {
    if (!loaded && !passive) actions.loadLatest(peer).catch(() => {});
    // Offline, the store still answers; online the archive may add older messages: ask once per (re)load.
  }, [actions, peer, loaded, passive]);

  // Jump to latest, or a message sent (conversations.ts toLatest): back to the bottom, following
  // new messages again. Before the effect below, which then keeps the view there.
  const handledToLatest = useRef(toLatest);
  useLayoutEffect(() => {
    if (handledToLatest.current === toLatest) return;
    handledToLatest.current = toLatest;
    atBottom.current = true;
    anchor.current = null;
    setLimit(RENDER_WINDOW);
    setAway(false);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [toLatest]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const r = restore.current;
    if (r) {
      if (r.node?.isConnected) el.scrollTop += r.node.getBoundingClientRect().top - r.offset;
      else el.scrollTop = el.scrollHeight - r.height + r.top;
      restore.current = null;
      // In a view of older history the bottom is not the newest message: newer pages load as it is
      // reached, and following it would load them all.
    } else if (atBottom.current && focus === undefined && !hasNewer) el.scrollTop = el.scrollHeight;
    // On what is rendered changing (not on the anchor merely being set: a restore waits for its page).
  }, [shown, focus, stagingKeys, hasNewer]);

  // Issue 6: transfer cards grow (progress, method, buttons) without a new entry: a view at the
  // bottom stays at the bottom.
  const listRef = useRef<HTMLOListElement>(null);
  const focusRef = useRef(focus);
  focusRef.current = focus;
  const newerRef = useRef(hasNewer);
  newerRef.current = hasNewer;
  useEffect(() => {
    const list = listRef.current;
    const el = scrollRef.current;
    if (!list || !el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (atBottom.current && focusRef.current === undefined && !newerRef.current && !restore.current) el.scrollTop = el.scrollHeight;
    });
    ro.observe(list);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    if (focus === undefined) return;
    const el = document.getElementById(messageDomId(peer, focus));
    const scroller = scrollRef.current;
    if (!el || !scroller) return;
    // Centred in the list by scrolling the list only (scrollIntoView would scroll the page's other
    // containers too, to centre it in the window).
    const box = scroller.getBoundingClientRect();
    const at = el.getBoundingClientRect();
    scroller.scrollTop += at.top - box.top - (box.height - at.height) / 2;
    setAtBottom(false);
    const timer = setTimeout(() => dispatch(action('local.messageFocused', null)), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [peer, focus, timeline, setAtBottom]);

  const loadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    // Rendered entries first: older messages the store already has.
    if (shown.hidden > 0) {
      if (restore.current) return;
      keepInPlace(messageEntry(listRef.current, 'first'));
      if (anchor.current !== null) anchor.current = shown.hidden - RENDER_STEP > 0 ? timeline[shown.hidden - RENDER_STEP]!.key : FROM_START;
      setLimit((l) => Math.min(MAX_RENDERED, l + RENDER_STEP));
      // The limit stops growing at MAX_RENDERED: the anchor's move alone must render the list.
      setRevealed((n) => n + 1);
      return;
    }
    if (!hasOlder || olderState === 'loading') return;
    setOlderState('loading');
    keepInPlace(messageEntry(listRef.current, 'first'));
    actions.loadOlder(peer).then(
      () => setOlderState('idle'),
      (err: unknown) => {
        restore.current = null;
        setOlderState({ error: errorText(err) });
      },
    );
  }, [actions, peer, hasOlder, olderState, shown.hidden, timeline, keepInPlace]);

  /**
   * Scrolled down to the end of what is rendered far back (MAX_RENDERED): the next RENDER_STEP
   * entries below, as many dropped above (the anchor moves down).
   */
  const revealNewer = useCallback(() => {
    if (shown.hiddenAfter === 0 || restore.current) return;
    keepInPlace(messageEntry(listRef.current, 'last'));
    const next = Math.min(shown.hidden + RENDER_STEP, timeline.length - MAX_RENDERED);
    anchor.current = next > 0 ? timeline[next]!.key : FROM_START;
    // A search hit keeps itself rendered (visibleTimeline): its highlight ends as the user scrolls on.
    if (focus !== undefined) dispatch(action('local.messageFocused', null));
    setRevealed((n) => n + 1);
  }, [shown.hidden, shown.hiddenAfter, timeline, focus, keepInPlace]);

  const loadNewer = useCallback(() => {
    if (!hasNewer || newerState === 'loading') return;
    setNewerState('loading');
    actions.loadNewer(peer).then(
      () => setNewerState('idle'),
      (err: unknown) => setNewerState({ error: errorText(err) }),
    );
  }, [actions, peer, hasNewer, newerState]);

  // A view of older history whose end is in sight (the hit near it, a short page, the window
  // taller than what is loaded) asks for the next page now: with nothing to scroll there would be
  // no scroll event to ask on.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || !hasNewer || newerState !== 'idle' || shown.hiddenAfter > 0) return;
    if (el.scrollHeight - el.scrollTop - el.clientHeight < TOP_PX) loadNewer();
  }, [timeline, focus, hasNewer, newerState, loadNewer, shown.hiddenAfter]);

  // XEP-0333: the latest incoming message counts as displayed once the window shows it and has focus.
  const lastIncoming = useMemo(() => {
    for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.direction === 'in') return messages[i]!.id;
    return undefined;
  }, [messages]);
  const marked = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (lastIncoming === undefined || !online || passive) return;
    const mark = () => {
      if (marked.current === lastIncoming || document.visibilityState !== 'visible' || !document.hasFocus()) return;
      marked.current = lastIncoming;
      actions.markDisplayed(peer, lastIncoming);
    };
    mark();
    window.addEventListener('focus', mark);
    document.addEventListener('visibilitychange', mark);
    return () => {
      window.removeEventListener('focus', mark);
      document.removeEventListener('visibilitychange', mark);
    };
  }, [actions, peer, lastIncoming, online, passive]);

  const lng = i18n.language;
  return (
    <div className="messages-pane">
      <div
        ref={scrollRef}
        className="messages"
        onScroll={(e) => {
          if (passive) return;
          const el = e.currentTarget;
          const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
          setAtBottom(!hasNewer && shown.hiddenAfter === 0 && fromBottom < STICK_PX);
          const isAway = fromBottom > Math.max(STICK_PX, el.clientHeight);
          if (isAway !== away) setAway(isAway);
          if (atBottom.current) anchor.current = null;
          else anchor.current ??= shown.hidden > 0 ? timeline[shown.hidden]!.key : FROM_START;
          if (el.scrollTop < TOP_PX && el.scrollHeight > el.clientHeight) loadOlder();
          if (fromBottom < TOP_PX) {
            if (shown.hiddenAfter > 0) revealNewer();
            else if (hasNewer) loadNewer();
          }
        }}
      >
        {olderState !== 'idle' ? (
          <PageStatus state={olderState} className="messages__older" loading={t('talk.loadingOlder')} failed={(detail) => t('talk.loadOlderFailed', { detail })} />
        ) : loaded && !hasOlder && shown.hidden === 0 && messages.length > 0 ? (
          <p className="messages__older">{t('talk.beginning')}</p>
        ) : null}
        {/* Not before the newest page is in: an opening conversation is not empty, only not loaded yet. */}
        {loaded && messages.length === 0 && transfers.length === 0 && stagingKeys === '' ? <p className="messages__empty">{t('chat.noMessages')}</p> : null}
        <ol ref={listRef} className="messages__list" role="log" aria-label={t('chat.log', { name: peerName })}>
          <TimelineItems peer={peer} peerName={peerName} entries={shown.entries} lng={lng} seenAt={seenAt} seenId={seenId} focus={focus} lastOwnId={lastOwnId} onEdit={onEdit} />
          {stagingKeys === '' ? null : stagingKeys.split('\n').map((key) => <StagingCardByKey key={key} stagingKey={key} />)}
        </ol>
        <PageStatus state={newerState} className="messages__older messages__newer" loading={t('talk.loadingNewer')} failed={(detail) => t('talk.loadNewerFailed', { detail })} />
      </div>
      {hasNewer || away || shown.hiddenAfter > 0 ? (
        <Button variant="primary" size="small" className="messages__latest" onClick={() => actions.showLatest(peer)}>
          <span aria-hidden="true">↓ </span>
          {unseen > 0 ? t('talk.jumpToLatestNew', { count: unseen }) : t('talk.jumpToLatest')}
        </Button>
      ) : null}
    </div>
  );
}

type PageState = 'idle' | 'loading' | { error: string };

/** The line at the top (older pages) or bottom (newer pages) of the list while a page loads, or why it did not. */
function PageStatus({ state, className, loading, failed }: { state: PageState; className: string; loading: string; failed(detail: string): string }) {
  if (state === 'idle') return null;
  if (state === 'loading')
    return (
      <p className={className} role="status">
        {loading}
      </p>
    );
  return (
    <p className={`${className} messages__older--error`} role="alert">
      {failed(state.error)}
    </p>
  );
}
