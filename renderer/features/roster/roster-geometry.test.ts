import { describe, expect, it } from 'vitest';
import { rowGeometry, visibleRange } from './roster-geometry';

const G = 32;
const C = 48;

/** Offsets by walking every row: what the geometry must agree with. */
function walk(count: number, headers: readonly number[]) {
  const isHeader = new Set(headers);
  const tops: number[] = [];
  let y = 0;
  for (let i = 0; i < count; i++) {
    tops.push(y);
    y += isHeader.has(i) ? G : C;
  }
  return { tops, total: y, size: (i: number) => (isHeader.has(i) ? G : C) };
}

describe('roster row geometry', () => {
  const cases: [string, number, number[]][] = [
    ['groups of several sizes', 30, [0, 1, 5, 6, 20, 29]],
    ['one group', 10, [0]],
    ['contacts before the first header', 8, [3]],
    ['no headers', 5, []],
    ['no rows', 0, []],
  ];
  for (const [name, count, headers] of cases) {
    it(`agrees with walking the rows: ${name}`, () => {
      const g = rowGeometry(count, headers, G, C);
      const w = walk(count, headers);
      expect(g.total).toBe(w.total);
      for (let i = 0; i < count; i++) {
        expect(g.offset(i)).toBe(w.tops[i]);
        expect(g.size(i)).toBe(w.size(i));
        // Every pixel of a row maps back to it.
        for (const dy of [0, 1, w.size(i) - 1]) expect(g.indexAt(w.tops[i]! + dy)).toBe(i);
      }
      expect(g.indexAt(-10)).toBe(count === 0 ? -1 : 0);
      expect(g.indexAt(w.total + 100)).toBe(count - 1);
    });
  }

  it('gives the rows a viewport shows, with overscan, clamped', () => {
    const g = rowGeometry(100, [0, 50], G, C);
    // Rows 0 (0–32), 1 (32–80), 2 (80–128), …: a 100 px viewport at the top shows rows 0–2.
    expect(visibleRange(g, 0, 100, 0)).toEqual({ first: 0, last: 2 });
    expect(visibleRange(g, 0, 100, 5)).toEqual({ first: 0, last: 7 });
    const top = g.offset(60);
    expect(visibleRange(g, top, C, 2)).toEqual({ first: 58, last: 62 });
    expect(visibleRange(g, g.total - 10, 500, 3)).toEqual({ first: 96, last: 99 });
    expect(visibleRange(rowGeometry(0, [], G, C), 0, 500, 3)).toEqual({ first: 0, last: -1 });
  });
});
