// Where each row of the virtualized roster tree sits, computed from the row model's group
// headers instead of measured (issue 4). Rows have two fixed heights (group header, contact), so
// the offset of row i is (headers before i) × header height + (other rows before i) × row height:
// a binary search over the ~200 headers. A general-purpose virtualizer made an object per row
// (10,000 at sign-in, and again on every regrouping of a presence flood) and measured the scroll
// element in a layout effect, which forced a layout of the whole page inside the sign-in task.

export interface RowGeometry {
  readonly count: number;
  /** Height of all rows (px). */
  readonly total: number;
  /** Top of row `index` (px); `count` gives the total. */
  offset(index: number): number;
  /** Height of row `index` (px). */
  size(index: number): number;
  /** The row at vertical position `y` (px), clamped to the rows; -1 when there are none. */
  indexAt(y: number): number;
}

/** First position in the ascending `list` whose value is ≥ `x`. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Geometry of `count` rows where the rows at `headers` (ascending indexes) are `headerPx` high and
 * every other row `rowPx`.
 */
export function rowGeometry(count: number, headers: readonly number[], headerPx: number, rowPx: number): RowGeometry {
  const offset = (index: number): number => {
    const before = lowerBound(headers, index);
    return before * headerPx + (index - before) * rowPx;
  };
  // Top of the k-th header: k headers and (its index - k) contacts above it.
  const headerTop = (k: number): number => k * headerPx + (headers[k]! - k) * rowPx;
  const total = offset(count);
  return {
    count,
    total,
    offset,
    size: (index) => (headers[lowerBound(headers, index)] === index ? headerPx : rowPx),
    indexAt(y) {
      if (count === 0) return -1;
      if (y <= 0) return 0;
      if (y >= total) return count - 1;
      // The last header whose top is at or above y (header tops grow with their index).
      let lo = 0;
      let hi = headers.length - 1;
      let b = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (headerTop(mid) <= y) {
          b = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (b < 0) return Math.min(Math.floor(y / rowPx), (headers[0] ?? count) - 1);
      const h = headers[b]!;
      const top = headerTop(b);
      if (y < top + headerPx) return h;
      const end = (headers[b + 1] ?? count) - 1;
      return Math.min(h + 1 + Math.floor((y - top - headerPx) / rowPx), end);
    },
  };
}

/** Rows to render for a viewport: those it shows plus `overscan` on each side; empty when first > last. */
export function visibleRange(g: RowGeometry, scrollTop: number, height: number, overscan: number): { first: number; last: number } {
  if (g.count === 0) return { first: 0, last: -1 };
  const first = Math.max(0, g.indexAt(scrollTop) - overscan);
  const last = Math.min(g.count - 1, g.indexAt(scrollTop + Math.max(0, height - 1)) + overscan);
  return { first, last };
}
