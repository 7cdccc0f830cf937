// 003: XEP-0313 archive bookkeeping: where catch-up resumes, and which conversations have been
// paged back to the start of the server's archive.
import type { Database } from 'better-sqlite3';

export function m003Archive(db: Database): void {
  db.exec(`
    CREATE TABLE archive_sync (
      account     TEXT PRIMARY KEY,
      last_id     TEXT NOT NULL,                -- RSM id of the newest archived message stored
      updated_at  INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE archive_start (
      account  TEXT NOT NULL,
      peer     TEXT NOT NULL,                   -- the archive holds nothing older than what is stored
      PRIMARY KEY (account, peer)
    ) STRICT, WITHOUT ROWID;
  `);
}
