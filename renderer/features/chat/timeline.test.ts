import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/domain';
import { dayKey, relativeDay } from './format';
import { buildTimeline, seenAmong, SENDER_GAP_MS, visibleTimeline } from './timeline';

const at = (y: number, mo: number, d: number, h = 12, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();
let n = 0;
const m = (timestamp: number, direction: 'in' | 'out'): ChatMessage => ({
  id: `t${++n}`, peer: 'b@x', from: 'b@x/r', to: 'a@x/r', direction, type: 'chat', body: 'x', timestamp, state: 'sent',
});

describe('timeline', () => {
  it('puts a separator before the first message of each local day', () => {
    const list = [m(at(2024, 3, 1, 23, 50), 'in'), m(at(2024, 3, 1, 23, 55), 'in'), m(at(2024, 3, 2, 0, 5), 'in')];
    expect(buildTimeline(list).map((e) => e.kind)).toEqual(['day', 'message', 'message', 'day', 'message']);
  });

  it('names the sender when it changes, after a pause, and after a day separator', () => {
    const t = at(2024, 3, 1, 10);
    const list = [m(t, 'in'), m(t + 1000, 'in'), m(t + 2000, 'out'), m(t + 3000, 'out'), m(t + 3000 + SENDER_GAP_MS + 1, 'out')];
    const shown = buildTimeline(list).flatMap((e) => (e.kind === 'message' ? [e.showSender] : []));
    expect(shown).toEqual([true, false, true, false, true]);
  });

  it('knows today and yesterday', () => {
    const now = at(2024, 3, 1, 9);
    expect(relativeDay(at(2024, 3, 1, 0, 1), now)).toBe('today');
    expect(relativeDay(at(2024, 2, 29, 23, 59), now)).toBe('yesterday');
    expect(relativeDay(at(2024, 2, 28), now)).toBeNull();
    expect(dayKey(at(2024, 12, 31))).toBe(20241231);
  });

  it('places transfer cards among the messages by start time, with their own day separator (issue 6)', () => {
    const t = at(2024, 3, 1, 10);
    const list = [m(t, 'in'), m(t + 2000, 'in'), m(t + 4000, 'in')];
    const entries = buildTimeline(list, [
      { id: 'x1', startedAt: t + 1000 },
      { id: 'x2', startedAt: at(2024, 3, 2, 8) },
    ]);
    expect(entries.map((e) => (e.kind === 'transfer' ? e.id : e.kind))).toEqual(['day', 'message', 'x1', 'message', 'message', 'day', 'x2']);
    // After a card the next message names its sender again.
    expect(entries.flatMap((e) => (e.kind === 'message' ? [e.showSender] : []))).toEqual([true, true, false]);
    expect(buildTimeline([], [{ id: 'only', startedAt: t }]).map((e) => e.kind)).toEqual(['day', 'transfer']);
  });
});

describe('visibleTimeline', () => {
  const start = at(2026, 11, 26, 9);
  const msgs = Array.from({ length: 1000 }, (_, i): ChatMessage => ({ ...m(start + i * 1000, 'in'), id: `m${i}` }));
  const timeline = buildTimeline(msgs);

  it('renders only the newest entries, headed by their day and with the sender named at the cut', () => {
    const { entries, hidden, hiddenAfter } = visibleTimeline(timeline, { start: timeline.length - 100, end: timeline.length });
    expect(hidden).toBe(timeline.length - 100);
    expect(hiddenAfter).toBe(0);
    expect(entries).toHaveLength(101);
    expect(entries[0]!.kind).toBe('day');
    const first = entries[1]!;
    expect(first.kind === 'message' && first.message.id).toBe('m900');
    expect(first.kind === 'message' && first.showSender).toBe(true);
    expect(entries.at(-1)!.key).toBe('m999');
  });

  it('moves to a focused (searched) message outside the range, with at most `max` entries from it', () => {
    const { entries, hidden, hiddenAfter } = visibleTimeline(timeline, { start: timeline.length - 100, end: timeline.length }, 'm10', 300);
    const first = entries[1]!;
    expect(first.kind === 'message' && first.message.id).toBe('m10');
    expect(hidden).toBe(11);
    expect(entries).toHaveLength(301);
    expect(hiddenAfter).toBe(timeline.length - 311);
    // Inside the range: nothing moves.
    expect(visibleTimeline(timeline, { start: 5, end: 200 }, 'm10', 300).hidden).toBe(5);
  });

  it('renders a stretch in the middle (scrolled far back), cut on both sides', () => {
    const { entries, hidden, hiddenAfter } = visibleTimeline(timeline, { start: 200, end: 500 });
    expect(hidden).toBe(200);
    expect(hiddenAfter).toBe(timeline.length - 500);
    expect(entries[0]!.kind).toBe('day');
    expect(entries.at(-1)!.key).toBe(timeline[499]!.key);
  });

  it('returns the whole timeline when it is short enough', () => {
    const { entries, hidden, hiddenAfter } = visibleTimeline(timeline, { start: -4000, end: 5000 });
    expect(entries).toBe(timeline);
    expect(hidden).toBe(0);
    expect(hiddenAfter).toBe(0);
  });
});

describe('seenAmong', () => {
  const start = at(2026, 11, 26, 9);
  const timeline = buildTimeline(Array.from({ length: 1000 }, (_, i): ChatMessage => ({ ...m(start + i * 1000, 'out'), id: `o${i}` })));
  const stretch = visibleTimeline(timeline, { start: 200, end: 500 });

  it('finds the marker among the rendered entries', () => {
    const i = seenAmong(timeline, stretch, 'o300');
    expect(stretch.entries[i]!.key).toBe('o300');
  });

  it('covers every rendered entry when the marker is below them (scrolled far back), none when above', () => {
    expect(seenAmong(timeline, stretch, 'o900')).toBe(stretch.entries.length - 1);
    expect(seenAmong(timeline, stretch, 'o100')).toBe(-1);
    expect(seenAmong(timeline, stretch, 'unknown')).toBe(-1);
    expect(seenAmong(timeline, stretch, undefined)).toBe(-1);
    // No marker: nothing is seen, though day separators (no message id) follow the stretch.
    const twoDays = buildTimeline([...Array.from({ length: 10 }, (_, i): ChatMessage => ({ ...m(start + i * 1000, 'out'), id: `a${i}` })), { ...m(start + 86_400_000, 'out'), id: 'b0' }]);
    expect(seenAmong(twoDays, visibleTimeline(twoDays, { start: 1, end: 4 }), undefined)).toBe(-1);
  });
});
