import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/ipc/contract';
import { action } from './actions';
import { coalesce } from './coalesce';
import { applyProfile, emptyProfile } from './profile';
import { applyAll, emptyRoot } from './root';
import { presenceChanged, res, snapshot } from './test-events';

const H1 = 'a'.repeat(40);
const H2 = 'b'.repeat(40);
const URL1 = 'data:image/png;base64,AAAA';
const avatarChanged = (jid: string, hash: string | null): AppEvent => ({ name: 'avatar.changed', payload: { jid, hash, source: 'pep' } });
const blocklist = (blocked: string[], unblocked: string[] = [], replace?: boolean): AppEvent => ({ name: 'blocklist.changed', payload: { blocked, unblocked, ...(replace ? { replace } : {}) } });

describe('profile slice', () => {
  it('follows the blocklist: whole list, then deltas', () => {
    let s = applyProfile(emptyProfile, blocklist(['a@x', 'b@x'], [], true));
    s = applyProfile(s, blocklist(['c@x'], ['a@x']));
    expect(Object.keys(s.blocked).sort()).toEqual(['b@x', 'c@x']);
    s = applyProfile(s, blocklist([], [], true));
    expect(Object.keys(s.blocked)).toEqual([]);
  });

  it('keeps an image only while it matches the announced hash', () => {
    let s = applyProfile(emptyProfile, avatarChanged('bob@x', H1));
    s = applyProfile(s, action('local.avatarLoaded', { jid: 'bob@x', hash: H1, dataUrl: URL1 }));
    expect(s.avatarUrl['bob@x']).toEqual({ hash: H1, url: URL1 });
    // A new hash drops the old image; a late answer for the old hash is ignored.
    s = applyProfile(s, avatarChanged('bob@x', H2));
    expect(s.avatarUrl['bob@x']).toBeUndefined();
    s = applyProfile(s, action('local.avatarLoaded', { jid: 'bob@x', hash: H1, dataUrl: URL1 }));
    expect(s.avatarUrl['bob@x']).toBeUndefined();
    // "No avatar any more".
    s = applyProfile(s, avatarChanged('bob@x', null));
    expect(s.avatarHash['bob@x']).toBeUndefined();
  });

  it('avatar.updated sets hash and image at once (own avatar), or removes both', () => {
    let s = applyProfile(emptyProfile, { name: 'avatar.updated', payload: { jid: 'me@x', hash: H1, dataUrl: URL1 } });
    expect(s.avatarHash['me@x']).toBe(H1);
    expect(s.avatarUrl['me@x']?.url).toBe(URL1);
    s = applyProfile(s, { name: 'avatar.updated', payload: { jid: 'me@x', hash: null, dataUrl: null } });
    expect(s.avatarHash['me@x']).toBeUndefined();
    expect(s.avatarUrl['me@x']).toBeUndefined();
  });

  it('returns the same slice when nothing changes', () => {
    const s = applyProfile(emptyProfile, avatarChanged('bob@x', H1));
    expect(applyProfile(s, avatarChanged('bob@x', H1))).toBe(s);
    expect(applyProfile(s, avatarChanged('nobody@x', null))).toBe(s);
    expect(applyProfile(s, presenceChanged(['bob@x', 'r', res('r')]))).toBe(s);
  });

  it('hydrates from the snapshot, keeping images still current; sign-out keeps only the auto-away settings', () => {
    let s = applyProfile(emptyProfile, avatarChanged('bob@x', H1));
    s = applyProfile(s, action('local.avatarLoaded', { jid: 'bob@x', hash: H1, dataUrl: URL1 }));
    s = applyProfile(s, avatarChanged('eve@x', H2));
    s = applyProfile(s, action('local.avatarLoaded', { jid: 'eve@x', hash: H2, dataUrl: URL1 }));
    s = applyProfile(
      s,
      action('local.hydrated', { snapshot: snapshot({ profile: { blocked: ['spam@x'], avatars: { 'bob@x': H1, 'eve@x': H1 }, autoAway: { enabled: false, awayMinutes: 3, xaMinutes: 9 } } }) }),
    );
    expect(s.blocked['spam@x']).toBe(true);
    expect(s.avatarUrl['bob@x']?.url).toBe(URL1);
    expect(s.avatarUrl['eve@x']).toBeUndefined();
    expect(s.autoAway.awayMinutes).toBe(3);
    s = applyProfile(s, action('local.loggedOut', {}));
    expect(s).toEqual({ ...emptyProfile, autoAway: { enabled: false, awayMinutes: 3, xaMinutes: 9 } });
  });
});

describe('coalesce', () => {
  it('merges runs of presence and avatar events, keeping order with everything else', () => {
    const a = presenceChanged(['a@x', 'r', res('r')]);
    const b = avatarChanged('a@x', H1);
    const c = presenceChanged(['b@x', 'r', res('r', 'away')], ['c@x', 'r', res('r')]);
    const d = avatarChanged('b@x', H2);
    const other = action('local.chatOpened', { peer: 'a@x' });
    const out = coalesce([a, b, c, d, other, a, b]);
    expect(out.map((x) => x.name)).toEqual(['presence.changed', 'local.avatarsChanged', 'local.chatOpened', 'presence.changed', 'local.avatarsChanged']);
    expect((out[0] as Extract<AppEvent, { name: 'presence.changed' }>).payload.updates.map((u) => u.jid)).toEqual(['a@x', 'b@x', 'c@x']);
    expect(out[1]).toEqual({ name: 'local.avatarsChanged', payload: { changes: [{ jid: 'a@x', hash: H1 }, { jid: 'b@x', hash: H2 }] } });
  });

  it('leaves a batch alone when there is nothing to merge', () => {
    const batch = [presenceChanged(['a@x', 'r', res('r')]), action('local.chatOpened', { peer: 'a@x' })];
    expect(coalesce(batch)).toBe(batch);
  });

  it('folds to the same state as one action at a time', () => {
    const events: AppEvent[] = [];
    for (let i = 0; i < 200; i++) {
      events.push(avatarChanged(`u${i}@x`, i % 2 ? H1 : H2));
      events.push(presenceChanged([`u${i}@x`, 'r', res('r', i % 3 ? 'away' : 'available')]));
      if (i % 50 === 0) events.push(avatarChanged(`u${i}@x`, null));
    }
    const merged = applyAll(emptyRoot, events);
    let oneByOne = emptyRoot;
    for (const e of events) oneByOne = applyAll(oneByOne, [e]);
    expect(merged.presence.byJid.toObject()).toEqual(oneByOne.presence.byJid.toObject());
    expect(merged.presence.shows.toObject()).toEqual(oneByOne.presence.shows.toObject());
    expect(merged.presence.online.toObject()).toEqual(oneByOne.presence.online.toObject());
    expect(merged.profile).toEqual(oneByOne.profile);
  });
});
