// Issue 4 view options of the row model: sort by presence, empty groups, saved statuses.
import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyAll, emptyRoot, type RootState } from './root';
import { displayName, PLAIN_NAME, selectRosterRows, sortContacts, sortNames, type RosterRow } from './roster-rows';
import { applySettings, emptySettings, MAX_SAVED_STATUSES, persistedSettings, restoreSettings } from './settings';
import { contact, presenceChanged, res, rosterChanged } from './test-events';

const describeRows = (rows: readonly RosterRow[]) =>
  rows.map((r) => (r.kind === 'group' ? `[${r.groupKind === 'named' ? r.name : r.groupKind} ${r.online}/${r.total}]` : r.jid));

const base = (): RootState =>
  applyAll(emptyRoot, [
    rosterChanged([
      contact('anna@x', { name: 'Anna', groups: ['Team'] }),
      contact('bert@x', { name: 'Bert', groups: ['Team'] }),
      contact('carl@x', { name: 'Carl', groups: ['Team'] }),
      contact('dora@x', { name: 'Dora', groups: ['Team'] }),
      contact('emil@x', { name: 'Emil', groups: ['Away team'] }),
      contact('finn@x', { name: 'Finn' }),
    ]),
    presenceChanged(['anna@x', 'r', res('r', 'dnd')], ['bert@x', 'r', res('r', 'away')], ['carl@x', 'r', res('r', 'chat')], ['dora@x', 'r', res('r', 'available')]),
  ]);

describe('roster view options (issue 4)', () => {
  it('sorts by name by default, by presence when asked (free to chat, available, away, xa, dnd; then name)', () => {
    expect(describeRows(selectRosterRows(base()).rows).slice(0, 5)).toEqual(['[Team 4/4]', 'anna@x', 'bert@x', 'carl@x', 'dora@x']);
    const s = applyAll(base(), [action('local.sortChosen', { sortBy: 'presence' })]);
    expect(describeRows(selectRosterRows(s).rows).slice(0, 5)).toEqual(['[Team 4/4]', 'carl@x', 'dora@x', 'bert@x', 'anna@x']);
    // A show change re-sorts; a status-message change leaves the row model alone.
    const s2 = applyAll(s, [presenceChanged(['anna@x', 'r', res('r', 'chat')])]);
    expect(describeRows(selectRosterRows(s2).rows).slice(0, 3)).toEqual(['[Team 4/4]', 'anna@x', 'carl@x']);
    const before = selectRosterRows(s2);
    const s3 = applyAll(s2, [presenceChanged(['anna@x', 'r', res('r', 'chat', 0, 'lunch')])]);
    expect(selectRosterRows(s3)).toBe(before);
  });

  it('sorted by name, a show change does not rebuild the rows', () => {
    const s = base();
    const before = selectRosterRows(s);
    expect(selectRosterRows(applyAll(s, [presenceChanged(['anna@x', 'r', res('r', 'xa')])]))).toBe(before);
  });

  it('shows groups with nobody online as headers when asked', () => {
    expect(describeRows(selectRosterRows(base()).rows)).not.toContain('[Away team 0/1]');
    const s = applyAll(base(), [action('local.showEmptyGroupsToggled', { show: true }), action('local.showOfflineToggled', { show: false })]);
    expect(describeRows(selectRosterRows(s).rows)).toEqual(['[Away team 0/1]', '[Team 4/4]', 'anna@x', 'bert@x', 'carl@x', 'dora@x', '[ungrouped 0/1]']);
  });

  it('remembers sort, empty groups and saved statuses (newest first, no duplicates, at most 10)', () => {
    let s = applySettings(emptySettings, action('local.sortChosen', { sortBy: 'presence' }));
    s = applySettings(s, action('local.showEmptyGroupsToggled', { show: true }));
    s = applySettings(s, action('local.statusSaved', { show: 'away', status: 'Lunch' }));
    s = applySettings(s, action('local.statusSaved', { show: 'dnd', status: ' In a meeting ' }));
    s = applySettings(s, action('local.statusSaved', { show: 'away', status: 'Lunch' }));
    s = applySettings(s, action('local.statusSaved', { show: 'away', status: '   ' }));
    expect(s.savedStatuses).toEqual([
      { show: 'away', status: 'Lunch' },
      { show: 'dnd', status: 'In a meeting' },
    ]);
    s = applySettings(s, action('local.statusForgotten', { show: 'dnd', status: 'In a meeting' }));
    expect(s.savedStatuses).toEqual([{ show: 'away', status: 'Lunch' }]);
    for (let i = 0; i < 15; i++) s = applySettings(s, action('local.statusSaved', { show: 'available', status: `s${i}` }));
    expect(s.savedStatuses).toHaveLength(MAX_SAVED_STATUSES);
    const restored = restoreSettings(JSON.parse(JSON.stringify(persistedSettings(s))));
    expect(restored).toMatchObject({ sortBy: 'presence', showEmptyGroups: true, savedStatuses: s.savedStatuses });
    expect(restoreSettings({ sortBy: 'random', showEmptyGroups: 1, savedStatuses: [{ show: 'invisible', status: 'x' }, { show: 'away' }, 'x'] })).toMatchObject({
      sortBy: 'name',
      showEmptyGroups: false,
      savedStatuses: [],
    });
  });
});

