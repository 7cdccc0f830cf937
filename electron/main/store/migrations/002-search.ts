// 002: full-text search. Both indexes are contentless (the text lives in messages.body), keyed by
// the message rowid; contentless_delete lets a corrected or removed message leave the index by rowid.
import type { Database } from 'better-sqlite3';

export function m002Search(db: Database): void {
  db.exec(`
    -- Substring search in any script (3+ characters), case- and diacritic-insensitive. SQLite 3.45+.
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
      body, content = '', contentless_delete = 1, tokenize = 'trigram remove_diacritics 1'
    );
    -- One token per Han/Kana/Hangul character, for CJK terms of 1–2 characters that trigrams cannot match.
    CREATE VIRTUAL TABLE messages_cjk USING fts5 (
      chars, content = '', contentless_delete = 1, tokenize = 'unicode61'
    );
  `);
}
