// The history store: every message of every account, once, in SQLite (better-sqlite3, WAL).
//
// Writes go through a queue committed in transactions bounded by count and time (write-queue.ts);
// each write's promise settles only after its transaction committed, and the caller shows a
// message only then (ARCHITECTURE.md principle 5). Reads are synchronous and see committed data only.
//
// Deduplication (XEP-0359, XEP-0280, XEP-0313):
//   - by (account, stanza-id) — the caller passes stanzaId only when the <stanza-id/> was added by
//     the own bare JID, i.e. by our server's archive;
//   - by (account, peer, direction, origin-id or id) for own outgoing messages and for copies that
//     may repeat a message already stored (carbons, archive results), matched only against rows
//     without a stanza-id or with the same one: a peer reusing an id is not taken for a duplicate
//     of a different archived message.
// A duplicate merges into the stored row: it gains the stanza-id, and a state that moved forward.
import type { ChatMessage, MessageState } from '../../../shared/domain';
import { openDatabase, type Db } from './db';
import { renderTranscript, type ExportFormat } from './export';
import { DisplayedMarks, type MarkOutcome } from './marks';
import { Outbox } from './outbox';
import { searchMessages, type SearchHit } from './search';
import { decodeCursor, encodeCursor, rowToMessage, type HistoryMessage, type MessageRow } from './rows';
import { cjkTokens, encodeBody } from './text';
import { WriteQueue } from './write-queue';

/** How a message reached us. */
export type Via = 'live' | 'carbon' | 'archive';

export interface StoredMessage extends ChatMessage {
  /** Own bare JID: the account this message belongs to. */
  account: string;
  /** XEP-0359 origin-id, when the stanza had one (ours: equal to id). */
  originId?: string;
  /** Default 'live'. Carbons and archive results may repeat a message already stored. */
  via?: Via;
}

export interface InsertResult {
  /** False when the message was already stored (it may still have been updated: see `changed`). */
  inserted: boolean;
  /** The row id. */
  id: number;
  /** For a duplicate: whether it changed the stored row (state moved forward, stanza-id learnt). */
  changed: boolean;
  message: HistoryMessage;
}

export type CorrectionResult = { status: 'applied'; message: HistoryMessage } | { status: 'unknown' } | { status: 'refused' };

export interface PageOptions {
  /** Messages strictly older than this cursor (scroll-back). */
  before?: string;
  /** Messages strictly newer than this cursor (e.g. below a search hit). When both are absent: the newest page. */
  after?: string;
  limit?: number;
}

export interface HistoryPage {
  /** In chronological order (oldest first). */
  messages: HistoryMessage[];
  /** Present when older messages are stored: pass as `before` for the next page up. */
  older?: string;
  /** Present when newer messages are stored: pass as `after` for the next page down. */
  newer?: string;
}

export type { SearchHit } from './search';
export { decodeCursor, encodeCursor, type HistoryMessage } from './rows';
export type { ExportFormat } from './export';
export type { MarkOutcome } from './marks';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;
/** Latest Date the JS Date object can hold; stamps beyond are clamped (ordering only). */
const MAX_TIMESTAMP = 8_640_000_000_000_000;

/** pending < sent < error < delivered: a later report never moves a message back (an archived copy does not undo "delivered"). */
const STATE_RANK: Record<MessageState, number> = { pending: 0, sent: 1, error: 2, delivered: 3 };

/** The message as it crosses IPC where the contract has no cursor (snapshot, events). */
export function withoutCursor(m: HistoryMessage): ChatMessage {
  const { cursor: _cursor, ...rest } = m;
  return rest;
}

export function clampTimestamp(t: number, now = Date.now()): number {
  if (!Number.isFinite(t)) return now;
  return Math.min(Math.max(Math.trunc(t), 0), MAX_TIMESTAMP);
}

export class HistoryStore {
  readonly db: Db;
  readonly outbox: Outbox;
  private readonly marks: DisplayedMarks;
  private readonly writes: WriteQueue;
  private readonly st;

