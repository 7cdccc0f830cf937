// XEP-0333 displayed markers, kept per account and conversation: the id of our latest message the
// peer displayed (https://xmpp.org/extensions/xep-0333.html). Markers may arrive out of order
// (several devices of the peer, a marker repeated after a reconnect), and "displayed" covers every
// earlier message (Business Rules), so the mark only moves forward: to a message placed after the
// marked one in the conversation's order, (timestamp, rowid) — the order the app shows it in.
// A marker is for a message that asked for it (Requirements): only our own outgoing messages of
// that conversation can be marked; a marker naming anything else is ignored.
//
// Methods here are synchronous; HistoryStore runs `advance` inside its write queue, so a marker
// commits after the message it marks when both were queued in arrival order.
import type { Db } from './db';

/**
 * advanced: the mark moved to our message `id` (the id the app knows it by); kept: it was
 * already there or later; unknown: not one of our messages to that peer.
 */
export type MarkOutcome = { status: 'advanced'; id: string } | { status: 'kept' } | { status: 'unknown' };

interface Position {
  id: number;
  timestamp: number;
  msg_id: string;
}

export class DisplayedMarks {
  private readonly st;

  constructor(db: Db) {
    this.st = {
      // The newest of our messages to `peer` with that id (the id the peer's marker names: ours
      // carry it as id and origin-id). The direction is in the SQL, not bound (see history.ts byKey).
      ownInConversation: db.prepare<[string, string, string], Position>(
        `SELECT id, timestamp, msg_id FROM messages WHERE account = ? AND dedupe_key = ? AND peer = ? AND direction = 'out'
           ORDER BY timestamp DESC, id DESC LIMIT 1`,
      ),
      current: db.prepare<[string, string], Position>(
        'SELECT m.id AS id, m.timestamp AS timestamp, m.msg_id AS msg_id FROM displayed_marks d JOIN messages m ON m.id = d.message WHERE d.account = ? AND d.peer = ?',
      ),
      set: db.prepare(
        `INSERT INTO displayed_marks (account, peer, message) VALUES (?, ?, ?)
         ON CONFLICT (account, peer) DO UPDATE SET message = excluded.message`,
      ),
      all: db.prepare<[string], { peer: string; msg_id: string }>(
        'SELECT d.peer AS peer, m.msg_id AS msg_id FROM displayed_marks d JOIN messages m ON m.id = d.message WHERE d.account = ?',
      ),
    };
  }

  /** `peer` displayed our message `id` (and all before it). Call inside a transaction. */
  advance(account: string, peer: string, id: string): MarkOutcome {
    const marked = this.st.ownInConversation.get(account, id, peer);
    if (!marked) return { status: 'unknown' };
    const current = this.st.current.get(account, peer);
    if (current && (current.timestamp > marked.timestamp || (current.timestamp === marked.timestamp && current.id >= marked.id))) return { status: 'kept' };
    this.st.set.run(account, peer, marked.id);
    return { status: 'advanced', id: marked.msg_id };
  }

  /** Peer bare JID → id of our latest message they displayed, for every conversation of `account`. */
  all(account: string): Record<string, string> {
    // Null prototype: peers are keys, and no JID may reach Object.prototype.
    const out = Object.create(null) as Record<string, string>;
    for (const r of this.st.all.iterate(account)) out[r.peer] = r.msg_id;
    return out;
  }
}
