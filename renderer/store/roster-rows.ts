// The roster as a flat list of rows (group headers and contacts) for a virtualized tree.
// Computed in memoized stages so a 10,000-contact roster stays cheap:
//  1. sort contacts by display name (roster-order.ts: for a large roster, only the first ones
//     before its first frame, the rest right after) and bucket them into their groups — only
//     when the roster itself changes;
//  2. pick who is shown in each group — when the set of *online* contacts, the filter, the
//     offline toggle, the sort or a group's collapsed state changes. A mere show/status change
//     touches none of these, so it re-renders one row (the row selects its own presence), not the list.
// Stage 2 makes no row objects: the model holds its ~200 groups with their members as indexes
// into the sorted list, and makes a row when asked for it (issue 4: 10,000 row objects and keys
// per regrouping, and their garbage, were a large part of its cost; the virtualized tree asks for
// the ~20 rows it shows). Who is online is carried over between regroupings (onlineFlags).
import type { Contact, Show } from '../../shared/domain';
import type { RosterSort } from './actions';
import { memoizeLast } from './memo';
import { PMap } from './pmap';
import { SHOW_RANK } from './presence';
import type { RootState } from './root';
import { contactOrder, sortNames } from './roster-order';
export { onContactsSorted, rosterOrderTuning } from './roster-order';

/** Group keys: named groups are prefixed so a group literally called "Offline" stays distinct. */
export const UNGROUPED_KEY = 'ungrouped';
export const OFFLINE_KEY = 'offline';
export const groupKey = (name: string): string => `g:${name}`;

export type GroupKind = 'named' | 'ungrouped' | 'offline';

export interface GroupRow {
  kind: 'group';
  key: string;
  groupKind: GroupKind;
  /** The group's own name for 'named' groups; the UI translates the other two. */
  name: string;
  online: number;
  total: number;
  collapsed: boolean;
  /** 1-based position among the groups (aria-posinset) and their number (aria-setsize). */
  posinset: number;
  setsize: number;
}

export interface ContactRow {
  kind: 'contact';
  /** Unique per row: a contact in two groups has two rows. */
  key: string;
  jid: string;
  groupKey: string;
  posinset: number;
  setsize: number;
}

export type RosterRow = GroupRow | ContactRow;

export interface RosterRows {
  /** Number of rows (group headers and contacts). */
  readonly count: number;
  /**
   * The row at an index (0 ≤ index < count), made on demand; undefined outside, and for rows of a
   * large roster's Offline group below the first screen until its full sort is done (roster-order.ts).
   */
  at(index: number): RosterRow | undefined;
  /** Whether the row at an index is a group header, without making the row. */
  isGroup(index: number): boolean;
  /** Index of the row with this key, if shown. */
  indexOf(key: string): number | undefined;
  /** Index of the first contact row, if any. */
  firstContact(): number | undefined;
  /** Contacts in the roster. */
  readonly contacts: number;
  /** Indexes of the group header rows, ascending (row heights and offsets for the tree). */
  readonly headers: readonly number[];
  /** Every row, made on first use: for tests and small lists, not for the 10,000-contact path. */
  readonly rows: readonly RosterRow[];
  /** Contacts matching the filter (each counted once), and how many of them are online. */
  readonly matching: number;
  readonly online: number;
}

export { displayName, PLAIN_NAME, sortContacts, sortNames } from './roster-order';

/** Lower-cased name + JID per sorted contact, for the filter: made on first use, not at sign-in. */
const searchTexts = new WeakMap<readonly Contact[], string[]>();
function searchTextsOf(sorted: readonly Contact[]): string[] {
  let texts = searchTexts.get(sorted);
  if (!texts) {
    texts = sorted.map((c) => `${c.name ?? ''}\n${c.jid}`.toLocaleLowerCase());
    searchTexts.set(sorted, texts);
  }
  return texts;
}

/** Stage 1: the sorted contacts bucketed into their groups, members as indexes into `sorted`. */
export interface RosterIndex {
  sorted: readonly Contact[];
  /** Named groups in display order. */
  named: readonly { name: string; members: readonly number[] }[];
  ungrouped: readonly number[];
}

export const indexRoster = memoizeLast((sorted: readonly Contact[]): RosterIndex => {
  const byName = new Map<string, number[]>();
  const ungrouped: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const { groups } = sorted[i]!;
    if (groups.length === 0) ungrouped.push(i);
    for (let j = 0; j < groups.length; j++) {
      const members = byName.get(groups[j]!);
      if (members) members.push(i);
      else byName.set(groups[j]!, [i]);
    }
  }
  return { sorted, named: sortNames(byName.keys()).map((name) => ({ name, members: byName.get(name)! })), ungrouped };
});