  constructor(path: string) {
    this.db = openDatabase(path);
    const db = this.db;
    this.writes = new WriteQueue(db);
    this.st = {
      insert: db.prepare(
        `INSERT INTO messages (account, peer, direction, type, msg_id, origin_id, dedupe_key, stanza_id, from_jid, to_jid, body, body_utf16, thread, subject, timestamp, state, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      fts: db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (?, ?)'),
      cjk: db.prepare('INSERT INTO messages_cjk (rowid, chars) VALUES (?, ?)'),
      ftsDelete: db.prepare('DELETE FROM messages_fts WHERE rowid = ?'),
      cjkDelete: db.prepare('DELETE FROM messages_cjk WHERE rowid = ?'),
      conversation: db.prepare(
        `INSERT INTO conversations (account, peer, last_timestamp) VALUES (?, ?, ?)
         ON CONFLICT (account, peer) DO UPDATE SET last_timestamp = max(last_timestamp, excluded.last_timestamp)`,
      ),
      byStanzaId: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE account = ? AND stanza_id = ?'),
      // The direction is written into the SQL, not bound: SQLite re-plans a statement at every new
      // binding of a parameter that it compared with a partial index's WHERE while planning
      // (messages_awaiting_receipt: direction = 'out'), ≈ 60 µs per lookup instead of 6 here.
      byKey: {
        in: db.prepare<[string, string, string, string | null, string | null], MessageRow>(
          `SELECT * FROM messages WHERE account = ? AND dedupe_key = ? AND peer = ? AND direction = 'in'
             AND (? IS NULL OR stanza_id IS NULL OR stanza_id = ?) ORDER BY id LIMIT 1`,
        ),
        out: db.prepare<[string, string, string, string | null, string | null], MessageRow>(
          `SELECT * FROM messages WHERE account = ? AND dedupe_key = ? AND peer = ? AND direction = 'out'
             AND (? IS NULL OR stanza_id IS NULL OR stanza_id = ?) ORDER BY id LIMIT 1`,
        ),
      },
      ownById: db.prepare<[string, string], MessageRow>(`SELECT * FROM messages WHERE account = ? AND dedupe_key = ? AND direction = 'out' ORDER BY id DESC`),
      anyById: db.prepare<[string, string, string], MessageRow>('SELECT * FROM messages WHERE account = ? AND dedupe_key = ? AND peer = ? ORDER BY id DESC LIMIT 1'),
      row: db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?'),
      setState: db.prepare('UPDATE messages SET state = ?, error = ? WHERE id = ?'),
      setStanzaId: db.prepare('UPDATE messages SET stanza_id = ? WHERE id = ?'),
      setBody: db.prepare('UPDATE messages SET body = ?, body_utf16 = ?, corrected_at = ? WHERE id = ?'),
      unqueue: db.prepare('DELETE FROM outbox WHERE message = ?'),
      older: db.prepare<[string, string, number, number, number], MessageRow>(
        'SELECT * FROM messages WHERE account = ? AND peer = ? AND (timestamp, id) < (?, ?) ORDER BY timestamp DESC, id DESC LIMIT ?',
      ),
      lastOwn: db.prepare<[string, string], MessageRow>(
        "SELECT * FROM messages WHERE account = ? AND peer = ? AND direction = 'out' ORDER BY timestamp DESC, id DESC LIMIT 1",
      ),
      newest: db.prepare<[string, string, number], MessageRow>('SELECT * FROM messages WHERE account = ? AND peer = ? ORDER BY timestamp DESC, id DESC LIMIT ?'),
      newer: db.prepare<[string, string, number, number, number], MessageRow>(
        'SELECT * FROM messages WHERE account = ? AND peer = ? AND (timestamp, id) > (?, ?) ORDER BY timestamp, id LIMIT ?',
      ),
      anyOlder: db.prepare('SELECT 1 FROM messages WHERE account = ? AND peer = ? AND (timestamp, id) < (?, ?) LIMIT 1').pluck(),
      anyNewer: db.prepare('SELECT 1 FROM messages WHERE account = ? AND peer = ? AND (timestamp, id) > (?, ?) LIMIT 1').pluck(),
      recentPeers: db.prepare<[string, number], string>('SELECT peer FROM conversations WHERE account = ? ORDER BY last_timestamp DESC LIMIT ?').pluck(),
      allOfPeer: db.prepare<[string, string], MessageRow>('SELECT * FROM messages WHERE account = ? AND peer = ? ORDER BY timestamp, id'),
      lastArchiveId: db.prepare<[string], string>('SELECT last_id FROM archive_sync WHERE account = ?').pluck(),
      setLastArchiveId: db.prepare(
        `INSERT INTO archive_sync (account, last_id, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (account) DO UPDATE SET last_id = excluded.last_id, updated_at = excluded.updated_at`,
      ),
      oldestStanzaId: db
        .prepare<[string, string], string>('SELECT stanza_id FROM messages WHERE account = ? AND peer = ? AND stanza_id IS NOT NULL ORDER BY timestamp, id LIMIT 1')
        .pluck(),
      archiveStart: db.prepare('SELECT 1 FROM archive_start WHERE account = ? AND peer = ?').pluck(),
      awaitingReceipt: db.prepare<[string, number], { id: string; peer: string }>(
        "SELECT msg_id AS id, peer FROM messages WHERE account = ? AND direction = 'out' AND state = 'sent' ORDER BY id DESC LIMIT ?",
      ),
      setArchiveStart: db.prepare('INSERT OR IGNORE INTO archive_start (account, peer) VALUES (?, ?)'),
    };
    this.outbox = new Outbox(this.db, {
      insertNow: (m) => this.insertRow(m),
      flush: () => this.flush(),
      row: (id) => this.st.row.get(id),
    });
    this.marks = new DisplayedMarks(this.db);
  }

  // ------------------------------------------------------------------ writes (queued)

  /** Stores a message (or merges a duplicate); resolves after the commit. */
  insert(msg: StoredMessage): Promise<InsertResult> {
    return this.enqueue(() => this.insertRow(msg));
  }

  /**
   * Results of one archive (XEP-0313) page, in archive order, as one write. Archive stamps have a
   * second's precision while live messages carry our clock's milliseconds, and the order of a
   * conversation is (timestamp, arrival): by the stamps alone, a message fetched now would sort
   * after a live one of the same second that the archive has after it. So each new message's
   * time is moved (by less than the stamps' imprecision) to keep the archive's order against the
   * stored messages around it: no earlier than the message before it and, paging forward, before
   * the next one already stored; paging backward (`before`, the archive id the page ends at),
   * strictly earlier than the message after it. `after`: the archive id the page continues from.
   * `lastArchiveId`: then remember it as the newest archive id stored (as setLastArchiveId), in
   * the same write: it commits with the messages or not at all.
   */
  insertArchived(account: string, messages: StoredMessage[], from: { after?: string } | { before?: string | true }, lastArchiveId?: string): Promise<InsertResult[]> {
    return this.enqueue(() => {
      const items = messages.map((m) => ({ ...m, account, via: 'archive' as const, timestamp: clampTimestamp(m.timestamp) }));
      const known = items.map((m) => this.findExisting(m)?.timestamp);
      const results: InsertResult[] = new Array(items.length);
      if ('before' in from) {
        const anchor = typeof from.before === 'string' ? this.st.byStanzaId.get(account, from.before) : undefined;
        // The nearest stored message before each one, in archive order.
        const lower: number[] = [];
        let last = 0;
        for (let i = 0; i < items.length; i++) {
          lower.push(last);
          if (known[i] !== undefined) last = known[i]!;
        }
        let ceiling = anchor ? anchor.timestamp : Number.POSITIVE_INFINITY;
        for (let i = items.length - 1; i >= 0; i--) {
          const m = items[i]!;
          // Inserted later, so it sorts after anything of the same time: only strictly earlier keeps it before.
          if (known[i] === undefined) m.timestamp = Math.max(lower[i]!, Math.min(m.timestamp, ceiling - 1));
          const r = this.insertRow(m);
          ceiling = Math.min(ceiling, r.message.timestamp);
          results[i] = r;
        }
      } else {
        const after = 'after' in from ? from.after : undefined;
        const anchor = after ? this.st.byStanzaId.get(account, after) : undefined;
        const upper: number[] = new Array(items.length);
        let next = Number.POSITIVE_INFINITY;
        for (let i = items.length - 1; i >= 0; i--) {
          upper[i] = next;
          if (known[i] !== undefined) next = known[i]!;
        }
        let floor = anchor ? anchor.timestamp : 0;
        for (let i = 0; i < items.length; i++) {
          const m = items[i]!;
          if (known[i] === undefined) m.timestamp = Math.max(floor, Math.min(m.timestamp, upper[i]! - 1));
          const r = this.insertRow(m);
          floor = Math.max(floor, r.message.timestamp);
          results[i] = r;
        }
      }
      if (lastArchiveId !== undefined) this.st.setLastArchiveId.run(account, lastArchiveId, Date.now());
      return results;
    });
  }

  /**
   * A state report about one of our messages (sent → delivered, error reply…), found by the id we
   * gave it. Resolves with the updated message, or undefined when it is unknown or the report
   * would move it back.
   */
  updateState(account: string, peer: string, id: string, state: MessageState, error?: string): Promise<HistoryMessage | undefined> {
    return this.enqueue(() => {
      const row = this.st.ownById.all(account, id).find((r) => !peer || r.peer === peer);
      if (!row) return undefined;
      if (STATE_RANK[state] < STATE_RANK[row.state] || (state === row.state && (error ?? null) === row.error)) return undefined;
      this.st.setState.run(state, state === 'error' ? (error ?? null) : null, row.id);
      if (state !== 'pending') this.st.unqueue.run(row.id);
      return rowToMessage(this.st.row.get(row.id)!);
    });
  }

  /**
   * XEP-0308: replace the body of message `id` in the conversation with `peer`, only when `fromBare`
   * sent the original (Business Rules: only the original sender may correct; the engine cannot
   * check that). 'unknown' when no such message is stored.
   */
  correct(account: string, peer: string, id: string, body: string, fromBare: string, at = Date.now()): Promise<CorrectionResult> {
    return this.enqueue((): CorrectionResult => {
      const row = this.st.anyById.get(account, id, peer);
      if (!row) return { status: 'unknown' };
      const sender = row.direction === 'out' ? account : bareOf(row.from_jid);
      if (sender !== fromBare) return { status: 'refused' };
      const enc = encodeBody(body);
      this.st.setBody.run(enc.text, enc.utf16, clampTimestamp(at), row.id);
      this.index(row.id, enc.text, true);
      return { status: 'applied', message: rowToMessage(this.st.row.get(row.id)!) };
    });
  }

  /**
   * XEP-0333: `peer` displayed our message `id` (and every earlier one). Queued like a message, so
   * it commits after the message it marks; the mark only moves forward (store/marks.ts).
   */
  markDisplayed(account: string, peer: string, id: string): Promise<MarkOutcome> {
    return this.enqueue(() => this.marks.advance(account, peer, id));
  }

  /** Resolves once every write queued before it has committed (to order an event after them). */
  afterWrites(): Promise<void> {
    return this.enqueue(() => undefined);
  }

  /** XEP-0313: remember the newest archive id stored, committed after the messages queued before it. */
  setLastArchiveId(account: string, id: string): Promise<void> {
    return this.enqueue(() => {
      this.st.setLastArchiveId.run(account, id, Date.now());
    });
  }

  /** The server's archive holds nothing older than what is stored for this conversation. */
  markArchiveStart(account: string, peer: string): Promise<void> {
    return this.enqueue(() => {
      this.st.setArchiveStart.run(account, peer);
    });
  }

  /** Commits every queued write now (close, and before a synchronous write that must come after them). */
  flush(): void {
    this.writes.flush();
  }

  /** Commits what is queued and closes the database. Later writes reject. */
  close(): void {
    if (this.writes.isClosed) return;
    this.writes.close();
    this.db.close();
  }

  get isClosed(): boolean {
    return this.writes.isClosed;
  }

  // ------------------------------------------------------------------ reads

  page(account: string, peer: string, opts: PageOptions = {}): HistoryPage {
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
    let rows: MessageRow[];
    let moreOlder = false;
    let moreNewer = false;
    if (opts.after !== undefined && opts.before === undefined) {
      const c = decodeCursor(opts.after);
      rows = this.st.newer.all(account, peer, c.timestamp, c.rowid, limit + 1);
      moreNewer = rows.length > limit;
      if (moreNewer) rows.length = limit;
      const first = rows[0];
      moreOlder = first !== undefined && !!this.st.anyOlder.get(account, peer, first.timestamp, first.id);
    } else {
      if (opts.before !== undefined) {
        const c = decodeCursor(opts.before);
        rows = this.st.older.all(account, peer, c.timestamp, c.rowid, limit + 1);
      } else rows = this.st.newest.all(account, peer, limit + 1);
      moreOlder = rows.length > limit;
      if (moreOlder) rows.length = limit;
      const last = rows[0]; // newest first until reversed
      moreNewer = last !== undefined && opts.before !== undefined && !!this.st.anyNewer.get(account, peer, last.timestamp, last.id);
      rows.reverse();
    }
    const messages = rows.map(rowToMessage);
    const page: HistoryPage = { messages };
    if (moreOlder) page.older = messages[0]!.cursor;
    if (moreNewer) page.newer = messages[messages.length - 1]!.cursor;
    return page;
  }

  /** The latest page of each of the most recently active conversations (a window's first view). */
  recent(account: string, opts: { conversations?: number; perConversation?: number } = {}): Record<string, HistoryMessage[]> {
    const out: Record<string, HistoryMessage[]> = {};
    for (const peer of this.st.recentPeers.all(account, opts.conversations ?? 50)) {
      out[peer] = this.page(account, peer, { limit: opts.perConversation ?? DEFAULT_PAGE }).messages;
    }
    return out;
  }

  search(account: string, query: string, opts: { limit?: number } = {}): SearchHit[] {
    return searchMessages(this.db, account, query, Math.min(Math.max(Math.trunc(opts.limit ?? 50), 1), MAX_PAGE));
  }

  export(account: string, peer: string, format: ExportFormat, opts: { now?: number } = {}): string {
    const rows = this.st.allOfPeer.iterate(account, peer);
    return renderTranscript(account, peer, (function* () {
      for (const r of rows) yield rowToMessage(r);
    })(), format, opts.now ?? Date.now());
  }

  lastArchiveId(account: string): string | undefined {
    return this.st.lastArchiveId.get(account) ?? undefined;
  }

  /** The archive id of the oldest stored message of a conversation that has one (scroll-back continues before it). */
  oldestArchiveId(account: string, peer: string): string | undefined {
    return this.st.oldestStanzaId.get(account, peer) ?? undefined;
  }

  /** Our latest `limit` messages sent but not yet confirmed delivered (XEP-0184), oldest first. */
  awaitingReceipt(account: string, limit = 1_000): { id: string; peer: string }[] {
    return this.st.awaitingReceipt.all(account, limit).reverse();
  }

  /** XEP-0333: per peer (bare JID), the id of our latest message they displayed (committed marks). */
  displayedMarks(account: string): Record<string, string> {
    return this.marks.all(account);
  }

  archiveStartReached(account: string, peer: string): boolean {
    return !!this.st.archiveStart.get(account, peer);
  }

  /** Our own message `id` (the newest with that id), committed or not yet. */
  ownMessage(account: string, id: string): HistoryMessage | undefined {
    const row = this.st.ownById.get(account, id);
    return row ? rowToMessage(row) : undefined;
  }

  /** Our newest message in the conversation with `peer` (XEP-0308 corrects only the last one). */
  lastOwnMessage(account: string, peer: string): HistoryMessage | undefined {
    const row = this.st.lastOwn.get(account, peer);
    return row ? rowToMessage(row) : undefined;
  }

  // ------------------------------------------------------------------ internals

  private enqueue<T>(op: () => T): Promise<T> {
    return this.writes.enqueue(op);
  }

  /** The stored message `msg` duplicates, by the rules at the top of this file. */
  private findExisting(msg: StoredMessage): MessageRow | undefined {
    const stanzaId = msg.stanzaId ?? null;
    if (stanzaId !== null) {
      const byStanzaId = this.st.byStanzaId.get(msg.account, stanzaId);
      if (byStanzaId) return byStanzaId;
    }
    if (msg.direction === 'out' || msg.via === 'carbon' || msg.via === 'archive') {
      return this.st.byKey[msg.direction === 'out' ? 'out' : 'in'].get(msg.account, msg.originId ?? msg.id, msg.peer, stanzaId, stanzaId);
    }
    return undefined;
  }

  /** Insert-or-merge; runs inside a transaction. */
  private insertRow(msg: StoredMessage): InsertResult {
    const account = msg.account;
    const key = msg.originId ?? msg.id;
    const stanzaId = msg.stanzaId ?? null;
    const existing = this.findExisting(msg);
    if (existing) return this.merge(existing, msg);

    const timestamp = clampTimestamp(msg.timestamp);
    const enc = encodeBody(msg.body);
    const info = this.st.insert.run(
      account,
      msg.peer,
      msg.direction,
      msg.type,
      msg.id,
      msg.originId ?? null,
      key,
      stanzaId,
      msg.from,
      msg.to,
      enc.text,
      enc.utf16,
      msg.thread ?? null,
      msg.subject ?? null,
      timestamp,
      msg.state,
      msg.state === 'error' ? (msg.error ?? null) : null,
    );
    const id = Number(info.lastInsertRowid);
    this.index(id, enc.text, false);
    this.st.conversation.run(account, msg.peer, timestamp);
    const { account: _a, originId: _o, via: _v, ...plain } = msg;
    const message: HistoryMessage = { ...plain, timestamp, cursor: encodeCursor(timestamp, id) };
    if (msg.state !== 'error') delete message.error;
    return { inserted: true, id, changed: false, message };
  }

  private merge(row: MessageRow, msg: StoredMessage): InsertResult {
    let changed = false;
    if (msg.stanzaId !== undefined && row.stanza_id === null) {
      this.st.setStanzaId.run(msg.stanzaId, row.id);
      changed = true;
    }
    if (STATE_RANK[msg.state] > STATE_RANK[row.state]) {
      this.st.setState.run(msg.state, msg.state === 'error' ? (msg.error ?? null) : null, row.id);
      // A copy of our queued message from the archive or a carbon: it got through, do not send it again.
      if (row.state === 'pending') this.st.unqueue.run(row.id);
      changed = true;
    }
    const current = changed ? this.st.row.get(row.id)! : row;
    return { inserted: false, id: row.id, changed, message: rowToMessage(current) };
  }

  private index(rowid: number, text: string, replace: boolean): void {
    if (replace) {
      this.st.ftsDelete.run(rowid);
      this.st.cjkDelete.run(rowid);
    }
    this.st.fts.run(rowid, text);
    const cjk = cjkTokens(text);
    if (cjk !== null) this.st.cjk.run(rowid, cjk);
  }
}

function bareOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash < 0 ? jid : jid.slice(0, slash);
}
