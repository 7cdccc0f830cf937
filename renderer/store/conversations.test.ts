import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/ipc/contract';
import type { ChatMessage } from '../../shared/domain';
import { action } from './actions';
import { applyConversations, cursorBefore, emptyConversations, MESSAGE_WINDOW, readingChanged, type ConversationsSlice } from './conversations';
import { msg, received, snapshot } from './test-events';

const fold = (s: ConversationsSlice, ...as: Parameters<typeof applyConversations>[1][]) => as.reduce(applyConversations, s);
const bodies = (s: ConversationsSlice, peer: string) => s.byPeer[peer]!.messages.map((m) => m.body);

describe('conversations slice', () => {
  it('orders by timestamp, then by arrival for equal timestamps', () => {
    const t = 1_700_000_000_000;
    const s = fold(
      emptyConversations,
      received(msg('b@x', { body: 'third', timestamp: t + 30 })),
      received(msg('b@x', { body: 'first', timestamp: t + 10 })),
      received(msg('b@x', { body: 'second-a', timestamp: t + 20 })),
      received(msg('b@x', { body: 'second-b', timestamp: t + 20 })),
      received(msg('b@x', { body: 'fourth', timestamp: t + 40 })),
    );
    expect(bodies(s, 'b@x')).toEqual(['first', 'second-a', 'second-b', 'third', 'fourth']);
  });

  it('dedupes by id: the echo of a sent message updates it in place', () => {
    const sent = msg('b@x', { direction: 'out', state: 'pending', body: 'hi' });
    let s = fold(emptyConversations, action('local.messageSent', { message: sent }));
    s = fold(s, received({ ...sent, state: 'sent' }));
    expect(s.byPeer['b@x']!.messages).toHaveLength(1);
    expect(s.byPeer['b@x']!.messages[0]!.state).toBe('sent');
    // A late copy with an older state does not undo progress.
    s = fold(s, action('local.messageSent', { message: sent }));
    expect(s.byPeer['b@x']!.messages[0]!.state).toBe('sent');
  });

  it('an identical duplicate changes nothing (same slice object)', () => {
    const m = msg('b@x');
    const s = fold(emptyConversations, received(m));
    expect(fold(s, received({ ...m }))).toBe(s);
  });

  it('a duplicate with a corrected timestamp moves to its new place', () => {
    const t = 1_700_000_000_000;
    const a = msg('b@x', { body: 'a', timestamp: t + 10 });
    const b = msg('b@x', { body: 'b', timestamp: t + 20 });
    let s = fold(emptyConversations, received(a), received(b));
    s = fold(s, received({ ...a, timestamp: t + 30 }));
    expect(bodies(s, 'b@x')).toEqual(['b', 'a']);
  });

  it('message.updated sets state and error, and clears the error when it recovers', () => {
    const m = msg('b@x', { direction: 'out', state: 'pending' });
    let s = fold(emptyConversations, received(m));
    s = fold(s, { name: 'message.updated', payload: { id: m.id, peer: 'b@x', state: 'error', error: 'recipient-unavailable' } });
    expect(s.byPeer['b@x']!.messages[0]).toMatchObject({ state: 'error', error: 'recipient-unavailable' });
    s = fold(s, { name: 'message.updated', payload: { id: m.id, peer: 'b@x', state: 'sent' } });
    expect(s.byPeer['b@x']!.messages[0]!.error).toBeUndefined();
    // Unknown ids and peers are ignored.
    expect(fold(s, { name: 'message.updated', payload: { id: 'nope', peer: 'b@x', state: 'sent' } })).toBe(s);
    expect(fold(s, { name: 'message.updated', payload: { id: m.id, peer: 'z@x', state: 'sent' } })).toBe(s);
  });

  it('counts unread incoming messages for conversations that are not active', () => {
    let s = fold(emptyConversations, action('local.chatOpened', { peer: 'a@x' }));
    s = fold(s, received(msg('b@x')), received(msg('b@x')), received(msg('a@x')));
    expect(s.byPeer['b@x']!.unread).toBe(2);
    expect(s.byPeer['a@x']!.unread).toBe(0);
    // Our own messages and repeats never count.
    const mine = msg('b@x', { direction: 'out' });
    s = fold(s, received(mine), received(mine));
    expect(s.byPeer['b@x']!.unread).toBe(2);
    s = fold(s, action('local.chatOpened', { peer: 'b@x' }));
    expect(s.byPeer['b@x']!.unread).toBe(0);
    expect(s.active).toBe('b@x');
  });

  it('an incoming message opens a tab, and activates it only when none is active', () => {
    let s = fold(emptyConversations, received(msg('a@x')));
    expect(s.tabs).toEqual(['a@x']);
    expect(s.active).toBe('a@x');
    expect(s.byPeer['a@x']!.unread).toBe(0);
    s = fold(s, received(msg('b@x')));
    expect(s.tabs).toEqual(['a@x', 'b@x']);
    expect(s.active).toBe('a@x');
    expect(s.byPeer['b@x']!.unread).toBe(1);
  });

  it('closing the active tab activates the right neighbour, else the left one', () => {
    let s = fold(emptyConversations, ...['a@x', 'b@x', 'c@x'].map((peer) => action('local.chatOpened', { peer })));
    s = fold(s, action('local.chatOpened', { peer: 'b@x' }));
    s = fold(s, action('local.tabClosed', { peer: 'b@x' }));
    expect(s.tabs).toEqual(['a@x', 'c@x']);
    expect(s.active).toBe('c@x');
    s = fold(s, action('local.tabClosed', { peer: 'c@x' }));
    expect(s.active).toBe('a@x');
    s = fold(s, action('local.tabClosed', { peer: 'a@x' }));
    expect(s.tabs).toEqual([]);
    expect(s.active).toBeUndefined();
    expect(fold(s, action('local.tabClosed', { peer: 'zz@x' }))).toBe(s);
  });

  it('closing an inactive tab keeps the active one', () => {
    let s = fold(emptyConversations, action('local.chatOpened', { peer: 'a@x' }), action('local.chatOpened', { peer: 'b@x' }));
    s = fold(s, action('local.tabClosed', { peer: 'a@x' }));
    expect(s.active).toBe('b@x');
  });

  it('keeps other conversations untouched when one changes', () => {
    const s1 = fold(emptyConversations, received(msg('a@x')), received(msg('b@x')));
    const s2 = fold(s1, received(msg('b@x')));
    expect(s2.byPeer['a@x']).toBe(s1.byPeer['a@x']);
  });

  it('keeps drafts per peer', () => {
    let s = fold(emptyConversations, action('local.draftChanged', { peer: 'a@x', text: 'hel' }));
    expect(s.drafts['a@x']).toBe('hel');
    s = fold(s, action('local.draftChanged', { peer: 'a@x', text: '' }));
    expect(s.drafts['a@x']).toBeUndefined();
  });

  it('hydrates history sorted and deduplicated, keeping open tabs', () => {
    const t = 1_700_000_000_000;
    const a = msg('a@x', { body: 'late', timestamp: t + 50 });
    const b = msg('a@x', { body: 'early', timestamp: t + 10 });
    let s = fold(emptyConversations, action('local.chatOpened', { peer: 'a@x' }));
    s = fold(s, action('local.hydrated', { snapshot: snapshot({ conversations: { 'a@x': [a, b, a] } }) }));
    expect(bodies(s, 'a@x')).toEqual(['early', 'late']);
    expect(s.tabs).toEqual(['a@x']);
  });

  it('keeps 20 messages each way in order when sends and receipts interleave', () => {
    const t = 1_700_000_000_000;
    const events: AppEvent[] = [];
    for (let i = 0; i < 20; i++) {
      events.push(received(msg('b@x', { direction: 'out', body: `out ${i}`, timestamp: t + i * 2 })));
      events.push(received(msg('b@x', { direction: 'in', body: `in ${i}`, timestamp: t + i * 2 + 1 })));
    }
    const s = fold(emptyConversations, ...events);
    const list = bodies(s, 'b@x');
    expect(list.filter((b) => b.startsWith('out'))).toEqual(Array.from({ length: 20 }, (_, i) => `out ${i}`));
    expect(list.filter((b) => b.startsWith('in'))).toEqual(Array.from({ length: 20 }, (_, i) => `in ${i}`));
  });

  it('empties on sign-out', () => {
    const s = fold(emptyConversations, received(msg('a@x')));
    expect(fold(s, action('local.loggedOut', {}))).toBe(emptyConversations);
  });
});