/**
 * Who is online, as a flag per sorted contact, carried from one regrouping to the next: only the
 * contacts whose entry in `online` changed since the last call are looked at (PMap.diff walks
 * what the two maps do not share). Under a presence flood that is a few hundred contacts per
 * regrouping instead of 10,000 hash lookups. A cache of a pure function: the flags are the same
 * whatever `online` the previous call had.
 */
let flagsCache: { index: RosterIndex; online: PMap<true>; flags: Uint8Array; position?: Map<string, number> } | null = null;

function onlineFlags(index: RosterIndex, online: PMap<true>): Uint8Array {
  const c = flagsCache;
  if (c?.index === index) {
    if (c.online !== online) {
      const position = (c.position ??= new Map(index.sorted.map((contact, i) => [contact.jid, i])));
      PMap.diff(c.online, online, (jid, _was, is) => {
        const i = position.get(jid);
        if (i !== undefined) c.flags[i] = is ? 1 : 0;
      });
      c.online = online;
    }
    return c.flags;
  }
  const flags = new Uint8Array(index.sorted.length);
  if (online.size > 0) index.sorted.forEach((c, i) => (flags[i] = online.has(c.jid) ? 1 : 0));
  flagsCache = { index, online, flags };
  return flags;
}

// Stage 2 marks each contact once (a contact in two groups is looked at once).
const HIDDEN = 0; // does not match the filter
const OFFLINE = 1;
const ONLINE = 2;

interface Block {
  row: GroupRow;
  /** Index of the header row. */
  start: number;
  /** Members shown under the header (indexes into the sorted contacts); empty when collapsed. */
  shown: readonly number[];
  /** All members the header stands for (for aria-setsize). */
  setsize: number;
}

class RowModel implements RosterRows {
  readonly count: number;
  private all: RosterRow[] | undefined;
  private last = 0;
  private byKey: Map<string, Block> | undefined;
  private headerList: number[] | undefined;

  constructor(
    private readonly sorted: readonly Contact[],
    private readonly blocks: readonly Block[],
    readonly matching: number,
    readonly online: number,
    /** Rows from here on are not known yet (a provisional order); `count` is. */
    private readonly limit: number,
  ) {
    const last = blocks[blocks.length - 1];
    this.count = last ? last.start + 1 + last.shown.length : 0;
  }

  /** The block holding row `index`. */
  private blockAt(index: number): Block | undefined {
    if (!(index >= 0 && index < this.count)) return undefined;
    // The tree asks for the rows it shows in order: the last block or the next one usually holds
    // the row; else a binary search over the ~200 groups.
    const { blocks } = this;
    let lo = this.last;
    if (!(blocks[lo]!.start <= index && (lo + 1 === blocks.length || index < blocks[lo + 1]!.start))) {
      if (lo + 1 < blocks.length && blocks[lo + 1]!.start <= index && (lo + 2 === blocks.length || index < blocks[lo + 2]!.start)) lo++;
      else {
        lo = 0;
        let hi = blocks.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (blocks[mid]!.start <= index) lo = mid;
          else hi = mid - 1;
        }
      }
    }
    this.last = lo;
    return blocks[lo];
  }

  get contacts(): number {
    return this.sorted.length;
  }

  at(index: number): RosterRow | undefined {
    if (index >= this.limit) return undefined;
    const b = this.blockAt(index);
    if (!b) return undefined;
    if (index === b.start) return b.row;
    const pos = index - b.start - 1;
    const jid = this.sorted[b.shown[pos]!]!.jid;
    return { kind: 'contact', key: `${b.row.key}\u0000${jid}`, jid, groupKey: b.row.key, posinset: pos + 1, setsize: b.setsize };
  }

  isGroup(index: number): boolean {
    return this.blockAt(index)?.start === index;
  }

  indexOf(key: string): number | undefined {
    this.byKey ??= new Map(this.blocks.map((b) => [b.row.key, b]));
    // Contact keys are "<group key>\0<jid>" (NUL appears in neither: XML forbids it).
    const sep = key.indexOf('\u0000');
    const b = this.byKey.get(sep < 0 ? key : key.slice(0, sep));
    if (!b) return undefined;
    if (sep < 0) return b.start;
    const jid = key.slice(sep + 1);
    const pos = b.shown.findIndex((m) => this.sorted[m]!.jid === jid);
    return pos < 0 ? undefined : b.start + 1 + pos;
  }

  firstContact(): number | undefined {
    const b = this.blocks.find((x) => x.shown.length > 0);
    return b ? b.start + 1 : undefined;
  }

  get headers(): readonly number[] {
    return (this.headerList ??= this.blocks.map((b) => b.start));
  }

  get rows(): readonly RosterRow[] {
    return (this.all ??= Array.from({ length: this.count }, (_, i) => this.at(i)!));
  }
}

