import { describe, expect, it } from 'vitest';
import { formatJid, tryParseJid } from '../../../../shared/jid';
import { NS } from '../../module';
import { x } from '../../xml/element';
import { parseRoster, parseRosterItem } from './parse';

const item = (jid: string, attrs: Record<string, string> = {}, ...groups: string[]) =>
  x('item', { jid, ...attrs }, ...groups.map((g) => x('group', {}, g)));
const query = (...items: ReturnType<typeof item>[]) => x('query', { xmlns: NS.roster, ver: 'v1' }, ...items);

// The roster result takes a shortcut for JIDs already in canonical form; every other one goes
// through RFC 7622 preparation. Both must give what formatJid(tryParseJid(jid)) gives.
const JIDS = [
  'bob@example.org',
  'bob.smith_2-x@chat.example.org',
  'Bob@example.org',
  'bob@Example.ORG',
  'bob@example.org.',
  'bob@EXAMPLE.org',
  'bob@例え.テスト',
  'ｂｏｂ@example.org',
  'müller@example.org',
  'bob@example.org/phone',
  'bob@example.org/Phone/2',
  'a/b@example.org',
  'bob@a@example.org',
  'bob@',
  '@example.org',
  'example.org',
  'bob@-bad-.org',
  'bob@exa mple.org',
  'bob@exa..mple.org',
  'bo"b@example.org',
  "bo'b@example.org",
  'bo:b@example.org',
  'bob@[::1]',
  'bob@127.0.0.1',
  `${'a'.repeat(1023)}@example.org`,
  `${'a'.repeat(1024)}@example.org`,
  `bob@${'a'.repeat(64)}.org`,
];

describe('RFC 6121 roster parsing', () => {
  it.each(JIDS)('prepares %s as RFC 7622 does, in a result and in a push', (jid) => {
    const parsed = tryParseJid(jid);
    const expected = parsed ? formatJid(parsed) : undefined;
    const fromResult = parseRoster(query(item(jid, { subscription: 'both' }))).items.map((c) => c.jid);
    expect(fromResult).toEqual(expected === undefined ? [] : [expected]);
    const push = parseRosterItem(item(jid));
    expect(push?.kind === 'upsert' ? push.contact.jid : undefined).toBe(expected);
  });

  it('prepares a domain once per result but still checks each JID', () => {
    const r = parseRoster(query(item('a@Example.ORG'), item('b@example.org'), item('c@Example.ORG'), item('d@-bad-.org'), item('e@-bad-.org')));
    expect(r.items.map((c) => c.jid)).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
  });

  it('keeps one contact per JID: the last wins, in the place of the first', () => {
    const r = parseRoster(
      query(item('a@example.org', { name: 'A1' }), item('b@example.org'), item('A@example.org', { name: 'A2' }), item('c@example.org')),
    );
    expect(r.items.map((c) => [c.jid, c.name])).toEqual([
      ['a@example.org', 'A2'],
      ['b@example.org', undefined],
      ['c@example.org', undefined],
    ]);
    expect([...r.byJid.values()]).toEqual(r.items);
    expect(r.ver).toBe('v1');
  });

  it('reads subscription, name, groups, ask and approved; skips remove items in a result', () => {
    const { ver, items } = parseRoster(
      query(
        item('a@example.org', { subscription: 'to', name: 'Ann', ask: 'subscribe', approved: '1' }, 'G', '', 'G', 'H'),
        item('b@example.org', { subscription: 'remove' }),
        item('c@example.org', { subscription: 'bogus', name: '' }),
        x('item', { jid: 'd@example.org', xmlns: 'urn:other' }),
      ),
    );
    expect({ ver, items }).toEqual({
      ver: 'v1',
      items: [
        { jid: 'a@example.org', name: 'Ann', groups: ['G', 'H'], subscription: 'to', ask: true, approved: true },
        { jid: 'c@example.org', groups: [], subscription: 'none' },
      ],
    });
    expect(parseRosterItem(item('B@example.org', { subscription: 'remove' }))).toEqual({ kind: 'remove', jid: 'b@example.org' });
  });
});
