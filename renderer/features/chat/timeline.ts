// A conversation's messages as display entries: a separator at each new local day, and the
// sender's name shown only where it changes (or after a pause), as chat apps do.
import type { ChatMessage } from '../../../shared/domain';
import { seenIndex } from '../../store/chat-status';
import { dayKey } from './format';

/** A pause after which the sender is named again even if it is the same one. */
export const SENDER_GAP_MS = 5 * 60_000;

export type TimelineEntry =
  | { kind: 'day'; key: string; timestamp: number }
  | { kind: 'message'; key: string; message: ChatMessage; showSender: boolean }
  /** Issue 6: a file transfer's card, placed by the time it started. */
  | { kind: 'transfer'; key: string; id: string; timestamp: number };

/** Issue 6: a transfer of the conversation, oldest first (store/transfers.ts byPeer). */
export interface TimelineTransfer {
  id: string;
  startedAt: number;
}

const NO_TRANSFERS: readonly TimelineTransfer[] = [];

export function buildTimeline(messages: readonly ChatMessage[], transfers: readonly TimelineTransfer[] = NO_TRANSFERS): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let prev: ChatMessage | undefined;
  let prevDay = -1;
  const dayOf = (timestamp: number): boolean => {
    const day = dayKey(timestamp);
    if (day === prevDay) return false;
    out.push({ kind: 'day', key: `day-${day}`, timestamp });
    prevDay = day;
    return true;
  };
  let ti = 0;
  const transfersBefore = (timestamp: number) => {
    for (; ti < transfers.length && transfers[ti]!.startedAt < timestamp; ti++) {
      const t = transfers[ti]!;
      dayOf(t.startedAt);
      out.push({ kind: 'transfer', key: `transfer:${t.id}`, id: t.id, timestamp: t.startedAt });
      // A card between two messages breaks the run: the next message names its sender again.
      prev = undefined;
    }
  };
  for (const m of messages) {
    transfersBefore(m.timestamp);
    const newDay = dayOf(m.timestamp);
    const showSender = newDay || !prev || prev.direction !== m.direction || m.timestamp - prev.timestamp > SENDER_GAP_MS;
    out.push({ kind: 'message', key: m.id, message: m, showSender });
    prev = m;
  }
  transfersBefore(Infinity);
  return out;
}

/**
 * The part of a timeline to render: entries [start, end) — a flood of thousands of messages, or a
 * long scroll back, must not put thousands of elements in the page — moved to the entry of
 * `focusId` (a chosen search hit) when it lies outside, with at most `max` entries from it on, and
 * headed by the day separator of its first entry (the entry at the cut is shown with its sender
 * named). `hidden`: entries before it; `hiddenAfter`: entries after it.
 */
export function visibleTimeline(
  timeline: readonly TimelineEntry[],
  range: { start: number; end: number },
  focusId?: string,
  max = Infinity,
): { entries: TimelineEntry[]; hidden: number; hiddenAfter: number } {
  let start = Math.max(0, range.start);
  let end = Math.min(timeline.length, range.end);
  if (focusId !== undefined && (start > 0 || end < timeline.length)) {
    const at = timeline.findIndex((e) => e.kind === 'message' && e.message.id === focusId);
    if (at >= 0 && (at < start || at >= end)) {
      start = at;
      end = Math.min(timeline.length, at + max);
    }
  }
  if (start === 0 && end === timeline.length) return { entries: timeline as TimelineEntry[], hidden: 0, hiddenAfter: 0 };
  const entries = timeline.slice(start, end);
  const first = entries[0];
  if (first?.kind === 'message' && !first.showSender) entries[0] = { ...first, showSender: true };
  if (first && first.kind !== 'day') {
    for (let i = start - 1; i >= 0; i--) {
      const e = timeline[i]!;
      if (e.kind === 'day') {
        entries.unshift(e);
        break;
      }
    }
  }
  return { entries, hidden: start, hiddenAfter: timeline.length - end };
}

/**
 * Index into the rendered `shown.entries` of the last one the peer's displayed marker (`seenId`)
 * covers: our messages up to it count as seen. Rendered entries are a contiguous run of the
 * timeline: the marker is among them, or before them (it covers none: -1), or — scrolled far back,
 * the newest not rendered — after them, covering them all.
 */
export function seenAmong(timeline: readonly TimelineEntry[], shown: { entries: readonly TimelineEntry[]; hiddenAfter: number }, seenId: string | undefined): number {
  const idOf = (e: TimelineEntry) => (e.kind === 'message' ? e.message.id : undefined);
  const at = seenIndex(shown.entries, seenId, idOf);
  if (at >= 0 || shown.hiddenAfter === 0 || seenId === undefined) return at;
  // Looked for in the entries after the rendered ones, in place (far back they are thousands).
  for (let i = timeline.length - 1; i >= timeline.length - shown.hiddenAfter; i--) if (idOf(timeline[i]!) === seenId) return shown.entries.length - 1;
  return -1;
}