export function buildRows(
  index: RosterIndex,
  online: PMap<true>,
  filter: string,
  showOffline: boolean,
  collapsed: Readonly<Record<string, true>>,
  // Issue 4: order inside a group ('presence': most available first, then by name), groups whose
  // members are all offline shown as a header, and the shows sorting needs (only then an input).
  sortBy: RosterSort = 'name',
  showEmptyGroups = false,
  shows: PMap<Show> = NO_SHOWS,
  // How many of the sorted contacts are in their final order (roster-order.ts): beyond them, the
  // Offline group's members are not, and the model makes no row for them yet.
  final = index.sorted.length,
): RosterRows {
  const { sorted } = index;
  const needle = filter.trim().toLocaleLowerCase();
  const state = new Uint8Array(sorted.length);
  const byShow = sortBy === 'presence';
  const rank = byShow ? new Uint8Array(sorted.length) : null;
  const offline: number[] = [];
  let matching = 0;
  let onlineCount = 0;
  const isOnline = onlineFlags(index, online);
  const search = needle === '' ? null : searchTextsOf(sorted);
  for (let i = 0; i < sorted.length; i++) {
    if (search && !search[i]!.includes(needle)) continue;
    matching++;
    if (isOnline[i]) {
      state[i] = ONLINE;
      onlineCount++;
      if (rank) rank[i] = showRank(shows, sorted[i]!.jid);
    } else {
      state[i] = OFFLINE;
      offline.push(i);
    }
  }

  // Members are in name order; a stable sort by show keeps it within each show.
  const order = (members: number[]) => (rank ? members.sort((a, b) => rank[b]! - rank[a]!) : members);
  const groups: { key: string; groupKind: GroupKind; name: string; members: number[]; total: number }[] = [];
  const pick = (key: string, groupKind: GroupKind, name: string, all: readonly number[]) => {
    const members: number[] = [];
    let total = 0;
    for (const m of all) {
      const st = state[m];
      if (st === HIDDEN) continue;
      total++;
      if (st === ONLINE) members.push(m);
    }
    // Groups with nobody online are left out (unless asked for): their members are all under "Offline".
    if (members.length > 0 || (showEmptyGroups && total > 0)) groups.push({ key, groupKind, name, members: order(members), total });
  };
  for (const g of index.named) pick(groupKey(g.name), 'named', g.name, g.members);
  pick(UNGROUPED_KEY, 'ungrouped', '', index.ungrouped);
  if (showOffline && offline.length > 0) groups.push({ key: OFFLINE_KEY, groupKind: 'offline', name: '', members: offline, total: offline.length });

  const blocks: Block[] = [];
  let start = 0;
  groups.forEach((g, gi) => {
    const isCollapsed = collapsed[g.key] === true;
    const onlineInGroup = g.groupKind === 'offline' ? 0 : g.members.length;
    const row: GroupRow = { kind: 'group', key: g.key, groupKind: g.groupKind, name: g.name, online: onlineInGroup, total: g.total, collapsed: isCollapsed, posinset: gi + 1, setsize: groups.length };
    const shown = isCollapsed ? [] : g.members;
    blocks.push({ row, start, shown, setsize: g.members.length });
    start += 1 + shown.length;
  });
  let limit = start;
  const last = blocks[blocks.length - 1];
  if (final < sorted.length && last?.row.groupKind === 'offline') {
    let ready = 0;
    while (ready < last.shown.length && last.shown[ready]! < final) ready++;
    limit = last.start + 1 + ready;
  }
  return new RowModel(sorted, blocks, matching, onlineCount, limit);
}

const NO_SHOWS: PMap<Show> = PMap.empty();
const showRank = (shows: PMap<Show>, jid: string): number => {
  const show = shows.get(jid);
  return show ? SHOW_RANK[show] : 0;
};

const buildRowsMemo = memoizeLast(buildRows);

/** The row model for the current state; the same object until one of its inputs changes. */
export function selectRosterRows(s: RootState): RosterRows {
  const { filter, showOffline, collapsed, sortBy, showEmptyGroups } = s.settings;
  // Shows are an input only when sorting by them: sorted by name, a show change costs one row.
  const { sorted, final } = contactOrder(s.roster.contacts, s.presence.online);
  return buildRowsMemo(indexRoster(sorted), s.presence.online, filter, showOffline, collapsed, sortBy, showEmptyGroups, sortBy === 'presence' ? s.presence.shows : NO_SHOWS, final);
}
