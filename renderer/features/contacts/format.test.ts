import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/domain';
import { groupsAfter, parseGroups } from './contact-actions';
import { clientText, idleAmount, idleSeconds } from './format';

describe('contact card text', () => {
  it('says idle time in the largest whole unit, nothing under a minute', () => {
    expect(idleAmount(undefined)).toBeNull();
    expect(idleAmount(59)).toBeNull();
    expect(idleAmount(60)).toEqual({ unit: 'minutes', count: 1 });
    expect(idleAmount(3599)).toEqual({ unit: 'minutes', count: 59 });
    expect(idleAmount(7200)).toEqual({ unit: 'hours', count: 2 });
    expect(idleAmount(3 * 86_400 + 5)).toEqual({ unit: 'days', count: 3 });
  });

  it('prefers XEP-0319 idle since over the XEP-0012 answer, and ignores a date that does not parse', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(idleSeconds({ idleSince: '2026-01-01T11:50:00Z' }, 30, now)).toBe(600);
    expect(idleSeconds({ idleSince: 'soon' }, 30, now)).toBe(30);
    expect(idleSeconds({}, undefined, now)).toBeUndefined();
    // A clock ahead of ours is not negative idle time.
    expect(idleSeconds({ idleSince: '2026-01-01T12:05:00Z' }, undefined, now)).toBe(0);
  });

  it('names a client with version and OS when known', () => {
    expect(clientText({ name: 'Gajim', version: '1.8', os: 'Linux' })).toBe('Gajim 1.8 (Linux)');
    expect(clientText({ name: 'Flint', version: '' })).toBe('Flint');
    expect(clientText(undefined)).toBeUndefined();
  });
});

describe('group edits', () => {
  const c: Contact = { jid: 'bob@x', groups: ['Work', 'Friends'], subscription: 'both' };
  it('parses several comma-separated groups, without blanks or repeats', () => {
    expect(parseGroups(' Work, Friends ,, Work ')).toEqual(['Work', 'Friends']);
    expect(parseGroups('   ')).toEqual([]);
  });
  it('moves out of one group, or out of all; copies keep the rest', () => {
    expect(groupsAfter(c, 'move', 'Work', ['Team'])).toEqual(['Friends', 'Team']);
    expect(groupsAfter(c, 'move', null, ['Team'])).toEqual(['Team']);
    expect(groupsAfter(c, 'move', 'Work', [])).toEqual(['Friends']);
    expect(groupsAfter(c, 'copy', 'Work', ['Team', 'Work'])).toEqual(['Work', 'Friends', 'Team']);
  });
});
