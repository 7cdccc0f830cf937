// The durable outgoing queue (issue 5 "Outgoing queue"). A message the user sends is first
// committed as a 'pending' row in messages plus a row in outbox (same transaction), then sent
// when online, in queue order, then marked 'sent' (which removes it from the queue).
//
// Sent once: the message keeps its id for life and goes out with <origin-id id=…/> equal to it.
// Should the app die between handing the stanza to the socket and marking it sent, the next start
// sends it again with the same id and origin-id, which the store (here, and on the user's other
// devices through carbons/archive) and XEP-0359-aware peers deduplicate. Marking it sent before
// writing it would instead lose the message in that window — the one thing we never do.
//
// Every method here is synchronous and commits before it returns: the user's words are on disk
// when chat.send answers.
import type { ChatMessage } from '../../../shared/domain';
import type { Db } from './db';
import type { InsertResult, StoredMessage } from './history';
import { rowToMessage, type HistoryMessage, type MessageRow } from './rows';

export interface OutboxItem {
  seq: number;
  message: HistoryMessage;
  /** Times it was handed to a connection without being confirmed sent (a crash in between). */
  attempts: number;
}

export interface OutboxHooks {
  insertNow(m: StoredMessage): InsertResult;
  /** Commit the store's queued writes first, so this write lands after them. */
  flush(): void;
  row(id: number): MessageRow | undefined;
}

export class Outbox {
  private readonly st;

  constructor(
    private readonly db: Db,
    private readonly hooks: OutboxHooks,
  ) {
    this.st = {
      add: db.prepare('INSERT INTO outbox (account, message, queued_at) VALUES (?, ?, ?)'),
      queued: db.prepare<[string], MessageRow & { seq: number; attempts: number }>(
        'SELECT m.*, o.seq AS seq, o.attempts AS attempts FROM outbox o JOIN messages m ON m.id = o.message WHERE o.account = ? ORDER BY o.seq',
      ),
      find: db.prepare<[string, string], MessageRow>(`SELECT * FROM messages WHERE account = ? AND dedupe_key = ? AND direction = 'out' ORDER BY id DESC LIMIT 1`),
      attempt: db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE message = ?'),
      remove: db.prepare('DELETE FROM outbox WHERE message = ?'),
      setState: db.prepare('UPDATE messages SET state = ?, error = ? WHERE id = ?'),
      inQueue: db.prepare('SELECT 1 FROM outbox WHERE message = ?').pluck(),
      count: db.prepare<[string], number>('SELECT count(*) FROM outbox WHERE account = ?').pluck(),
    };
  }

  /** Stores `msg` as pending and queues it; committed on return. */
  enqueue(account: string, msg: ChatMessage): HistoryMessage {
    this.hooks.flush();
    return this.db.transaction(() => {
      const r = this.hooks.insertNow({ ...msg, account, state: 'pending', originId: msg.id });
      if (!r.inserted) throw new Error(`A message with id ${msg.id} is already stored.`);
      this.st.add.run(account, r.id, Date.now());
      return r.message;
    })();
  }

  /** What waits to be sent, in order. */
  queued(account: string): OutboxItem[] {
    return this.st.queued.all(account).map((r) => ({ seq: r.seq, attempts: r.attempts, message: rowToMessage(r) }));
  }

  size(account: string): number {
    return this.st.count.get(account) ?? 0;
  }

  /** Just before handing it to the connection (counts attempts, for the logs). */
  attempting(account: string, id: string): void {
    const row = this.st.find.get(account, id);
    if (row) this.st.attempt.run(row.id);
  }

  /** The connection took it: out of the queue, state 'sent'. */
  markSent(account: string, id: string): HistoryMessage | undefined {
    return this.settle(account, id, 'sent');
  }

  /** It cannot be sent (invalid address, refused): out of the queue, state 'error' with the reason shown. */
  markFailed(account: string, id: string, reason: string): HistoryMessage | undefined {
    return this.settle(account, id, 'error', reason);
  }

  /** Put a failed message back at the end of the queue (the Retry action). */
  retry(account: string, id: string): HistoryMessage {
    this.hooks.flush();
    return this.db.transaction(() => {
      const row = this.st.find.get(account, id);
      if (!row) throw new Error('There is no such message to retry.');
      if (this.st.inQueue.get(row.id)) return rowToMessage(row);
      if (row.state !== 'error') throw new Error('Only a message that failed can be retried.');
      this.st.setState.run('pending', null, row.id);
      this.st.add.run(account, row.id, Date.now());
      return rowToMessage(this.hooks.row(row.id)!);
    })();
  }

  private settle(account: string, id: string, state: 'sent' | 'error', reason?: string): HistoryMessage | undefined {
    this.hooks.flush();
    return this.db.transaction(() => {
      const row = this.st.find.get(account, id);
      if (!row || !this.st.inQueue.get(row.id)) return undefined;
      this.st.remove.run(row.id);
      // A receipt or archived copy may have moved it past 'sent' already.
      if (row.state === 'pending' || state === 'error') this.st.setState.run(state, reason ?? null, row.id);
      return rowToMessage(this.hooks.row(row.id)!);
    })();
  }
}
