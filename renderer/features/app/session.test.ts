import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RendererApi } from '../../api';
import { getState } from '../../store/store';
import { msg } from '../../store/test-events';
import { chatActionsFor, OPEN_WAIT_MS } from '../chat/chat-actions';
import { Session } from './session';

/** An api whose history.page answers when the test says so (chat.open at once). */
function api() {
  const pending = new Map<string, () => void>();
  const invoke = vi.fn((name: string, args: { peer?: string; jid?: string; before?: string; after?: string }) => {
    if (name === 'chat.open') return Promise.resolve(undefined);
    if (name !== 'history.page') return Promise.reject(new Error(`unexpected ${name}`));
    // The pages around a search hit (ChatActions.openAt) answer at once.
    if (args.before !== undefined || args.after !== undefined) return Promise.resolve({ messages: [] });
    const peer = args.peer!;
    return new Promise((resolve) => pending.set(peer, () => resolve({ messages: [msg(peer, { id: `${peer}-newest`, body: 'newest' })] })));
  });
  return { api: { invoke } as unknown as RendererApi, pending, invoke };
}

let n = 0;
const conversations = () => getState().conversations;

describe('Session.openChat', () => {
  let a: string;
  let b: string;
  beforeEach(() => {
    vi.useFakeTimers();
    n++;
    a = `open-a${n}@x`;
    b = `open-b${n}@x`;
  });
  afterEach(() => vi.useRealTimers());

  it('shows a conversation being opened together with its newest page (one render, no empty panel first)', async () => {
    const { api: fake, pending } = api();
    const session = new Session(fake);
    session.openChat(a, true);
    expect(conversations().active).not.toBe(a);
    expect(session.takeComposerFocus(a)).toBe(false);
    pending.get(a)!();
    await vi.advanceTimersByTimeAsync(0);
    expect(conversations().active).toBe(a);
    expect(conversations().byPeer[a]!.loaded).toBe(true);
    expect(conversations().byPeer[a]!.messages.map((m) => m.body)).toEqual(['newest']);
    // The caret goes to the composer once it is shown.
    expect(session.takeComposerFocus(a)).toBe(true);
  });

  it('shows it without the page when the page is slow, and fills it when the page comes', async () => {
    const { api: fake, pending } = api();
    const session = new Session(fake);
    session.openChat(a);
    await vi.advanceTimersByTimeAsync(OPEN_WAIT_MS - 1);
    expect(conversations().active).not.toBe(a);
    await vi.advanceTimersByTimeAsync(1);
    expect(conversations().active).toBe(a);
    expect(conversations().byPeer[a]?.loaded ?? false).toBe(false);
    pending.get(a)!();
    await vi.advanceTimersByTimeAsync(0);
    expect(conversations().byPeer[a]!.loaded).toBe(true);
  });

  it('a conversation asked for after it wins: the first one, answered later, does not take over', async () => {
    const { api: fake, pending } = api();
    const session = new Session(fake);
    session.openChat(a);
    session.openChat(b);
    pending.get(b)!();
    await vi.advanceTimersByTimeAsync(0);
    expect(conversations().active).toBe(b);
    pending.get(a)!();
    await vi.advanceTimersByTimeAsync(OPEN_WAIT_MS * 2);
    expect(conversations().active).toBe(b);
    expect(conversations().tabs).not.toContain(a);
  });

  it('a tab already open (the tab bar) is switched to at once', async () => {
    const { api: fake, pending } = api();
    const session = new Session(fake);
    session.openChat(a);
    pending.get(a)!();
    await vi.advanceTimersByTimeAsync(0);
    session.openChat(b);
    await vi.advanceTimersByTimeAsync(OPEN_WAIT_MS);
    expect(conversations().active).toBe(b);
    // b is a tab now but its page is still out: arrowing back to a and to b switches at once.
    session.openChat(a);
    expect(conversations().active).toBe(a);
    session.openChat(b);
    expect(conversations().active).toBe(b);
  });

  it('a search hit still loading does not take over a conversation opened after it (one order for both kinds of open)', async () => {
    const { api: fake, pending } = api();
    const session = new Session(fake);
    const hit = chatActionsFor(session).openAt(a, { id: `${a}-old`, cursor: '1600000000000:5' });
    session.openChat(b);
    pending.get(b)!();
    await vi.advanceTimersByTimeAsync(0);
    expect(conversations().active).toBe(b);
    pending.get(a)!();
    await hit;
    await vi.advanceTimersByTimeAsync(OPEN_WAIT_MS * 2);
    expect(conversations().active).toBe(b);
  });
});

describe('main asks to show a conversation (a notification was clicked)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('opens it with its page, clears its unread count, and a conversation still waiting does not take over', async () => {
    n++;
    const waiting = `waiting${n}@x`;
    const clicked = `clicked${n}@x`;
    const { api: fake, pending } = api();
    const session = new Session(fake);
    session.receive([{ name: 'message.received', payload: { message: msg(clicked, { id: `${clicked}-1`, body: 'hello?' }) } }]);
    expect(conversations().byPeer[clicked]!.unread).toBe(1);
    session.openChat(waiting);
    session.receive([{ name: 'ui.openChat', payload: { jid: clicked } }]);
    pending.get(clicked)!();
    await vi.advanceTimersByTimeAsync(0);
    expect(conversations().active).toBe(clicked);
    expect(conversations().byPeer[clicked]!.unread).toBe(0);
    expect(conversations().byPeer[clicked]!.messages.map((m) => m.body)).toContain('newest');
    // The caret goes to the message box, as for any open the user asked for.
    expect(session.takeComposerFocus(clicked)).toBe(true);
    pending.get(waiting)!();
    await vi.advanceTimersByTimeAsync(OPEN_WAIT_MS * 2);
    expect(conversations().active).toBe(clicked);
  });
});
