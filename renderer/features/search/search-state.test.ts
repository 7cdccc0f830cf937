import { describe, expect, it } from 'vitest';
import { idleSearch, searchReducer, snippetParts, type SearchHit } from './search-state';

const hit = (id: string): SearchHit => ({
  message: { id, peer: 'b@x', from: 'b@x/r', to: 'me@x', direction: 'in', type: 'chat', body: 'x', timestamp: 1, state: 'delivered', cursor: '1:1' },
  snippet: { text: 'x', highlights: [[0, 1]] },
});

describe('search state', () => {
  it('keeps only the answer to the latest query', () => {
    let s = searchReducer(idleSearch, { type: 'started', query: 'old', seq: 1 });
    s = searchReducer(s, { type: 'started', query: 'new', seq: 2 });
    expect(searchReducer(s, { type: 'answered', seq: 1, hits: [hit('a')] })).toBe(s);
    expect(searchReducer(s, { type: 'failed', seq: 1, error: 'x' })).toBe(s);
    const done = searchReducer(s, { type: 'answered', seq: 2, hits: [hit('b')] });
    expect(done).toMatchObject({ status: 'done', query: 'new' });
    expect(searchReducer(done, { type: 'cleared' })).toBe(idleSearch);
  });

  it('a failure of the current query is shown', () => {
    const s = searchReducer(searchReducer(idleSearch, { type: 'started', query: 'q', seq: 5 }), { type: 'failed', seq: 5, error: 'Not signed in.' });
    expect(s).toEqual({ status: 'failed', query: 'q', seq: 5, error: 'Not signed in.' });
  });

  it('cuts a snippet at its highlights (CJK too), clamping, ordering and merging overlaps', () => {
    expect(snippetParts('我们的数据库很快', [[3, 6]])).toEqual([
      { text: '我们的', mark: false },
      { text: '数据库', mark: true },
      { text: '很快', mark: false },
    ]);
    expect(snippetParts('hello world', [[6, 99], [0, 2], [1, 4]])).toEqual([
      { text: 'hell', mark: true },
      { text: 'o ', mark: false },
      { text: 'world', mark: true },
    ]);
    expect(snippetParts('<b>x</b>', [])).toEqual([{ text: '<b>x</b>', mark: false }]);
    expect(snippetParts('abc', [[2, 1], [-5, 0]])).toEqual([{ text: 'abc', mark: false }]);
  });
});
