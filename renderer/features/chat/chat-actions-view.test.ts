// ChatActions with a view of older history (a search hit further back than the messages held),
// against a model of main's history.page: the same cursor rules as electron/main/store/history.ts
// (pages ordered by (timestamp, rowid), `before`/`after` strict, `older`/`newer` only when more
// messages lie that way).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import type { FlintApi } from '../../../shared/ipc/contract';
import { action } from '../../store/actions';
import { MESSAGE_WINDOW } from '../../store/conversations';
import { dispatch, getState } from '../../store/store';
import { msg, received } from '../../store/test-events';
import { ChatActions } from './chat-actions';

type Stored = ChatMessage & { cursor: string };

/** A conversation's stored messages (rowid = position + 1) and a history.page over them. */
function modelStore(peer: string, count: number, t0 = 1_600_000_000_000) {
  const list: Stored[] = [];
  const add = (m: ChatMessage) => list.push({ ...m, cursor: `${m.timestamp}:${list.length + 1}` });
  // Two messages a second: equal stamps in pairs, so the cursors' rowid part matters.
  for (let i = 0; i < count; i++) add(msg(peer, { id: `${peer}-${i}`, body: `n${i}`, timestamp: t0 + Math.floor(i / 2) * 1000 }));
  const cmp = (m: Stored, cursor: string) => {
    const [t, r] = cursor.split(':').map(Number) as [number, number];
    const [mt, mr] = m.cursor.split(':').map(Number) as [number, number];
    return mt - t || mr - r;
  };
  const requests: Record<string, unknown>[] = [];
  const page = (args: { peer: string; before?: string; after?: string; limit?: number }) => {
    requests.push(args);
    const limit = args.limit ?? 50;
    const rows = list.filter((m) => m.peer === args.peer);
    let out: Stored[];
    let older = false;
    let newer = false;
    if (args.after !== undefined) {
      const after = rows.filter((m) => cmp(m, args.after!) > 0);
      out = after.slice(0, limit);
      newer = after.length > limit;
      older = out.length > 0 && rows.some((m) => cmp(m, out[0]!.cursor) < 0);
    } else {
      const before = args.before === undefined ? rows : rows.filter((m) => cmp(m, args.before!) < 0);
      out = before.slice(Math.max(0, before.length - limit));
      older = before.length > limit;
      newer = args.before !== undefined && out.length > 0 && rows.some((m) => cmp(m, out[out.length - 1]!.cursor) > 0);
    }
    return { messages: out, ...(older ? { older: out[0]!.cursor } : {}), ...(newer ? { newer: out[out.length - 1]!.cursor } : {}) };
  };
  const api: Pick<FlintApi, 'invoke'> = {
    invoke: ((name: string, args: never) => {
      if (name === 'history.page') return Promise.resolve(page(args));
      if (name === 'chat.open') return Promise.resolve(undefined);
      return Promise.reject(new Error(`unexpected ${name}`));
    }) as unknown as FlintApi['invoke'],
  };
  return { list, add, api, requests };
}

let n = 0;
const conv = (peer: string) => getState().conversations.byPeer[peer]!;
const ids = (list: readonly ChatMessage[]) => list.map((m) => m.id);

