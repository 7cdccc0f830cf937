import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { HistoryStore } from './history';

const ME = 'alice@example.test';
const BOB = 'bob@example.test';

let n = 0;
function composed(body: string, to = BOB): ChatMessage {
  n++;
  return { id: `q${n}`, peer: to.split('/')[0]!, from: ME, to, direction: 'out', type: 'chat', body, timestamp: 1_700_000_000_000 + n, state: 'pending' };
}

describe('Outbox', () => {
  let dir: string;
  let file: string;
  let store: HistoryStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flint-outbox-'));
    file = join(dir, 'history.sqlite3');
    store = new HistoryStore(file);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const queuedBodies = () => store.outbox.queued(ME).map((i) => i.message.body);

  it('has the message on disk when enqueue returns (another connection reads it at once)', () => {
    const m = store.outbox.enqueue(ME, composed('on disk'));
    expect(m).toMatchObject({ state: 'pending', body: 'on disk', direction: 'out' });
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    expect(reader.prepare("SELECT state FROM messages WHERE msg_id = ?").pluck().get(m.id)).toBe('pending');
    reader.close();
  });

  it('keeps queued messages, in order and exact, across closing and reopening the store', () => {
    const bodies = ['first', 'second \uD800 with a lone surrogate', "'); DROP TABLE outbox;--", 'fourth'];
    for (const b of bodies) store.outbox.enqueue(ME, composed(b));
    store.outbox.enqueue('other@example.test', composed('not mine'));
    store.close();
    store = new HistoryStore(file);
    expect(queuedBodies()).toEqual(bodies);
    expect(store.outbox.size(ME)).toBe(4);
    // Queued messages are part of their conversation, shown as pending.
    expect(store.page(ME, BOB).messages.map((m) => m.state)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('commits earlier queued writes before the queued message (its row comes after them)', async () => {
    const incoming = store.insert({ account: ME, id: 'i1', peer: BOB, from: BOB, to: ME, direction: 'in', type: 'chat', body: 'question', timestamp: 1, state: 'delivered' });
    const reply = store.outbox.enqueue(ME, { ...composed('answer'), timestamp: 1 });
    expect((await incoming).id).toBeLessThan(Number(reply.cursor.split(':')[1]));
    expect(store.page(ME, BOB).messages.map((m) => m.body)).toEqual(['question', 'answer']);
  });

  it('marks a message sent once: out of the queue, state sent', () => {
    const a = store.outbox.enqueue(ME, composed('a'));
    const b = store.outbox.enqueue(ME, composed('b'));
    store.outbox.attempting(ME, a.id);
    expect(store.outbox.queued(ME)[0]!.attempts).toBe(1);
    expect(store.outbox.markSent(ME, a.id)).toMatchObject({ id: a.id, state: 'sent' });
    expect(store.outbox.markSent(ME, a.id)).toBeUndefined(); // not queued any more
    expect(queuedBodies()).toEqual(['b']);
    expect(store.page(ME, BOB).messages.map((m) => [m.body, m.state])).toEqual([
      ['a', 'sent'],
      ['b', 'pending'],
    ]);
    expect(b.state).toBe('pending');
  });

  it('shows why a message failed, and Retry puts it back at the end of the queue', () => {
    const a = store.outbox.enqueue(ME, composed('to nowhere', 'not a jid@@'));
    store.outbox.enqueue(ME, composed('fine'));
    expect(store.outbox.markFailed(ME, a.id, 'Invalid address')).toMatchObject({ state: 'error', error: 'Invalid address' });
    expect(queuedBodies()).toEqual(['fine']);
    expect(() => store.outbox.retry(ME, 'no-such-id')).toThrow(/no such message/);
    const retried = store.outbox.retry(ME, a.id);
    expect(retried).toMatchObject({ state: 'pending' });
    expect(retried.error).toBeUndefined();
    expect(queuedBodies()).toEqual(['fine', 'to nowhere']);
    // Retrying what is already queued changes nothing; a sent message cannot be "retried".
    store.outbox.retry(ME, a.id);
    expect(queuedBodies()).toEqual(['fine', 'to nowhere']);
    const sent = store.outbox.queued(ME)[0]!.message;
    store.outbox.markSent(ME, sent.id);
    expect(() => store.outbox.retry(ME, sent.id)).toThrow(/Only a message that failed/);
  });

  it('takes a message off the queue when its copy from the archive shows it went out (crash after sending)', async () => {
    const m = store.outbox.enqueue(ME, composed('got through'));
    await store.insert({ ...m, account: ME, originId: m.id, state: 'sent', stanzaId: 'A1', via: 'archive' });
    expect(store.outbox.size(ME)).toBe(0);
    expect(store.page(ME, BOB).messages).toEqual([expect.objectContaining({ body: 'got through', state: 'sent', stanzaId: 'A1' })]);
  });

  it('refuses to queue a second message with an id already used', () => {
    const m = composed('once');
    store.outbox.enqueue(ME, m);
    expect(() => store.outbox.enqueue(ME, m)).toThrow(/already stored/);
    expect(store.outbox.size(ME)).toBe(1);
  });
});
