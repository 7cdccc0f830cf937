import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyAll, emptyRoot, type RootState } from './root';
import { buildRows, OFFLINE_KEY, selectRosterRows, sortContacts, UNGROUPED_KEY, type RosterRow } from './roster-rows';
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

  it('sorts 10,000 contacts once and rebuilds rows in a few milliseconds', () => {
    const contacts = Array.from({ length: 10_000 }, (_, i) => contact(`user${i}@x`, { name: `User ${i}`, groups: [`Group ${i % 50}`] }));
    const s = applyAll(emptyRoot, [rosterChanged(contacts), presenceChanged(...contacts.slice(0, 3000).map((c) => [c.jid, 'r', res('r')] as [string, string, ReturnType<typeof res>]))]);
    const sorted = sortContacts(s.roster.contacts);
    expect(sorted).toHaveLength(10_000);
    expect(sortContacts(s.roster.contacts)).toBe(sorted);
    const t0 = performance.now();
    const r = buildRows(sorted, s.presence.online, '', true, {});
    const ms = performance.now() - t0;
    expect(r.rows.length).toBe(10_000 + 50 + 1);
    expect(r.online).toBe(3000);
    // Generous bound for a slow CI machine; typically ~2 ms.
    expect(ms).toBeLessThan(100);
  });
});
