import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyAll, emptyRoot, type RootState } from './root';
import { buildRows, indexRoster, OFFLINE_KEY, onContactsSorted, rosterOrderTuning, selectRosterRows, sortContacts, UNGROUPED_KEY, type RosterRow } from './roster-rows';
import { contact, presenceChanged, res, rosterChanged } from './test-events';

const describeRows = (rows: readonly RosterRow[]) =>
  rows.map((r) => (r.kind === 'group' ? `[${r.groupKind === 'named' ? r.name : r.groupKind} ${r.online}/${r.total}${r.collapsed ? ' collapsed' : ''}]` : r.jid));

const base = (): RootState =>
  applyAll(emptyRoot, [
    rosterChanged([
      contact('carol@x', { name: 'Carol', groups: ['Work'] }),
      contact('bob@x', { name: 'bob', groups: ['Work', 'Friends'] }),
      contact('alice@x', { name: 'Alice', groups: ['Friends'] }),
      contact('dave@x'),
      contact('eve@x'),
    ]),
    presenceChanged(['bob@x', 'r', res('r')], ['alice@x', 'r', res('r', 'away')], ['dave@x', 'r', res('r')]),
  ]);

describe('roster row model', () => {
  it('groups online contacts by group (sorted, case-insensitive), ungrouped under Contacts, the rest under Offline', () => {
    expect(describeRows(selectRosterRows(base()).rows)).toEqual([
      '[Friends 2/2]',
      'alice@x',
      'bob@x',
      '[Work 1/2]',
      'bob@x',
      '[ungrouped 1/2]',
      'dave@x',
      '[offline 0/2]',
      'carol@x',
      'eve@x',
    ]);
  });

  it('hides the Offline group when offline contacts are not shown, and groups with nobody online', () => {
    const s = applyAll(base(), [action('local.showOfflineToggled', { show: false }), presenceChanged(['bob@x', 'r', null])]);
    expect(describeRows(selectRosterRows(s).rows)).toEqual(['[Friends 1/2]', 'alice@x', '[ungrouped 1/2]', 'dave@x']);
  });

  it('collapsed groups keep their header only', () => {
    const s = applyAll(base(), [action('local.groupToggled', { group: 'g:Friends', collapsed: true }), action('local.groupToggled', { group: OFFLINE_KEY, collapsed: true })]);
    expect(describeRows(selectRosterRows(s).rows)).toEqual(['[Friends 2/2 collapsed]', '[Work 1/2]', 'bob@x', '[ungrouped 1/2]', 'dave@x', '[offline 0/2 collapsed]']);
  });

  it('filters by name or JID, case-insensitively, and counts matches once', () => {
    const s = applyAll(base(), [action('local.filterChanged', { filter: '  BO ' })]);
    const r = selectRosterRows(s);
    expect(describeRows(r.rows)).toEqual(['[Friends 1/1]', 'bob@x', '[Work 1/1]', 'bob@x']);
    expect(r.matching).toBe(1);
    expect(describeRows(selectRosterRows(applyAll(base(), [action('local.filterChanged', { filter: 'eve@' })])).rows)).toEqual(['[offline 0/1]', 'eve@x']);
  });

  it('gives rows unique keys and ARIA positions', () => {
    const rows = selectRosterRows(base()).rows;
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    const groups = rows.filter((r) => r.kind === 'group');
    expect(groups.map((g) => [g.posinset, g.setsize])).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    const friends = rows.filter((r) => r.kind === 'contact' && r.groupKey === 'g:Friends');
    expect(friends.map((c) => [c.posinset, c.setsize])).toEqual([[1, 2], [2, 2]]);
    expect(rows.find((r) => r.kind === 'group' && r.key === UNGROUPED_KEY)).toBeDefined();
  });

  it('keeps a group literally named "Offline" apart from the offline bucket', () => {
    const s = applyAll(emptyRoot, [rosterChanged([contact('a@x', { groups: ['offline'] }), contact('b@x')]), presenceChanged(['a@x', 'r', res('r')])]);
    expect(describeRows(selectRosterRows(s).rows)).toEqual(['[offline 1/1]', 'a@x', '[offline 0/1]', 'b@x']);
    const keys = selectRosterRows(s).rows.filter((r) => r.kind === 'group').map((r) => r.key);
    expect(keys).toEqual(['g:offline', OFFLINE_KEY]);
  });

  it('returns the same row model for a show/status change, a new one when someone comes online', () => {
    const s1 = base();
    const r1 = selectRosterRows(s1);
    const s2 = applyAll(s1, [presenceChanged(['bob@x', 'r', res('r', 'dnd', 0, 'busy')])]);
    expect(selectRosterRows(s2)).toBe(r1);
    const s3 = applyAll(s2, [presenceChanged(['eve@x', 'r', res('r')])]);
    expect(selectRosterRows(s3)).not.toBe(r1);
  });

  it('sorts 10,000 contacts once and rebuilds rows from the sorted list', () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => contact(`user${i}@x`, { name: `User ${i}`, groups: [`Group ${i % 50}`] }));
    const s = applyAll(emptyRoot, [rosterChanged(contacts), presenceChanged(...contacts.slice(0, 3000).map((c) => [c.jid, 'r', res('r')] as [string, string, ReturnType<typeof res>]))]);
    const sorted = sortContacts(s.roster.contacts);
    expect(sorted).toHaveLength(10_000);
    expect(sortContacts(s.roster.contacts)).toBe(sorted);
    // Its time is measured in bench/roster-scale, not asserted here.
    const r = buildRows(indexRoster(sorted), s.presence.online, '', true, {});
    expect(r.count).toBe(10_000 + 50 + 1);
    expect(r.online).toBe(3000);
  });

  it('answers by index what the full list holds (rows are made on demand)', () => {
    for (const s of [
      base(),
      applyAll(base(), [action('local.groupToggled', { group: 'g:Friends', collapsed: true })]),
      applyAll(base(), [action('local.showOfflineToggled', { show: false }), action('local.showEmptyGroupsToggled', { show: true })]),
      applyAll(base(), [action('local.filterChanged', { filter: 'xyz' })]),
    ]) {
      const r = selectRosterRows(s);
      const rows = r.rows;
      expect(r.count).toBe(rows.length);
      rows.forEach((row, i) => {
        expect(r.at(i)).toEqual(row);
        expect(r.isGroup(i)).toBe(row.kind === 'group');
        expect(r.indexOf(row.key)).toBe(i);
      });
      expect(r.at(-1)).toBeUndefined();
      expect(r.at(rows.length)).toBeUndefined();
      expect(r.isGroup(rows.length)).toBe(false);
      const first = rows.findIndex((x) => x.kind === 'contact');
      expect(r.firstContact()).toBe(first >= 0 ? first : undefined);
    }
    const r = selectRosterRows(applyAll(base(), [action('local.groupToggled', { group: 'g:Friends', collapsed: true })]));
    expect(r.indexOf('g:Friends\u0000alice@x')).toBeUndefined();
    expect(r.indexOf('g:Nope')).toBeUndefined();
    expect(r.indexOf('g:Work\u0000nobody@x')).toBeUndefined();
  });

  it('finds rows by index in a 10,000-contact model', () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => contact(`user${i}@x`, { name: `User ${i}`, groups: [`Group ${i % 200}`] }));
    const s = applyAll(emptyRoot, [rosterChanged(contacts), presenceChanged(...contacts.filter((_, i) => i % 7 === 0).map((c) => [c.jid, 'r', res('r')] as [string, string, ReturnType<typeof res>]))]);
    sortContacts(s.roster.contacts); // the full order at once (the deferred path is tested below)
    const r = selectRosterRows(s);
    const rows = r.rows;
    for (let i = 0; i < rows.length; i += 97) {
      expect(r.at(i)).toEqual(rows[i]);
      expect(r.indexOf(rows[i]!.key)).toBe(i);
    }
    expect(r.at(rows.length - 1)).toEqual(rows[rows.length - 1]);
  });

  it('carries who is online from one regrouping to the next, forwards and back', () => {
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const contacts = Array.from({ length: 500 }, (_, i) => contact(`c${i}@x`, { name: `C ${i}`, groups: i % 10 === 0 ? [] : [`G${i % 7}`] }));
    let s = applyAll(emptyRoot, [rosterChanged(contacts)]);
    const index = indexRoster(sortContacts(s.roster.contacts));
    const check = (online: typeof s.presence.online) => {
      const r = buildRows(index, online, '', true, {});
      const shown = r.rows.filter((x) => x.kind === 'contact' && x.groupKey !== OFFLINE_KEY).map((x) => (x.kind === 'contact' ? x.jid : ''));
      const off = r.rows.filter((x) => x.kind === 'contact' && x.groupKey === OFFLINE_KEY).map((x) => (x.kind === 'contact' ? x.jid : ''));
      const expected = contacts.map((c) => c.jid).filter((j) => online.has(j));
      expect(new Set(shown)).toEqual(new Set(expected));
      expect(off.length + expected.length).toBe(contacts.length);
      expect(r.online).toBe(expected.length);
    };
    const history = [s.presence.online];
    for (let step = 0; step < 40; step++) {
      const updates = Array.from({ length: 1 + rand(60) }, () => [`c${rand(500)}@x`, 'r', rand(2) ? res('r') : null] as [string, string, ReturnType<typeof res> | null]);
      s = applyAll(s, [presenceChanged(...updates)]);
      history.push(s.presence.online);
      check(s.presence.online);
    }
    for (const online of [history[10]!, history[3]!, history[0]!, history[40]!]) check(online);
  });
});