describe('conversations slice: issue 5', () => {
  it('applies a correction main announced: new body, marked edited; unknown ids change nothing', () => {
    const m = msg('b@x', { body: 'helo' });
    const s = fold(emptyConversations, received(m));
    const corrected = fold(s, { name: 'message.corrected', payload: { peer: 'b@x', id: m.id, body: 'hello', from: 'b@x/res' } });
    expect(corrected.byPeer['b@x']!.messages[0]).toMatchObject({ body: 'hello', correctedAt: m.timestamp });
    expect(fold(s, { name: 'message.corrected', payload: { peer: 'b@x', id: 'nope', body: 'x', from: 'b@x/res' } })).toBe(s);
    expect(fold(s, { name: 'message.corrected', payload: { peer: 'c@x', id: m.id, body: 'x', from: 'c@x/res' } })).toBe(s);
  });

  it('merges the newest page with live messages, then older pages on scroll-back; the cursor moves back', () => {
    const [a, b, c, d] = [msg('b@x'), msg('b@x'), msg('b@x'), msg('b@x')];
    let s = fold(emptyConversations, received(d));
    s = fold(s, action('local.pageLoaded', { peer: 'b@x', messages: [c, d], older: 'c', latest: true }));
    expect(bodies(s, 'b@x')).toEqual([c.body, d.body]);
    expect(s.byPeer['b@x']).toMatchObject({ loaded: true, older: 'c' });
    s = fold(s, action('local.pageLoaded', { peer: 'b@x', messages: [a, b], latest: false }));
    expect(bodies(s, 'b@x')).toEqual([a.body, b.body, c.body, d.body]);
    expect(s.byPeer['b@x']!.older).toBeUndefined();
    // A later newest page (e.g. reopening) must not reset how far back we already are.
    s = fold(s, action('local.pageLoaded', { peer: 'b@x', messages: [c, d], older: 'c', latest: true }));
    expect(s.byPeer['b@x']!.older).toBeUndefined();
    // Live messages keep the paging fields.
    s = fold(s, received(msg('b@x')));
    expect(s.byPeer['b@x']).toMatchObject({ loaded: true });
  });

  it('a page keeps the live copy’s further state (a pending copy from disk does not undo sent)', () => {
    const m = msg('b@x', { direction: 'out', state: 'delivered' });
    let s = fold(emptyConversations, received(m));
    s = fold(s, action('local.pageLoaded', { peer: 'b@x', messages: [{ ...m, state: 'sent' }], latest: true }));
    expect(s.byPeer['b@x']!.messages[0]!.state).toBe('delivered');
  });

  it('focuses a message and clears the focus', () => {
    let s = fold(emptyConversations, action('local.messageFocused', { peer: 'b@x', id: 'm9' }));
    expect(s.focus).toEqual({ peer: 'b@x', id: 'm9' });
    s = fold(s, action('local.messageFocused', null));
    expect(s.focus).toBeUndefined();
    expect(fold(s, action('local.messageFocused', null))).toBe(s);
  });
});

