// A conversation's messages as display entries: a separator at each new local day, and the
// sender's name shown only where it changes (or after a pause), as chat apps do.
import type { ChatMessage } from '../../../shared/domain';
import { dayKey } from './format';

/** A pause after which the sender is named again even if it is the same one. */
export const SENDER_GAP_MS = 5 * 60_000;

export type TimelineEntry = { kind: 'day'; key: string; timestamp: number } | { kind: 'message'; key: string; message: ChatMessage; showSender: boolean };

export function buildTimeline(messages: readonly ChatMessage[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let prev: ChatMessage | undefined;
  let prevDay = -1;
  for (const m of messages) {
    const day = dayKey(m.timestamp);
    const newDay = day !== prevDay;
    if (newDay) {
      out.push({ kind: 'day', key: `day-${day}`, timestamp: m.timestamp });
      prevDay = day;
    }
    const showSender = newDay || !prev || prev.direction !== m.direction || m.timestamp - prev.timestamp > SENDER_GAP_MS;
    out.push({ kind: 'message', key: m.id, message: m, showSender });
    prev = m;
  }
  return out;
}
