// 006: XEP-0333 displayed markers kept across restarts: per conversation, which of our messages
// the peer displayed last (that one and every earlier one show as seen). The mark names the
// stored row, so its place in the conversation — (timestamp, rowid) — decides whether a later
// marker moves it forward.
import type { Database } from 'better-sqlite3';

export function m006DisplayedMarks(db: Database): void {
  db.exec(`
    CREATE TABLE displayed_marks (
      account  TEXT NOT NULL,                 -- own bare JID
      peer     TEXT NOT NULL,                 -- bare JID of the conversation
      message  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,  -- our message they displayed last
      PRIMARY KEY (account, peer)
    ) STRICT, WITHOUT ROWID;
    -- The foreign key's lookup when a message row is deleted.
    CREATE INDEX displayed_marks_message ON displayed_marks (message);
  `);
}