describe('conversations slice: the window of newest messages', () => {
  const peer = 'w@x';
  const t0 = 1_800_000_000_000;
  let k = 0;
  const at = (timestamp: number, extra: Partial<ChatMessage> = {}): ChatMessage => msg(peer, { id: `w${++k}`, body: `w ${timestamp}`, timestamp, ...extra });
  /** n messages one second apart from `from`, received one by one. */
  const flood = (s: ConversationsSlice, n: number, from: number): [ConversationsSlice, ChatMessage[]] => {
    const list = Array.from({ length: n }, (_, i) => at(t0 + (from + i) * 1000));
    return [fold(s, ...list.map(received)), list];
  };
  const open = fold(emptyConversations, action('local.chatOpened', { peer }));

  it('keeps only the newest MESSAGE_WINDOW at the bottom; older points just before them', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW + 300, 0);
    const c = s.byPeer[peer]!;
    expect(c.messages).toHaveLength(MESSAGE_WINDOW);
    expect(c.messages[0]).toBe(list[300]);
    expect(c.messages.at(-1)).toBe(list.at(-1));
    expect(c.windowStart).toBe(list[300]!.timestamp);
    expect(c.older).toBe(`${list[300]!.timestamp}:0`);
    expect(c.older).toBe(cursorBefore(list[300]!.timestamp));
  });

  it('appends a newer message without copying more than the window, and keeps the same objects', () => {
    const [s] = flood(open, MESSAGE_WINDOW, 0);
    const before = s.byPeer[peer]!.messages;
    const m = at(t0 + 10_000_000);
    const next = fold(s, received(m)).byPeer[peer]!.messages;
    expect(next).toHaveLength(MESSAGE_WINDOW);
    expect(next.at(-1)).toBe(m);
    expect(next[0]).toBe(before[1]);
    // The previous state is untouched (reducers stay pure).
    expect(before).toHaveLength(MESSAGE_WINDOW);
    expect(before.at(-1)).not.toBe(m);
  });

  it('cuts at a change of stamp: a run of equal stamps at the cut is kept whole', () => {
    const same = Array.from({ length: 4 }, () => at(t0));
    const rest = Array.from({ length: MESSAGE_WINDOW - 2 }, (_, i) => at(t0 + (i + 1) * 1000));
    const s = fold(open, ...[...same, ...rest].map(received));
    const c = s.byPeer[peer]!;
    // 502 messages, the cut would split the run of four stamped t0: all four stay.
    expect(c.messages).toHaveLength(MESSAGE_WINDOW + 2);
    expect(c.windowStart).toBeUndefined();
    const s1 = fold(s, received(at(t0 + 9_998_000)));
    expect(s1.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW + 3);
    const s2 = fold(s1, received(at(t0 + 9_999_000)));
    // Once the cut passes the run, the whole run goes, and the window starts at the next stamp.
    expect(s2.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW);
    expect(s2.byPeer[peer]!.messages[0]).toBe(rest[0]);
    expect(s2.byPeer[peer]!.older).toBe(cursorBefore(t0 + 1000));
  });

  it('keeps everything while the view reads above the bottom, and trims again after it returns', () => {
    let s = fold(open, action('local.readingBack', { peer, reading: true }));
    expect(s.readingBack).toBe(peer);
    expect(readingChanged(s, peer, true)).toBe(s);
    [s] = flood(s, MESSAGE_WINDOW + 100, 0);
    expect(s.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW + 100);
    expect(s.byPeer[peer]!.windowStart).toBeUndefined();
    s = fold(s, action('local.readingBack', { peer, reading: false }));
    expect(s.readingBack).toBeUndefined();
    // Not at once (scrolling down and up again keeps what was loaded): with the next message.
    expect(s.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW + 100);
    s = fold(s, received(at(t0 + 9_000_000)));
    expect(s.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW);
  });

  it('keeps everything while a search hit in the conversation is focused', () => {
    let s = fold(open, action('local.messageFocused', { peer, id: 'some' }));
    [s] = flood(s, MESSAGE_WINDOW + 10, 0);
    expect(s.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW + 10);
    s = fold(s, action('local.messageFocused', null), received(at(t0 + 9_000_000)));
    expect(s.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW);
  });

  it('dedupes and updates a message inside the window through the id index', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW + 50, 0);
    const inside = list[400]!;
    // An identical copy changes nothing.
    expect(fold(s, received({ ...inside }))).toBe(s);
    let s2 = fold(s, received({ ...inside, state: 'delivered' }));
    expect(s2.byPeer[peer]!.messages).toHaveLength(MESSAGE_WINDOW);
    expect(s2.byPeer[peer]!.messages.find((m) => m.id === inside.id)!.state).toBe('delivered');
    s2 = fold(s2, { name: 'message.updated', payload: { id: inside.id, peer, state: 'error', error: 'x' } });
    expect(s2.byPeer[peer]!.messages.find((m) => m.id === inside.id)).toMatchObject({ state: 'error', error: 'x' });
    s2 = fold(s2, { name: 'message.corrected', payload: { peer, id: inside.id, body: 'fixed', from: `${peer}/res` } });
    expect(s2.byPeer[peer]!.messages.find((m) => m.id === inside.id)).toMatchObject({ body: 'fixed', correctedAt: inside.timestamp });
    // A copy with a later stamp moves to the end, once.
    s2 = fold(s2, received({ ...inside, timestamp: t0 + 9_000_000 }));
    const ids = s2.byPeer[peer]!.messages.map((m) => m.id);
    expect(ids.at(-1)).toBe(inside.id);
    expect(ids.filter((id) => id === inside.id)).toHaveLength(1);
    // The unread count saw the first copy only (the conversation is the active one: none).
    expect(s2.byPeer[peer]!.unread).toBe(0);
  });

  it('leaves a message older than the window to the history store: updates ignored, a late arrival not inserted but counted', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW + 50, 0);
    const dropped = list[10]!;
    expect(fold(s, { name: 'message.updated', payload: { id: dropped.id, peer, state: 'delivered' } })).toBe(s);
    expect(fold(s, { name: 'message.corrected', payload: { peer, id: dropped.id, body: 'x', from: `${peer}/res` } })).toBe(s);
    // A copy of it (same stamp) is not put back in front of the window.
    expect(fold(s, received({ ...dropped, body: 'again' })).byPeer[peer]!.messages).toBe(s.byPeer[peer]!.messages);
    // A new incoming message stamped before the window (delayed delivery) in another tab: counted, not inserted.
    const other = fold(s, action('local.chatOpened', { peer: 'o@x' }));
    const late = at(t0 + 5_000);
    const s2 = fold(other, received(late));
    expect(s2.byPeer[peer]!.messages).toBe(s.byPeer[peer]!.messages);
    expect(s2.byPeer[peer]!.unread).toBe(1);
  });

  it('a new message stamped inside the window goes to its place; one that falls in the cut is dropped with it', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW, 0);
    const mid = at(list[200]!.timestamp + 500);
    const s2 = fold(s, received(mid));
    const ms = s2.byPeer[peer]!.messages;
    expect(ms).toHaveLength(MESSAGE_WINDOW);
    expect(ms[0]).toBe(list[1]);
    expect(ms[ms.indexOf(mid) - 1]).toBe(list[200]);
    // Then its delivery state still finds it.
    const s3 = fold(s2, { name: 'message.updated', payload: { id: mid.id, peer, state: 'delivered' } });
    expect(s3.byPeer[peer]!.messages.find((m) => m.id === mid.id)!.state).toBe('delivered');
  });

  it('pages back from the window without a gap or a double', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW + 120, 0);
    // What history.page({ before: older }) answers: the 50 messages stamped before the window, with cursors.
    const older = s.byPeer[peer]!.older!;
    const before = Number(older.split(':')[0]);
    const page = list.filter((m) => m.timestamp < before).slice(-50).map((m, i) => ({ ...m, cursor: `${m.timestamp}:${i + 71}` }));
    expect(page).toHaveLength(50);
    let s2 = readingChanged(s, peer, true);
    s2 = fold(s2, action('local.pageLoaded', { peer, messages: page, older: page[0]!.cursor, latest: false }));
    const c = s2.byPeer[peer]!;
    expect(c.messages.map((m) => m.id)).toEqual(list.slice(70).map((m) => m.id));
    expect(c.older).toBe(page[0]!.cursor);
    expect(c.windowStart).toBeUndefined();
    // The joined list still dedupes through its index.
    expect(fold(s2, received({ ...list[80]! }))).toBe(s2);
  });

  it('a newest page that arrives after the window moved keeps the window’s cursor and leaves out what is before it', () => {
    // Nothing loaded yet (the view asked for the newest page), then a flood.
    const [s, list] = flood(open, MESSAGE_WINDOW + 120, 0);
    const stale = list.slice(0, 50).map((m, i) => ({ ...m, cursor: `${m.timestamp}:${i + 1}` }));
    const s2 = fold(s, action('local.pageLoaded', { peer, messages: stale, older: 'x:1', latest: true }));
    const c = s2.byPeer[peer]!;
    expect(c.loaded).toBe(true);
    expect(c.messages).toHaveLength(MESSAGE_WINDOW);
    expect(c.messages[0]!.id).toBe(list[120]!.id);
    expect(c.older).toBe(s.byPeer[peer]!.older);
    expect(c.windowStart).toBe(s.byPeer[peer]!.windowStart);
  });

  it('a focused message outside the window is reached by paging back while focused', () => {
    const [s, list] = flood(open, MESSAGE_WINDOW + 200, 0);
    const hit = list[20]!;
    let s2 = fold(s, action('local.messageFocused', { peer, id: hit.id }));
    // Paging back (ChatActions.openAt) while more messages arrive: the pages stay.
    const cursorOf = (m: ChatMessage) => `${m.timestamp}:${list.indexOf(m) + 1}`;
    let pageEnd = list.findIndex((m) => m.timestamp >= s2.byPeer[peer]!.windowStart!);
    let n = 0;
    while (!s2.byPeer[peer]!.messages.some((m) => m.id === hit.id)) {
      const page = list.slice(Math.max(0, pageEnd - 50), pageEnd).map((m) => ({ ...m, cursor: cursorOf(m) }));
      s2 = fold(s2, action('local.pageLoaded', { peer, messages: page, latest: false, ...(pageEnd > 50 ? { older: page[0]!.cursor } : {}) }));
      [s2] = flood(s2, 30, 10_000 + n * 30);
      pageEnd -= 50;
      n++;
    }
    const ids = s2.byPeer[peer]!.messages.map((m) => m.id);
    expect(ids.slice(0, list.length)).toEqual(list.map((m) => m.id));
    expect(ids).toHaveLength(list.length + n * 30);
  });

  it('an index stays right when an older state is folded again (pure reducer)', () => {
    const [s] = flood(open, 20, 0);
    const a = at(t0 + 100_000);
    const s1 = fold(s, received(a));
    // From the older state again, with a different message: s must not see `a`.
    const b = at(t0 + 200_000);
    const s2 = fold(s, received(b));
    expect(s2.byPeer[peer]!.messages.some((m) => m.id === a.id)).toBe(false);
    expect(fold(s2, received({ ...a })).byPeer[peer]!.messages.filter((m) => m.id === a.id)).toHaveLength(1);
    // And s1's list still finds `a` for a duplicate.
    expect(fold(s1, received({ ...a }))).toBe(s1);
  });
});