describe('ChatActions: a search hit further back than the messages held', () => {
  let peer: string;
  beforeEach(() => {
    peer = `view${++n}@x`;
  });

  it('opens a view around the hit with one request on each side, however far back it is', async () => {
    const store = modelStore(peer, 3_000);
    const actions = new ChatActions(store.api);
    const hit = store.list[400]!; // 2,600 messages back: 52 pages
    await actions.openAt(peer, hit);
    const c = conv(peer);
    expect(getState().conversations.focus).toEqual({ peer, id: hit.id });
    // Shown once the hit's page is in.
    expect(getState().conversations.active).toBe(peer);
    // The newest page (the conversation was not loaded), then the two sides of the hit.
    expect(store.requests).toHaveLength(3);
    expect(ids(c.view!.messages)).toEqual(ids(store.list.slice(375, 426)));
    expect(c.view!.older).toBe(store.list[375]!.cursor);
    expect(c.view!.newer).toBe(store.list[425]!.cursor);
    // The live window is untouched: still the newest page.
    expect(ids(c.messages)).toEqual(ids(store.list.slice(2_950)));
  });

  it('pages down from the view until it joins the newest messages, without a gap or a double', async () => {
    const store = modelStore(peer, 1_200);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[100]!);
    let pages = 0;
    while (conv(peer).view) {
      expect(await actions.loadNewer(peer)).toBe(true);
      pages++;
    }
    // 75 → 125 held, then 1,075 more in pages of 50.
    expect(pages).toBe(22);
    const c = conv(peer);
    expect(ids(c.messages)).toEqual(ids(store.list.slice(75)));
    expect(c.older).toBe(store.list[75]!.cursor);
    expect(c.loaded).toBe(true);
    expect(await actions.loadNewer(peer)).toBe(false);
    // And scroll-back from there continues in the live window.
    expect(await actions.loadOlder(peer)).toBe(true);
    expect(ids(conv(peer).messages)).toEqual(ids(store.list.slice(25)));
  });

  it('pages up in the view to the start of the conversation', async () => {
    const store = modelStore(peer, 2_000);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[60]!);
    expect(await actions.loadOlder(peer)).toBe(true);
    expect(ids(conv(peer).view!.messages)).toEqual(ids(store.list.slice(0, 86)));
    expect(conv(peer).view!.older).toBeUndefined();
    expect(await actions.loadOlder(peer)).toBe(false);
    // The live window was not touched by the view's paging.
    expect(ids(conv(peer).messages)).toEqual(ids(store.list.slice(1_950)));
  });

  it('messages arriving while the view is shown go to the live window and are counted; after joining each is there once', async () => {
    const store = modelStore(peer, 300);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[10]!);
    const last = store.list[store.list.length - 1]!;
    const live = [1, 2, 3].map((i) => msg(peer, { id: `${peer}-live${i}`, body: `live ${i}`, timestamp: last.timestamp + i * 1000 }));
    for (const m of live) {
      store.add(m);
      dispatch(received(m));
    }
    expect(conv(peer).view!.unseen).toBe(3);
    expect(ids(conv(peer).messages).slice(-3)).toEqual(ids(live));
    expect(conv(peer).view!.messages.some((m) => m.id === live[0]!.id)).toBe(false);
    // A delivery state for a message in the view reaches the view's copy.
    const inView = conv(peer).view!.messages[3]!;
    dispatch({ name: 'message.updated', payload: { peer, id: inView.id, state: 'delivered' } });
    expect(conv(peer).view!.messages[3]!.state).toBe('delivered');
    while (conv(peer).view) await actions.loadNewer(peer);
    const all = ids(conv(peer).messages);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(ids(store.list.slice(0)));
  });

  it('a hit already held is shown where it is; an open view is left for it', async () => {
    const store = modelStore(peer, 3_000);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[100]!);
    expect(conv(peer).view).toBeDefined();
    const before = store.requests.length;
    await actions.openAt(peer, store.list[2_990]!);
    expect(store.requests.length).toBe(before);
    expect(conv(peer).view).toBeUndefined();
    expect(getState().conversations.focus).toEqual({ peer, id: store.list[2_990]!.id });
  });

  it('a page around a hit that reaches the newest message joins the live window at once (nothing newer to page)', () => {
    const store = modelStore(peer, 100);
    // Only the snapshot's messages are held (not loaded: no cursor for scroll-back yet).
    for (const m of store.list.slice(95)) dispatch(received(m));
    dispatch(action('local.viewLoaded', { peer, messages: store.list.slice(55), older: store.list[55]!.cursor, part: 'around' }));
    const c = conv(peer);
    expect(c.view).toBeUndefined();
    expect(c.loaded).toBe(true);
    expect(c.older).toBe(store.list[55]!.cursor);
    expect(ids(c.messages)).toEqual(ids(store.list.slice(55)));
  });

  it('Jump to latest and sending leave the view and ask the list for the bottom; a late page is not merged', async () => {
    const store = modelStore(peer, 2_000);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[10]!);
    const asked = actions.loadNewer(peer);
    actions.showLatest(peer);
    expect(conv(peer).view).toBeUndefined();
    expect(conv(peer).toLatest).toBe(1);
    expect(getState().conversations.focus).toBeUndefined();
    await asked;
    expect(conv(peer).view).toBeUndefined();
    expect(ids(conv(peer).messages)).toEqual(ids(store.list.slice(1_950)));

    await actions.openAt(peer, store.list[10]!);
    expect(conv(peer).view).toBeDefined();
    const mine = msg(peer, { id: `${peer}-mine`, direction: 'out', state: 'pending', timestamp: Date.now() });
    dispatch(action('local.messageSent', { message: mine }));
    expect(conv(peer).view).toBeUndefined();
    expect(conv(peer).toLatest).toBe(2);
    expect(conv(peer).messages.at(-1)!.id).toBe(mine.id);
    // The echo of the same message does not ask again.
    dispatch(action('local.messageSent', { message: { ...mine, state: 'sent' } }));
    expect(conv(peer).toLatest).toBe(2);
  });

  it('a hit that cannot be read is not left highlighted, and the caller hears why', async () => {
    const store = modelStore(peer, 3_000);
    const actions = new ChatActions({
      invoke: ((name: string, args: { before?: string; after?: string }) =>
        name === 'history.page' && (args.before !== undefined || args.after !== undefined) ? Promise.reject(new Error('database is closed')) : store.api.invoke(name as never, args as never)) as unknown as FlintApi['invoke'],
    });
    await expect(actions.openAt(peer, store.list[100]!)).rejects.toThrow('database is closed');
    expect(getState().conversations.focus).toBeUndefined();
    expect(conv(peer).view).toBeUndefined();
  });

  it('keeps the live window bounded while a view is shown, even during a flood', async () => {
    const store = modelStore(peer, 500);
    const actions = new ChatActions(store.api);
    await actions.openAt(peer, store.list[5]!);
    const last = store.list[store.list.length - 1]!;
    for (let i = 1; i <= MESSAGE_WINDOW + 300; i++) dispatch(received(msg(peer, { id: `${peer}-f${i}`, timestamp: last.timestamp + i * 1000 })));
    expect(conv(peer).messages.length).toBe(MESSAGE_WINDOW);
    expect(conv(peer).view!.unseen).toBe(MESSAGE_WINDOW + 300);
  });
});
