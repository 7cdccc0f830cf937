import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyAll, applyRoot, emptyRoot } from './root';
import { connectionChanged, contact, msg, presenceChanged, received, res, rosterChanged, snapshot } from './test-events';

describe('root reducer', () => {
  it('returns the very same state for an action no slice cares about', () => {
    expect(applyRoot(emptyRoot, { name: 'message.updated', payload: { id: 'x', peer: 'p@x', state: 'sent' } })).toBe(emptyRoot);
  });

  it('changes only the slices an action concerns', () => {
    const s = applyRoot(emptyRoot, presenceChanged(['a@x', 'r', res('r')]));
    expect(s.presence).not.toBe(emptyRoot.presence);
    expect(s.roster).toBe(emptyRoot.roster);
    expect(s.conversations).toBe(emptyRoot.conversations);
  });

  it('hydrate then sign-out returns to empty account state but keeps settings', () => {
    let s = applyAll(emptyRoot, [
      action('local.themeChosen', { theme: 'dark' }),
      action('local.hydrated', {
        snapshot: snapshot({ connection: { status: 'online' }, roster: [contact('a@x')], conversations: { 'a@x': [msg('a@x')] }, pendingSubscriptions: [{ from: 'z@x' }] }),
      }),
      received(msg('b@x')),
      connectionChanged('online'),
      rosterChanged([contact('b@x')]),
    ]);
    expect(s.connection.signedIn).toBe(true);
    s = applyRoot(s, action('local.loggedOut', {}));
    expect(s.roster).toBe(emptyRoot.roster);
    expect(s.conversations).toBe(emptyRoot.conversations);
    expect(s.subscriptions).toBe(emptyRoot.subscriptions);
    expect(s.connection.signedIn).toBe(false);
    expect(s.settings.theme).toBe('dark');
  });
});