describe('conversations slice: a view of older history', () => {
  const peer = 'v@x';
  const t0 = 1_650_000_000_000;
  const page = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => msg(peer, { id: `old${from + k}`, timestamp: t0 + (from + k) * 1000 }));
  const opened = () => {
    const live = fold(emptyConversations, action('local.chatOpened', { peer }), ...page(900, 950).map(received));
    return fold(live, action('local.viewLoaded', { peer, messages: page(100, 151), older: `${t0 + 100_000}:100`, newer: `${t0 + 150_000}:151`, part: 'around' }));
  };

  it('a delayed message stamped inside the view goes into it, in its place; one stamped later only into the live window', () => {
    const late = msg(peer, { id: 'late', timestamp: t0 + 120_500 });
    const s = fold(opened(), received(late));
    const view = s.byPeer[peer]!.view!;
    expect(view.messages.findIndex((m) => m.id === 'late')).toBe(21);
    expect(view.unseen).toBe(0);
    const newer = msg(peer, { id: 'new', timestamp: t0 + 999_000 });
    const s2 = fold(s, received(newer));
    expect(s2.byPeer[peer]!.view!.messages.some((m) => m.id === 'new')).toBe(false);
    expect(s2.byPeer[peer]!.messages.at(-1)!.id).toBe('new');
    expect(s2.byPeer[peer]!.view!.unseen).toBe(1);
  });

  it('a correction reaches the copy in the view', () => {
    const s = fold(opened(), { name: 'message.corrected', payload: { peer, id: 'old110', body: 'fixed' } } as AppEvent);
    const m = s.byPeer[peer]!.view!.messages.find((x) => x.id === 'old110')!;
    expect(m.body).toBe('fixed');
    expect(m.correctedAt).toBeDefined();
  });

  it('closing the tab, or leaving the view, drops it; only Jump to latest asks for the bottom', () => {
    const s = opened();
    expect(fold(s, action('local.tabClosed', { peer })).byPeer[peer]!.view).toBeUndefined();
    const left = fold(s, action('local.viewClosed', { peer, toLatest: false }));
    expect(left.byPeer[peer]!.view).toBeUndefined();
    expect(left.byPeer[peer]!.toLatest).toBeUndefined();
    expect(fold(left, action('local.viewClosed', { peer, toLatest: false }))).toBe(left);
    const latest = fold(fold(s, action('local.messageFocused', { peer, id: 'old120' }), action('local.readingBack', { peer, reading: true })), action('local.viewClosed', { peer, toLatest: true }));
    expect(latest.byPeer[peer]!.toLatest).toBe(1);
    expect(latest.focus).toBeUndefined();
    expect(latest.readingBack).toBeUndefined();
  });

  it('an older or newer page with no view open (it was closed meanwhile) changes nothing', () => {
    const s = fold(emptyConversations, ...page(0, 10).map(received));
    expect(fold(s, action('local.viewLoaded', { peer, messages: page(20, 30), part: 'newer' }))).toBe(s);
    expect(fold(s, action('local.viewLoaded', { peer, messages: page(20, 30), part: 'older' }))).toBe(s);
  });
});
