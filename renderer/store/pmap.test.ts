import { describe, expect, it } from 'vitest';
import { PMap } from './pmap';

describe('PMap', () => {
  it('sets, gets, deletes; the previous map is untouched', () => {
    const a = PMap.empty<number>();
    const b = a.set('x', 1).set('y', 2);
    const c = b.delete('x').set('y', 3);
    expect([a.size, b.size, c.size]).toEqual([0, 2, 1]);
    expect([b.get('x'), b.get('y'), c.get('x'), c.get('y')]).toEqual([1, 2, undefined, 3]);
    expect(c.has('y') && !c.has('x')).toBe(true);
    expect(a.get('x')).toBeUndefined();
  });

  it('returns the same map when nothing changes', () => {
    const v = { n: 1 };
    const m = PMap.empty<object>().set('k', v);
    expect(m.set('k', v)).toBe(m);
    expect(m.delete('absent')).toBe(m);
    expect(m.update(() => {})).toBe(m);
  });

  it('matches a plain Map through thousands of random batched changes, sharing what did not change', () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const ref = new Map<string, number>();
    let m = PMap.empty<number>();
    const snapshots: [PMap<number>, Map<string, number>][] = [];
    for (let batch = 0; batch < 300; batch++) {
      const before = m;
      const beforeRef = new Map(ref);
      m = m.update((d) => {
        for (let i = 0; i < 50; i++) {
          const k = `user${rand(3000)}@example.test`;
          if (rand(4) === 0) {
            d.delete(k);
            ref.delete(k);
          } else {
            const v = rand(1000);
            d.set(k, v);
            ref.set(k, v);
          }
          expect(d.get(k)).toBe(ref.get(k));
        }
      });
      snapshots.push([before, beforeRef]);
      expect(m.size).toBe(ref.size);
    }
    expect(m.toObject()).toEqual(Object.fromEntries(ref));
    // Every earlier version still reads as it was.
    for (const [old, oldRef] of snapshots.filter((_, i) => i % 37 === 0)) {
      expect(old.size).toBe(oldRef.size);
      for (const [k, v] of oldRef) expect(old.get(k)).toBe(v);
    }
    // Keys never present are absent; keys are unique.
    expect(m.get('nobody@example.test')).toBeUndefined();
    expect(new Set(m.keys()).size).toBe(m.size);
  });

  it('builds from entries, "__proto__" is an ordinary key', () => {
    const m = PMap.from([
      ['__proto__', 1],
      ['constructor', 2],
    ]);
    expect(m.get('__proto__')).toBe(1);
    expect(m.get('constructor')).toBe(2);
    expect(m.get('toString')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('diff reports exactly the keys whose value changed, in both directions', () => {
    let seed = 9;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const values = [{ v: 1 }, { v: 2 }, { v: 3 }];
    let a = PMap.empty<object>();
    for (let round = 0; round < 50; round++) {
      const b = a.update((d) => {
        const n = rand(round % 5 === 0 ? 3000 : 40);
        for (let i = 0; i < n; i++) {
          const k = `user${rand(5000)}@example.test`;
          if (rand(3) === 0) d.delete(k);
          else d.set(k, values[rand(values.length)]!);
        }
      });
      const expected = new Set<string>();
      const ao = a.toObject();
      const bo = b.toObject();
      for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) if (ao[k] !== bo[k]) expected.add(k);
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = new Map<string, [unknown, unknown]>();
        PMap.diff(x, y, (k, inX, inY) => got.set(k, [inX, inY]));
        expect(new Set(got.keys())).toEqual(expected);
        for (const [k, [inX, inY]] of got) expect([inX, inY]).toEqual([x.get(k), y.get(k)]);
      }
      a = b;
    }
    let calls = 0;
    PMap.diff(a, a, () => calls++);
    expect(calls).toBe(0);
  });
});
