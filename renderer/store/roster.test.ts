import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyRoster, emptyRoster, groupNamesOf } from './roster';
import { contact, rosterChanged, snapshot } from './test-events';

describe('roster slice', () => {
  it('upserts, removes and lists the groups sorted', () => {
    let s = applyRoster(emptyRoster, rosterChanged([contact('b@x', { groups: ['Work'] }), contact('a@x', { groups: ['friends', 'Work'] }), contact('c@x')]));
    expect(Object.keys(s.contacts).sort()).toEqual(['a@x', 'b@x', 'c@x']);
    expect(groupNamesOf(s.contacts)).toEqual(['friends', 'Work']);
    s = applyRoster(s, rosterChanged([contact('a@x', { name: 'Alice', groups: [] })], ['b@x']));
    expect(s.contacts['a@x']?.name).toBe('Alice');
    expect(s.contacts['b@x']).toBeUndefined();
    expect(groupNamesOf(s.contacts)).toEqual([]);
  });

  it('replace drops contacts that are not in the push', () => {
    let s = applyRoster(emptyRoster, rosterChanged([contact('a@x'), contact('b@x')]));
    s = applyRoster(s, rosterChanged([contact('c@x')], [], { replace: true, ver: 'v2' }));
    expect(Object.keys(s.contacts)).toEqual(['c@x']);
    expect(s.ver).toBe('v2');
  });

  it('keeps untouched contacts identical (rows do not re-render)', () => {
    const s1 = applyRoster(emptyRoster, rosterChanged([contact('a@x', { groups: ['G'] }), contact('b@x', { groups: ['G'] })]));
    const s2 = applyRoster(s1, rosterChanged([contact('b@x', { groups: ['G'], name: 'Bob' })]));
    expect(s2.contacts['a@x']).toBe(s1.contacts['a@x']);
    expect(groupNamesOf(s2.contacts)).toEqual(groupNamesOf(s1.contacts));
    // Derived once per contacts object.
    expect(groupNamesOf(s2.contacts)).toBe(groupNamesOf(s2.contacts));
    expect(s2.contacts).not.toBe(s1.contacts);
  });

  it('treats a JID like __proto__ as an ordinary key', () => {
    const s = applyRoster(emptyRoster, rosterChanged([contact('__proto__', { name: 'evil' })]));
    expect(s.contacts['__proto__']?.name).toBe('evil');
    expect(Object.getPrototypeOf(s.contacts)).toBeNull();
  });

  it('hydrates from a snapshot and empties on sign-out', () => {
    const s = applyRoster(emptyRoster, action('local.hydrated', { snapshot: snapshot({ roster: [contact('a@x', { groups: ['G'] })] }) }));
    expect(s.contacts['a@x']).toBeDefined();
    expect(groupNamesOf(s.contacts)).toEqual(['G']);
    expect(applyRoster(s, action('local.loggedOut', {}))).toBe(emptyRoster);
  });
});
