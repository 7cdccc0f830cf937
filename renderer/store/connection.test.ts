import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applyConnection, emptyConnection } from './connection';
import { connectionChanged, snapshot } from './test-events';

const account = { jid: 'alice@example.test', tlsMode: 'starttls' as const };

describe('connection slice', () => {
  it('tracks the last state and marks the session signed in once online', () => {
    let s = applyConnection(emptyConnection, action('local.loginStarted', { account }));
    expect(s).toMatchObject({ loginPending: true, signedIn: false, account });
    s = applyConnection(s, connectionChanged('connecting'));
    s = applyConnection(s, connectionChanged('authenticating'));
    expect(s.signedIn).toBe(false);
    s = applyConnection(s, connectionChanged('online', { jid: 'alice@example.test/flint' }));
    expect(s).toMatchObject({ signedIn: true, loginPending: false, state: { status: 'online', jid: 'alice@example.test/flint' } });
  });

  it('a failed first attempt ends the pending login and keeps the error for the login screen', () => {
    let s = applyConnection(emptyConnection, action('local.loginStarted', { account }));
    s = applyConnection(s, connectionChanged('failed', { error: { code: 'wrong-password', message: 'not-authorized' } }));
    expect(s.loginPending).toBe(false);
    expect(s.signedIn).toBe(false);
    expect(s.state.error?.code).toBe('wrong-password');
  });

  it('stays signed in through reconnecting and failures after having been online', () => {
    let s = applyConnection(emptyConnection, connectionChanged('online'));
    s = applyConnection(s, connectionChanged('reconnecting', { retryAt: 123, attempt: 1 }));
    expect(s.signedIn).toBe(true);
    expect(s.state.retryAt).toBe(123);
    s = applyConnection(s, connectionChanged('failed', { error: { code: 'conflict', message: 'x' } }));
    expect(s.signedIn).toBe(true);
  });

  it('a new attempt clears the previous failure but keeps the status main reported', () => {
    let s = applyConnection(emptyConnection, connectionChanged('failed', { error: { code: 'unreachable', message: 'x' } }));
    s = applyConnection(s, action('local.loginStarted', {}));
    expect(s.state).toEqual({ status: 'offline' });
    expect(s.loginPending).toBe(true);
  });

  it('loginEnded stops waiting without touching the state', () => {
    const started = applyConnection(emptyConnection, action('local.loginStarted', {}));
    const s = applyConnection(started, action('local.loginEnded', {}));
    expect(s.loginPending).toBe(false);
    expect(s.state).toBe(started.state);
  });

  it('hydrates from a snapshot: online or reconnecting means signed in, connecting means pending', () => {
    expect(applyConnection(emptyConnection, action('local.hydrated', { snapshot: snapshot({ connection: { status: 'online' }, settings: account }) }))).toMatchObject({
      signedIn: true,
      loginPending: false,
      account,
    });
    expect(applyConnection(emptyConnection, action('local.hydrated', { snapshot: snapshot({ connection: { status: 'reconnecting' } }) })).signedIn).toBe(true);
    expect(applyConnection(emptyConnection, action('local.hydrated', { snapshot: snapshot({ connection: { status: 'connecting' } }) }))).toMatchObject({ signedIn: false, loginPending: true });
    expect(applyConnection(emptyConnection, action('local.hydrated', { snapshot: snapshot() }))).toMatchObject({ signedIn: false, loginPending: false });
  });

  it('sign-out forgets the session but remembers which account it was (to prefill the login)', () => {
    let s = applyConnection(emptyConnection, action('local.loginStarted', { account }));
    s = applyConnection(s, connectionChanged('online'));
    s = applyConnection(s, action('local.loggedOut', {}));
    expect(s).toEqual({ ...emptyConnection, account });
  });

  it('ignores unrelated actions (same object back)', () => {
    expect(applyConnection(emptyConnection, action('local.filterChanged', { filter: 'x' }))).toBe(emptyConnection);
  });
});
