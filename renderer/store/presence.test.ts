import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyPresence, bestResource, emptyPresence } from './presence';
import { connectionChanged, presenceChanged, res, snapshot } from './test-events';

describe('presence slice', () => {
  it('keeps each resource and removes it on unavailable', () => {
    let s = applyPresence(emptyPresence, presenceChanged(['a@x', 'pc', res('pc')], ['a@x', 'phone', res('phone', 'away')]));
    expect(Object.keys(s.byJid.get('a@x')!.resources).sort()).toEqual(['pc', 'phone']);
    expect(s.online.get('a@x')).toBe(true);
    s = applyPresence(s, presenceChanged(['a@x', 'pc', null]));
    expect(Object.keys(s.byJid.get('a@x')!.resources)).toEqual(['phone']);
    expect(s.byJid.get('a@x')!.best.resource).toBe('phone');
    s = applyPresence(s, presenceChanged(['a@x', 'phone', null]));
    expect(s.byJid.get('a@x')).toBeUndefined();
    expect(s.online.get('a@x')).toBeUndefined();
  });

  it('picks the best resource by priority first, then by show', () => {
    expect(bestResource({ a: res('a', 'chat', 0), b: res('b', 'dnd', 5) })?.resource).toBe('b');
    expect(bestResource({ a: res('a', 'away', 1), b: res('b', 'available', 1) })?.resource).toBe('b');
    expect(bestResource({ a: res('a', 'available', 1), b: res('b', 'chat', 1) })?.resource).toBe('b');
    expect(bestResource({ a: res('a', 'xa', 1), b: res('b', 'away', 1) })?.resource).toBe('b');
    expect(bestResource({ a: res('a', 'dnd', 1), b: res('b', 'xa', 1) })?.resource).toBe('b');
    // A negative priority still counts as available (RFC 6121 §4.7.2.3); it just loses to others.
    expect(bestResource({ a: res('a', 'chat', -1), b: res('b', 'away', 0) })?.resource).toBe('b');
    expect(bestResource({ a: res('a', 'away', -5) })?.resource).toBe('a');
    // Ties are broken by resource name, so the choice does not flicker with arrival order.
    expect(bestResource({ z: res('z'), a: res('a') })?.resource).toBe('a');
    expect(bestResource({})).toBeUndefined();
  });

  it('a show/status change replaces one contact and leaves the online set alone', () => {
    const s1 = applyPresence(emptyPresence, presenceChanged(['a@x', 'r', res('r')], ['b@x', 'r', res('r')]));
    const s2 = applyPresence(s1, presenceChanged(['a@x', 'r', res('r', 'away', 0, 'lunch')]));
    expect(s2.online).toBe(s1.online);
    expect(s2.byJid.get('b@x')).toBe(s1.byJid.get('b@x'));
    expect(s2.byJid.get('a@x')!.best).toMatchObject({ show: 'away', status: 'lunch' });
  });

  it('coming online or going offline replaces the online set', () => {
    const s1 = applyPresence(emptyPresence, presenceChanged(['a@x', 'r', res('r')]));
    const s2 = applyPresence(s1, presenceChanged(['b@x', 'r', res('r')]));
    expect(s2.online).not.toBe(s1.online);
    expect(s2.online.keys().sort()).toEqual(['a@x', 'b@x']);
    // An unavailable for someone already offline changes nothing at all.
    expect(applyPresence(s2, presenceChanged(['c@x', 'r', null]))).toEqual(s2);
  });

  it('applies a batch in order (offline then back online in one flush)', () => {
    const s = applyPresence(emptyPresence, presenceChanged(['a@x', 'r', res('r')], ['a@x', 'r', null], ['a@x', 'r2', res('r2', 'dnd')]));
    expect(s.byJid.get('a@x')!.best.resource).toBe('r2');
    expect(s.online.get('a@x')).toBe(true);
  });

  it('records our own presence', () => {
    const s = applyPresence(emptyPresence, { name: 'presence.own', payload: { show: 'dnd', status: 'busy' } });
    expect(s.own).toEqual({ show: 'dnd', status: 'busy' });
  });

  it('forgets everyone when the session ends, but not while reconnecting (a resumed stream keeps presence)', () => {
    const s = applyPresence(emptyPresence, presenceChanged(['a@x', 'r', res('r')]));
    expect(applyPresence(s, connectionChanged('reconnecting'))).toBe(s);
    expect(applyPresence(s, connectionChanged('failed')).byJid.size).toBe(0);
    expect(applyPresence(s, connectionChanged('offline')).own.show).toBe('offline');
  });

  it('hydrates from a snapshot', () => {
    const s = applyPresence(
      emptyPresence,
      action('local.hydrated', { snapshot: snapshot({ own: { show: 'away' }, presence: [{ jid: 'a@x', resource: 'r', presence: res('r', 'xa') }] }) }),
    );
    expect(s.own.show).toBe('away');
    expect(s.byJid.get('a@x')!.best.show).toBe('xa');
  });
});
