// A messages row ⇄ the message as the app sees it, and the cursor that marks its place.
import type { ChatMessage, MessageState } from '../../../shared/domain';
import { decodeBody } from './text';

/** A stored message and its position in the conversation (an opaque cursor for page()). */
export interface HistoryMessage extends ChatMessage {
  cursor: string;
}

export interface MessageRow {
  id: number;
  account: string;
  peer: string;
  direction: 'in' | 'out';
  type: string;
  msg_id: string;
  origin_id: string | null;
  dedupe_key: string;
  stanza_id: string | null;
  from_jid: string;
  to_jid: string;
  body: string;
  body_utf16: Buffer | null;
  thread: string | null;
  subject: string | null;
  timestamp: number;
  state: MessageState;
  error: string | null;
  corrected_at: number | null;
}

export function encodeCursor(timestamp: number, rowid: number): string {
  return `${timestamp}:${rowid}`;
}

export function decodeCursor(cursor: string): { timestamp: number; rowid: number } {
  const m = /^(\d{1,16}):(\d{1,16})$/.exec(cursor);
  if (!m) throw new Error(`Not a history cursor: ${JSON.stringify(cursor.slice(0, 40))}`);
  return { timestamp: Number(m[1]), rowid: Number(m[2]) };
}

export function rowToMessage(r: MessageRow): HistoryMessage {
  const m: HistoryMessage = {
    id: r.msg_id,
    peer: r.peer,
    from: r.from_jid,
    to: r.to_jid,
    direction: r.direction,
    type: r.type === 'normal' ? 'normal' : 'chat',
    body: decodeBody(r.body, r.body_utf16),
    timestamp: r.timestamp,
    state: r.state,
    cursor: encodeCursor(r.timestamp, r.id),
  };
  if (r.thread !== null) m.thread = r.thread;
  if (r.subject !== null) m.subject = r.subject;
  if (r.stanza_id !== null) m.stanzaId = r.stanza_id;
  if (r.error !== null) m.error = r.error;
  if (r.corrected_at !== null) m.correctedAt = r.corrected_at;
  return m;
}

