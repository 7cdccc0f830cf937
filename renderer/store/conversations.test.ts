import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/ipc/contract';
import { action } from './actions';
import { applyConversations, emptyConversations, type ConversationsSlice } from './conversations';
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

describe('ui.openChat (notification clicked)', () => {
  it('opens and activates that conversation and clears its unread count', () => {
    let s = applyConversations(emptyConversations, {
      name: 'message.received',
      payload: { message: { id: 'n1', peer: 'p@example.test', from: 'p@example.test/r', to: 'me@example.test/x', direction: 'in', type: 'chat', body: 'hi', timestamp: 1, state: 'delivered' } },
    });
    s = applyConversations({ ...s, active: 'other@example.test', tabs: ['other@example.test', ...s.tabs] }, { name: 'local.chatOpened', payload: { peer: 'other@example.test' } });
    s = applyConversations(s, {
      name: 'message.received',
      payload: { message: { id: 'n2', peer: 'p@example.test', from: 'p@example.test/r', to: 'me@example.test/x', direction: 'in', type: 'chat', body: 'again', timestamp: 2, state: 'delivered' } },
    });
    expect(s.byPeer['p@example.test']?.unread).toBeGreaterThan(0);
    s = applyConversations(s, { name: 'ui.openChat', payload: { jid: 'p@example.test' } });
    expect(s.active).toBe('p@example.test');
    expect(s.byPeer['p@example.test']?.unread).toBe(0);
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
