// Full-text search over the history (SQLite FTS5).
//
// The query is split on white space into terms; a message matches when it contains every term as
// a substring (case- and diacritic-insensitive). Substring matching is what makes Chinese,
// Japanese and Korean findable without a word segmenter:
//   - terms of 3+ characters go to the trigram index (messages_fts);
//   - CJK terms of 1–2 characters (你好, 库), which trigrams cannot match, go to messages_cjk, where
//     each Han/Kana/Hangul character is one token, as an adjacent-token phrase;
//   - other 1–2 character terms ("ok", "5") have no index: they only narrow the results of the
//     others, or, alone, scan messages newest first until enough match.
// Every short term is then checked on the body itself (LIKE), so the phrase shortcut can never
// return a message where the characters are merely adjacent in the index but not in the text.
//
// Results come newest stored first (rowid order, which lets FTS5 stop at the limit instead of
// ranking every match of a common word), then sorted by time for display.
import type { Db } from './db';
import { rowToMessage, type HistoryMessage, type MessageRow } from './rows';
import { codePoints, cjkTokens, hasCjk, makeSnippet, type Snippet } from './text';

export interface SearchHit {
  /** The message, with its cursor: page({ before: cursor }) / page({ after: cursor }) open the conversation around it. */
  message: HistoryMessage;
  snippet: Snippet;
}

const MAX_TERMS = 16;

export interface ParsedQuery {
  terms: string[];
  /** FTS5 query for the trigram index, when some term has 3+ characters. */
  trigram?: string;
  /** FTS5 query for the CJK character index, when some short term has CJK characters. */
  cjk?: string;
  /** Terms checked with LIKE on the body (every term of 1–2 characters). */
  like: string[];
}

/** An FTS5 string literal: double quotes, inner ones doubled (the query grammar's only escape). */
const phrase = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export function parseQuery(query: string): ParsedQuery {
  const terms = [...new Set(query.trim().split(/\s+/u).filter((t) => t.length > 0))].slice(0, MAX_TERMS);
  const long: string[] = [];
  const cjk: string[] = [];
  const like: string[] = [];
  for (const t of terms) {
    if (codePoints(t) >= 3) {
      long.push(phrase(t));
      continue;
    }
    like.push(t);
    if (hasCjk(t)) cjk.push(phrase(cjkTokens(t)!));
  }
  const parsed: ParsedQuery = { terms, like };
  if (long.length > 0) parsed.trigram = long.join(' AND ');
  if (cjk.length > 0) parsed.cjk = cjk.join(' AND ');
  return parsed;
}

/** LIKE pattern for a literal substring ('\' escapes % and _). */
const likePattern = (t: string): string => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function searchMessages(db: Db, account: string, query: string, limit: number): SearchHit[] {
  const q = parseQuery(query);
  if (q.terms.length === 0) return [];
  const params: unknown[] = [];
  let sql: string;
  // The index that drives the scan is the outer loop (CROSS JOIN keeps SQLite from reordering):
  // it yields rowids newest first, and the LIMIT stops it early.
  if (q.trigram !== undefined) {
    sql = 'SELECT m.* FROM messages_fts f CROSS JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?';
    params.push(q.trigram);
    if (q.cjk !== undefined) {
      sql += ' AND m.id IN (SELECT rowid FROM messages_cjk WHERE messages_cjk MATCH ?)';
      params.push(q.cjk);
    }
  } else if (q.cjk !== undefined) {
    sql = 'SELECT m.* FROM messages_cjk c CROSS JOIN messages m ON m.id = c.rowid WHERE messages_cjk MATCH ?';
    params.push(q.cjk);
  } else {
    sql = 'SELECT m.* FROM messages m WHERE 1';
  }
  sql += ' AND m.account = ?';
  params.push(account);
  for (const t of q.like) {
    sql += " AND m.body LIKE ? ESCAPE '\\'";
    params.push(likePattern(t));
  }
  sql += q.trigram !== undefined ? ' ORDER BY f.rowid DESC' : q.cjk !== undefined ? ' ORDER BY c.rowid DESC' : ' ORDER BY m.id DESC';
  sql += ' LIMIT ?';
  params.push(limit);
  const rows = db.prepare(sql).all(...params) as MessageRow[];
  const hits = rows.map((r) => {
    const message = rowToMessage(r);
    return { message, snippet: makeSnippet(r.body, q.terms) };
  });
  hits.sort((a, b) => b.message.timestamp - a.message.timestamp);
  return hits;
}
