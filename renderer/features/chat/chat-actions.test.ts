import { describe, expect, it } from 'vitest';
import type { FlintApi } from '../../../shared/ipc/contract';
import { getState } from '../../store/store';
import { msg } from '../../store/test-events';
import { ChatActions, chatActionsFor } from './chat-actions';

/** An api whose history.page answers when the test says so, counting the requests. */
function slowApi() {
  const pending: (() => void)[] = [];
  let calls = 0;
  const api: Pick<FlintApi, 'invoke'> = {
    invoke: ((name: string, args: { peer: string }): Promise<unknown> => {
      if (name !== 'history.page') return Promise.reject(new Error(`unexpected ${name}`));
      calls++;
      return new Promise((resolve) => pending.push(() => resolve({ messages: [msg(args.peer, { id: `m${calls}`, body: `page ${calls}` })] })));
    }) as unknown as FlintApi['invoke'],
  };
  return { api, pending, calls: () => calls };
}

describe('ChatActions.loadLatest', () => {
  it('shares one request per conversation while it runs (openChat asks, then the view asks again)', async () => {
    const { api, pending, calls } = slowApi();
    const actions = new ChatActions(api);
    const a = actions.loadLatest('dedupe@x');
    const b = actions.loadLatest('dedupe@x');
    expect(b).toBe(a);
    expect(calls()).toBe(1);
    pending.shift()!();
    await a;
    expect(getState().conversations.byPeer['dedupe@x']?.loaded).toBe(true);
    expect(getState().conversations.byPeer['dedupe@x']?.messages.map((m) => m.body)).toEqual(['page 1']);
    // Settled: a later load (e.g. after a new snapshot) asks again.
    const c = actions.loadLatest('dedupe@x');
    expect(c).not.toBe(a);
    expect(calls()).toBe(2);
    pending.shift()!();
    await c;
  });

  it('one ChatActions per session, so the session and the view share in-flight requests', () => {
    const { api } = slowApi();
    const session = { api };
    expect(chatActionsFor(session)).toBe(chatActionsFor(session));
    expect(chatActionsFor({ api })).not.toBe(chatActionsFor(session));
  });
});