describe('contact order (two-pass sort)', () => {
  it('is the collator order whatever the rough pre-sort gets wrong', () => {
    const names = ['Émile', 'emma', 'Zoë', 'zoe', 'Contact 10', 'Contact 2', 'contact 1', '张伟', '李娜', 'Ångström', 'a-b', 'a b', 'ab', '', 'Ω', 'Bob', 'bob', 'Bob 007', 'Bob 7'];
    const contacts: Record<string, ReturnType<typeof contact>> = {};
    names.forEach((n, i) => (contacts[`u${i}@x`] = contact(`u${i}@x`, n ? { name: n } : {})));
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const got = sortContacts(contacts).map((c) => c.jid);
    const expected = Object.values(contacts)
      .sort((a, b) => collator.compare(displayName(a), displayName(b)) || (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0))
      .map((c) => c.jid);
    expect(got).toEqual(expected);
  });
});

describe('plain names skip the collator pass', () => {
  it('orders them exactly as the collator would', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const alphabet = 'aAbBzZ 0123456789';
    const contacts: Record<string, ReturnType<typeof contact>> = {};
    for (let i = 0; i < 3000; i++) {
      const len = 1 + rand(9);
      let name = '';
      for (let k = 0; k < len; k++) name += alphabet[rand(alphabet.length)];
      contacts[`u${i}@x`] = contact(`u${i}@x`, name.trim() ? { name } : {});
    }
    contacts['z@x'] = contact('z@x', { name: 'Contact 007' });
    contacts['y@x'] = contact('y@x', { name: 'contact 7' });
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const expected = Object.values(contacts)
      .sort((a, b) => collator.compare(displayName(a), displayName(b)) || (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0))
      .map((c) => c.jid);
    expect(sortContacts(contacts).map((c) => c.jid)).toEqual(expected);
  });

  it('knows which names are plain', () => {
    expect(PLAIN_NAME.test('Contact 00042')).toBe(true);
    expect(PLAIN_NAME.test('Bob')).toBe(true);
    expect(PLAIN_NAME.test("O'Brien")).toBe(false);
    expect(PLAIN_NAME.test('Anne-Marie')).toBe(false);
    expect(PLAIN_NAME.test('Émile')).toBe(false);
    expect(PLAIN_NAME.test('张伟')).toBe(false);
    expect(PLAIN_NAME.test('n 1234567890123')).toBe(false);
    expect(PLAIN_NAME.test('bob@example.test')).toBe(false);
  });
});

describe('group names', () => {
  it('sortNames is the collator order, ties in code unit order', () => {
    const names = ['Work', 'work', 'Émile', 'emma', 'Group 10', 'Group 2', 'group 02', 'Zoë', 'Ω', ''];
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    expect(sortNames(names)).toEqual([...names].sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)));
    expect(sortNames(['b 10', 'B 9', 'a'])).toEqual(['a', 'B 9', 'b 10']);
  });
});
