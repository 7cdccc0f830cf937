// 004: the durable outgoing queue. A queued message is a row in messages (state 'pending', so it
// shows in its conversation) plus a row here that fixes the sending order.
import type { Database } from 'better-sqlite3';

export function m004Outbox(db: Database): void {
  db.exec(`
    CREATE TABLE outbox (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,   -- sending order, never reused
      account    TEXT NOT NULL,
      message    INTEGER NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
      queued_at  INTEGER NOT NULL,
      attempts   INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX outbox_account ON outbox (account, seq);
  `);
}
