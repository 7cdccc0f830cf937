// The search panel's state as a pure reducer: a query goes out, and only the answer to the latest
// query is kept (a slow answer to an older query must not replace a newer one's results).
import type { CommandResult } from '../../../shared/ipc/contract';

export type SearchHit = CommandResult<'history.search'>[number];

export type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string; seq: number }
  | { status: 'done'; query: string; seq: number; hits: readonly SearchHit[] }
  | { status: 'failed'; query: string; seq: number; error: string };

export type SearchAction =
  | { type: 'started'; query: string; seq: number }
  | { type: 'answered'; seq: number; hits: readonly SearchHit[] }
  | { type: 'failed'; seq: number; error: string }
  | { type: 'cleared' };

export const idleSearch: SearchState = { status: 'idle' };

export function searchReducer(s: SearchState, a: SearchAction): SearchState {
  switch (a.type) {
    case 'started':
      return { status: 'searching', query: a.query, seq: a.seq };
    case 'answered':
      return s.status === 'searching' && s.seq === a.seq ? { status: 'done', query: s.query, seq: s.seq, hits: a.hits } : s;
    case 'failed':
      return s.status === 'searching' && s.seq === a.seq ? { status: 'failed', query: s.query, seq: s.seq, error: a.error } : s;
    case 'cleared':
      return idleSearch;
  }
}

/** A snippet's text cut at its highlight ranges: plain runs and marked runs, in order. Ranges are clamped, sorted and merged. */
export function snippetParts(text: string, highlights: readonly (readonly [number, number])[]): { text: string; mark: boolean }[] {
  const ranges = highlights
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: { text: string; mark: boolean }[] = [];
  let at = 0;
  for (const [a, b] of ranges) {
    const start = Math.max(a, at);
    if (b <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start), mark: false });
    const last = out[out.length - 1];
    // Touching or overlapping ranges make one mark.
    if (start === at && last?.mark) last.text += text.slice(start, b);
    else out.push({ text: text.slice(start, b), mark: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: false });
  return out;
}
