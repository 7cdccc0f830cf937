// A small persistent (immutable) map from string keys, for state that is large and changes a few
// entries at a time: the presence of 10,000 contacts. Copying a 10,000-key object on every batch
// of a presence flood costs ~10 ms a copy (V8 dictionary objects); here an update copies only the
// path to each key changed — a two-level trie (64 × 64 nodes) on a hash of the key, with small
// buckets at the leaves — so a batch costs in proportion to the updates in it, and a reducer stays
// a pure function (the previous map is untouched, unchanged subtrees are shared).

const BITS = 6;
const WIDTH = 1 << BITS; // 64
const MASK = WIDTH - 1;

type Bucket<V> = readonly (readonly [string, V])[];
type Leaf<V> = readonly (Bucket<V> | undefined)[];
type Root<V> = readonly (Leaf<V> | undefined)[];

/** FNV-1a over UTF-16 units: cheap and well spread for JIDs. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// A presence batch calls these once per update, and each row's selectors on every batch (issue 4):
// a plain indexed loop, no destructuring or callbacks.
function indexIn<V>(bucket: Bucket<V> | undefined, key: string): number {
  if (bucket) for (let i = 0; i < bucket.length; i++) if (bucket[i]![0] === key) return i;
  return -1;
}

function find<V>(bucket: Bucket<V> | undefined, key: string): V | undefined {
  const i = indexIn(bucket, key);
  return i < 0 ? undefined : bucket![i]![1];
}

const holds = <V>(bucket: Bucket<V> | undefined, key: string): boolean => indexIn(bucket, key) >= 0;

const EMPTY_ROOT: Root<never> = Object.freeze(new Array<undefined>(WIDTH).fill(undefined));

export class PMap<V> {
  private constructor(
    private readonly root: Root<V>,
    readonly size: number,
  ) {}

  static empty<V>(): PMap<V> {
    return EMPTY as PMap<V>;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
    return PMap.empty<V>().update((d) => {
      for (const [k, v] of entries) d.set(k, v);
    });
  }

  get(key: string): V | undefined {
    const h = hash(key);
    return find(this.root[h & MASK]?.[(h >>> BITS) & MASK], key);
  }

  has(key: string): boolean {
    const h = hash(key);
    return holds(this.root[h & MASK]?.[(h >>> BITS) & MASK], key);
  }

  /**
   * Applies a batch of changes and returns the new map (or this one when nothing changed). Each
   * node on a changed path is copied once per batch, however many keys under it change.
   */
  update(fn: (draft: { set(key: string, value: V): void; delete(key: string): void; get(key: string): V | undefined }) => void): PMap<V> {
    let root: (Leaf<V> | undefined)[] | null = null;
    const copiedLeaves = new Set<number>();
    const copiedBuckets = new Set<number>();
    let size = this.size;
    const base = this.root;
    const leafFor = (i: number): (Bucket<V> | undefined)[] => {
      root ??= base.slice();
      if (!copiedLeaves.has(i)) {
        root[i] = root[i] ? root[i]!.slice() : new Array<undefined>(WIDTH).fill(undefined);
        copiedLeaves.add(i);
      }
      return root[i] as (Bucket<V> | undefined)[];
    };
    const current = (h: number): Bucket<V> | undefined => (root ?? base)[h & MASK]?.[(h >>> BITS) & MASK];
    const draft = {
      get(key: string): V | undefined {
        return find(current(hash(key)), key);
      },
      set(key: string, value: V): void {
        const h = hash(key);
        const bucket = current(h);
        const at = indexIn(bucket, key);
        if (at >= 0 && Object.is(bucket![at]![1], value)) return;
        const leaf = leafFor(h & MASK);
        const slot = h & ((1 << (2 * BITS)) - 1);
        let next: [string, V][];
        // A bucket already copied in this batch is ours to change; any other is shared.
        if (bucket && copiedBuckets.has(slot)) next = bucket as [string, V][];
        else {
          next = bucket ? (bucket.slice() as [string, V][]) : [];
          copiedBuckets.add(slot);
        }
        if (at >= 0) next[at] = [key, value];
        else {
          next.push([key, value]);
          size++;
        }
        leaf[(h >>> BITS) & MASK] = next;
      },
      delete(key: string): void {
        const h = hash(key);
        const bucket = current(h);
        const at = indexIn(bucket, key);
        if (at < 0) return;
        const leaf = leafFor(h & MASK);
        const next = bucket!.filter((_, i) => i !== at);
        copiedBuckets.add(h & ((1 << (2 * BITS)) - 1));
        leaf[(h >>> BITS) & MASK] = next.length > 0 ? next : undefined;
        size--;
      },
    };
    fn(draft);
    return root ? new PMap<V>(root, size) : this;
  }

  set(key: string, value: V): PMap<V> {
    return this.update((d) => d.set(key, value));
  }

  delete(key: string): PMap<V> {
    return this.update((d) => d.delete(key));
  }

  /**
   * Calls `changed` for each key whose value differs between `a` and `b` (by identity; absent is
   * undefined). Subtrees the two maps share are skipped, so comparing a map with its successor
   * costs in proportion to what changed in between, not to its size.
   */
  static diff<V>(a: PMap<V>, b: PMap<V>, changed: (key: string, inA: V | undefined, inB: V | undefined) => void): void {
    if (a === b) return;
    for (let i = 0; i < WIDTH; i++) {
      const la = a.root[i];
      const lb = b.root[i];
      if (la === lb) continue;
      for (let j = 0; j < WIDTH; j++) {
        const ba = la?.[j];
        const bb = lb?.[j];
        if (ba === bb) continue;
        if (ba) for (const [k, v] of ba) {
          const w = find(bb, k);
          if (!Object.is(v, w)) changed(k, v, w);
        }
        if (bb) for (const [k, w] of bb) if (!holds(ba, k)) changed(k, undefined, w);
      }
    }
  }

  *entries(): IterableIterator<[string, V]> {
    for (const leaf of this.root) if (leaf) for (const bucket of leaf) if (bucket) for (const [k, v] of bucket) yield [k, v];
  }

  keys(): string[] {
    return [...this.entries()].map(([k]) => k);
  }

  /** A plain object (tests, debugging): not for hot paths. */
  toObject(): Record<string, V> {
    const out = Object.create(null) as Record<string, V>;
    for (const [k, v] of this.entries()) out[k] = v;
    return out;
  }
}

const EMPTY = new (PMap as unknown as new (root: Root<never>, size: number) => PMap<never>)(EMPTY_ROOT, 0);
