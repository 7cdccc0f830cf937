// The order of the contacts in the list: by display name as Intl.Collator (base strength,
// numeric) orders them, ties by JID in code unit order.
//
// Issue 4 (10,000 contacts): sorting the whole roster in the task that receives it was the
// largest part of that task. For a large roster the first frame gets only what it shows: the
// contacts that come first (a selection, linear, not a sort), the online ones (few at sign-in),
// and everyone else unsorted behind them; the row model shows no row whose place depends on the
// unsorted part (RowModel's limit). The full sort runs after that frame has been painted, and
// `onContactsSorted` listeners are told, so the list then takes the final order — the same rows
// in the same places, plus the ones below.
//
// Sorting runs in code that has never run before (a fresh window), so what counts is how many
// JavaScript steps it takes per contact, not how the JIT would do later: the rough keys come from
// one lower-casing and one replace over all names joined (not one of each per name, ~20 ms), and the sort is one native string sort of composite keys (not 140,000 calls of
// a comparator).
import type { Contact } from '../../shared/domain';
import type { PMap } from './pmap';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export const displayName = (c: Pick<Contact, 'jid' | 'name'>): string => (c.name && c.name.trim() !== '' ? c.name : c.jid);

const ZEROS = '000000000000';
const DIGIT_RUNS = /\d+/g;
const padRun = (run: string): string => (run.length < ZEROS.length ? ZEROS.slice(run.length) + run : run);

/**
 * A cheap stand-in for the collator's order: lower case, digit runs padded so that
 * "Contact 2" < "Contact 10" as with numeric collation. For names that are not plain it is only
 * a first pass: those are then sorted with the real collator, which is what decides the order.
 */
function roughKey(name: string): string {
  const lower = name.toLowerCase();
  return /\d/.test(lower) ? lower.replace(DIGIT_RUNS, padRun) : lower;
}

/**
 * Names whose rough key orders exactly as the collator does (base strength, numeric): only ASCII
 * letters, digits and spaces, digit runs of at most 12. For those, case is the only difference
 * base strength ignores; a space sorts before digits before letters in both; numeric runs compare
 * by value in both (leading zeros ignored, as the padding makes them equal). One other name in
 * the roster and the collator pass runs over the whole list.
 */
export const PLAIN_NAME = /^(?:[A-Za-z ]|\d{1,12}(?!\d))*$/;

interface Keyed {
  name: string;
  /** Ties (same name for the collator) are broken by this, in code unit order. */
  tie: string;
}

const byCollator = (a: Keyed, b: Keyed) => collator.compare(a.name, b.name) || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0);

/** Group names (or any strings) in display order. */
export function sortNames(names: Iterable<string>): string[] {
  const list = [...names];
  return sortByKeys(list, list, list, roughKeys(list));
}

const SEP = '\u0000'; // in no name or JID (XML forbids it), and below every other code unit
// Built from a string: a control character in a regular expression literal reads as a mistake.
const NOT_PLAIN = new RegExp(`[^A-Za-z0-9 ${SEP}]|\\d{13}`);

interface RoughKeys {
  keys: string[];
  /** Every name is plain (PLAIN_NAME): the rough keys alone give the collator's order. */
  plain: boolean;
}

/** Rough keys of these names (roughKey's order) in one pass over all of them joined. */
function roughKeys(names: readonly string[]): RoughKeys {
  const joined = names.join(SEP);
  const plain = !NOT_PLAIN.test(joined);
  const lower = joined.toLowerCase();
  const keys = (/\d/.test(lower) ? lower.replace(DIGIT_RUNS, padRun) : lower).split(SEP);
  // A name holding the separator after all (not from XML): name by name.
  return keys.length === names.length ? { keys, plain } : { keys: names.map(roughKey), plain: names.every((n) => PLAIN_NAME.test(n)) };
}

/** `items` in the collator's order of their `names`, ties by `ties` (the rough keys of the names given). */
function sortByKeys<T>(items: readonly T[], names: readonly string[], ties: readonly string[], { keys, plain }: RoughKeys): T[] {
  const n = items.length;
  // Rough key, tie, then the position as two code units to find the item again (the tie decides
  // before the position wherever it differs).
  const composite = new Array<string>(n);
  for (let i = 0; i < n; i++) composite[i] = keys[i]! + SEP + ties[i]! + SEP + String.fromCharCode(i >>> 16, i & 0xffff);
  composite.sort();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const k = composite[i]!;
    order[i] = (k.charCodeAt(k.length - 2) << 16) | k.charCodeAt(k.length - 1);
  }
  if (!plain) {
    // Nearly in collator order already: TimSort needs about one collator call per item.
    const keyed = order.map((i) => ({ i, name: names[i]!, tie: ties[i]! }));
    keyed.sort(byCollator);
    for (let i = 0; i < n; i++) order[i] = keyed[i]!.i;
  }
  return order.map((i) => items[i]!);
}

/** What sorting a roster needs, computed once per contacts object. */
interface Prepared {
  list: Contact[];
  names: string[];
  jids: string[];
  rough: RoughKeys;
}

const prepared = new WeakMap<object, Prepared>();

