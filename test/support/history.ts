// Helpers for the history tests (issue 5) against a real server: sign in and wait for the login's
// archive catch-up, collect reported messages, and page back through a whole conversation.
import type { ChatMessage } from '../../shared/domain';
import type { CoreEvent } from '../../electron/core/events';
import type { HistoryBridge } from '../../electron/main/accounts/history-bridge';
import type { TestAccount } from './client';

type Received = Extract<CoreEvent, { type: 'message.received' }>;
export const isReceived = (from: string) => (e: CoreEvent): e is Received => e.type === 'message.received' && e.message.peer === from;
export const bridgeOf = (a: TestAccount) => (a.service as unknown as { history: HistoryBridge }).history;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signs in and waits for the archive catch-up that the login runs (after initial presence). */
export async function onlineSynced(a: TestAccount, login: () => Promise<void>): Promise<void> {
  const done = bridgeOf(a).catchUpsDone;
  await login();
  for (let i = 0; i < 400 && bridgeOf(a).catchUpsDone === done; i++) await sleep(50);
  if (bridgeOf(a).catchUpsDone === done) throw new Error('the login ran no archive catch-up');
}

/** Resolves when `a` has reported `n` messages from `peer` (counting from now), with their bodies. */
export function collect(a: TestAccount, peer: string, n: number, timeoutMs = 20_000): { bodies: string[]; done: Promise<string[]> } {
  const bodies: string[] = [];
  const done = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`got ${bodies.length} of ${n} messages from ${peer}`)), timeoutMs);
    a.service.subscribe((e) => {
      if (!isReceived(peer)(e)) return;
      bodies.push(e.message.body);
      if (bodies.length === n) {
        clearTimeout(timer);
        resolve(bodies);
      }
    });
  });
  return { bodies, done };
}

/** Every page of a conversation, scrolling back from the newest, oldest message first. */
export async function scrollBack(a: TestAccount, peer: string, limit: number): Promise<ChatMessage[]> {
  const all: ChatMessage[] = [];
  let page = await a.service.historyPage(peer, { limit });
  for (let i = 0; i < 1_000; i++) {
    all.unshift(...page.messages);
    if (!page.older && page.messages.length < limit) break;
    const before = page.older ?? page.messages[0]?.cursor;
    if (!before) break;
    page = await a.service.historyPage(peer, { before, limit });
  }
  return all;
}
