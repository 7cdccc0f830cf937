// 001: every message of every account, one row each; the conversation list.
import type { Database } from 'better-sqlite3';

export function m001Messages(db: Database): void {
  db.exec(`
    CREATE TABLE messages (
      id          INTEGER PRIMARY KEY,          -- rowid: position among equal timestamps, cursor part
      account     TEXT NOT NULL,                -- own bare JID
      peer        TEXT NOT NULL,                -- bare JID of the conversation
      direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      type        TEXT NOT NULL,
      msg_id      TEXT NOT NULL,                -- the stanza's id attribute (ours: also the origin-id)
      origin_id   TEXT,                         -- XEP-0359 <origin-id/>
      dedupe_key  TEXT NOT NULL,                -- origin_id, else msg_id: how own messages and carbons are matched
      stanza_id   TEXT,                         -- XEP-0359 <stanza-id by=own bare JID/>: the archive id
      from_jid    TEXT NOT NULL,
      to_jid      TEXT NOT NULL,
      body        TEXT NOT NULL,                -- well-formed text (what search indexes)
      body_utf16  BLOB,                         -- the exact body as UTF-16LE when it has lone surrogates
      thread      TEXT,
      subject     TEXT,
      timestamp   INTEGER NOT NULL,             -- epoch ms (XEP-0203 delay when given), clamped
      state       TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'delivered', 'error')),
      error       TEXT,
      corrected_at INTEGER                      -- XEP-0308: when the body was last replaced
    ) STRICT;
    -- Keyset pagination of one conversation: (timestamp, rowid); the rowid is implicit in the index.
    CREATE INDEX messages_conversation ON messages (account, peer, timestamp);
    -- XEP-0359: the server's stanza-id is unique within the own archive.
    CREATE UNIQUE INDEX messages_stanza_id ON messages (account, stanza_id) WHERE stanza_id IS NOT NULL;
    -- Own messages, carbons and receipts/errors/corrections are found by the id their sender gave.
    CREATE INDEX messages_dedupe ON messages (account, dedupe_key);

    CREATE TABLE conversations (
      account         TEXT NOT NULL,
      peer            TEXT NOT NULL,
      last_timestamp  INTEGER NOT NULL,
      PRIMARY KEY (account, peer)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX conversations_recent ON conversations (account, last_timestamp);
  `);
}