function prepare(contacts: Readonly<Record<string, Contact>>): Prepared {
  let p = prepared.get(contacts);
  if (!p) {
    const list = Object.values(contacts);
    const n = list.length;
    const names = new Array<string>(n);
    const jids = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const c = list[i]!;
      names[i] = displayName(c);
      jids[i] = c.jid;
    }
    p = { list, names, jids, rough: roughKeys(names) };
    prepared.set(contacts, p);
  }
  return p;
}

const fullySorted = new WeakMap<object, readonly Contact[]>();

/** All contacts in display order (the same array for the same contacts object). */
export function sortContacts(contacts: Readonly<Record<string, Contact>>): readonly Contact[] {
  let sorted = fullySorted.get(contacts);
  if (!sorted) {
    const p = prepare(contacts);
    sorted = sortByKeys(p.list, p.names, p.jids, p.rough);
    fullySorted.set(contacts, sorted);
    prepared.delete(contacts);
  }
  return sorted;
}

/** The contacts in the order the row model uses, and how far that order is final. */
export interface ContactOrder {
  sorted: readonly Contact[];
  /**
   * `sorted[0 … final-1]` are the first contacts in display order and every online contact is
   * in display order among them and the others before it; what follows is in no particular
   * order. `final === sorted.length` once fully sorted.
   */
  final: number;
}

/** Tuning (tests lower the threshold; the schedule runs a task after the next frame). */
export const rosterOrderTuning = {
  /** Rosters larger than this get a provisional order for their first frame. */
  deferAbove: 2000,
  /** How many contacts the provisional order puts first (more than a screen shows). */
  firstContacts: 100,
  schedule(task: () => void): void {
    // After the frame that shows the provisional rows: a task queued from requestAnimationFrame.
    // A hidden window gets no frames: the timer alone then runs it.
    let done = false;
    const once = () => {
      if (!done) task();
      done = true;
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0));
    setTimeout(once, 250);
  },
};

const listeners = new Set<() => void>();

/** Called when a deferred full sort has finished (the row model then changes). */
export function onContactsSorted(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const scheduled = new WeakSet<object>();
let provisional: { contacts: object; online: PMap<true>; order: ContactOrder } | null = null;
const finalOrders = new WeakMap<readonly Contact[], ContactOrder>();

const finalOrder = (sorted: readonly Contact[]): ContactOrder => {
  let o = finalOrders.get(sorted);
  if (!o) finalOrders.set(sorted, (o = { sorted, final: sorted.length }));
  return o;
};

/**
 * The contacts in display order — or, for a large roster not sorted yet, the provisional order
 * described above, with the full sort scheduled. The same object while nothing it depends on
 * changed.
 */
export function contactOrder(contacts: Readonly<Record<string, Contact>>, online: PMap<true>): ContactOrder {
  const done = fullySorted.get(contacts);
  if (done) return finalOrder(done);
  if (provisional?.contacts === contacts && provisional.online === online) return provisional.order;
  const p = prepare(contacts);
  const n = p.list.length;
  // Small rosters, and names the collator must order (the selection below uses the rough keys).
  if (n <= rosterOrderTuning.deferAbove || !p.rough.plain) return finalOrder(sortContacts(contacts));
  const order = firstThenRest(p, online, rosterOrderTuning.firstContacts);
  provisional = { contacts, online, order };
  if (!scheduled.has(contacts)) {
    scheduled.add(contacts);
    rosterOrderTuning.schedule(() => {
      sortContacts(contacts);
      if (provisional?.contacts === contacts) provisional = null;
      for (const l of [...listeners]) l();
    });
  }
  return order;
}

/** The first `k` contacts in order, then the online ones not among them in order, then the rest. */
function firstThenRest({ list, jids, rough: { keys } }: Prepared, online: PMap<true>, k: number): ContactOrder {
  const n = list.length;
  const before = (i: number, j: number) => (keys[i]! !== keys[j]! ? keys[i]! < keys[j]! : jids[i]! < jids[j]!);
  // The k first by a linear scan keeping them sorted: most contacts are turned away by one
  // string comparison with the last of them.
  const top: number[] = [];
  let worst = '';
  for (let i = 0; i < n; i++) {
    if (top.length === k && keys[i]! > worst) continue;
    if (top.length === k && !before(i, top[k - 1]!)) continue;
    let at = top.length;
    while (at > 0 && before(i, top[at - 1]!)) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
    worst = keys[top[top.length - 1]!]!;
  }
  const taken = new Uint8Array(n);
  for (const i of top) taken[i] = 1;
  const rest: number[] = [];
  if (online.size > 0) {
    for (let i = 0; i < n; i++) if (!taken[i] && online.has(jids[i]!)) rest.push(i);
    rest.sort((i, j) => (before(i, j) ? -1 : 1));
    for (const i of rest) taken[i] = 1;
  }
  const sorted: Contact[] = [];
  for (const i of top) sorted.push(list[i]!);
  for (const i of rest) sorted.push(list[i]!);
  for (let i = 0; i < n; i++) if (!taken[i]) sorted.push(list[i]!);
  return { sorted, final: top.length };
}