describe('a large roster before its full sort (roster-order.ts)', () => {
  const big = (n: number) => {
    // Shuffled, with names that differ in case and digit-run length, two sharing a name.
    let seed = 11;
    const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
    const list = Array.from({ length: n }, (_, i) => contact(`u${i}@x`, { name: i === 5 ? 'user 3' : `${i % 2 ? 'User' : 'user'} ${i}`, groups: i % 9 === 0 ? [] : [`Group ${i % 200}`] }));
    for (let i = n - 1; i > 0; i--) {
      const j = rand(i + 1);
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    return list;
  };

  const withDeferredSort = (fn: (runScheduled: () => void) => void) => {
    const tasks: (() => void)[] = [];
    const saved = rosterOrderTuning.schedule;
    rosterOrderTuning.schedule = (task) => void tasks.push(task);
    try {
      fn(() => tasks.splice(0).forEach((t) => t()));
    } finally {
      rosterOrderTuning.schedule = saved;
    }
  };

  for (const online of [0, 7]) {
    it(`shows the first rows in their final places, the rest once sorted (${online ? 'some' : 'nobody'} online)`, () =>
      withDeferredSort((runScheduled) => {
        const contacts = big(5000);
        let s = applyAll(emptyRoot, [rosterChanged(contacts)]);
        if (online) s = applyAll(s, [presenceChanged(...contacts.filter((_, i) => i % online === 0).map((c) => [c.jid, 'r', res('r')] as [string, string, ReturnType<typeof res>]))]);
        let told = 0;
        const off = onContactsSorted(() => told++);
        const first = selectRosterRows(s);
        expect(selectRosterRows(s)).toBe(first);
        expect(told).toBe(0);
        runScheduled();
        off();
        expect(told).toBe(1);
        const full = selectRosterRows(s);
        expect(full).not.toBe(first);
        expect(first.count).toBe(full.count);
        expect(first.contacts).toBe(5000);
        expect([first.matching, first.online, first.headers]).toEqual([full.matching, full.online, full.headers]);
        let known = 0;
        while (first.at(known) !== undefined) known++;
        // Every online group and at least the first 100 offline contacts, in their final places.
        const offlineHeader = full.indexOf(OFFLINE_KEY)!;
        expect(known).toBeGreaterThanOrEqual(offlineHeader + 1 + 100 - (online ? Math.ceil(5000 / online) : 0));
        expect(known).toBeLessThan(full.count);
        for (let i = 0; i < known; i++) expect(first.at(i)).toEqual(full.at(i));
        for (let i = known; i < full.count; i += 101) expect(first.at(i)).toBeUndefined();
        // The full order is the one sortContacts gives.
        const order = full.rows.filter((r) => r.kind === 'contact' && r.groupKey === OFFLINE_KEY).map((r) => (r.kind === 'contact' ? r.jid : ''));
        expect(order).toEqual(sortContacts(s.roster.contacts).filter((c) => !s.presence.online.has(c.jid)).map((c) => c.jid));
      }));
  }

  it('sorts a roster of names the collator must order at once', () =>
    withDeferredSort(() => {
      const contacts = big(3000).map((c, i) => (i === 0 ? { ...c, name: 'Émile' } : c));
      const r = selectRosterRows(applyAll(emptyRoot, [rosterChanged(contacts)]));
      expect(r.at(r.count - 1)).toBeDefined();
    }));
});
