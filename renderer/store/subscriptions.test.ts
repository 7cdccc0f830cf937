import { describe, expect, it } from 'vitest';
import { action } from './actions';
import { applySubscriptions, emptySubscriptions } from './subscriptions';
import { contact, rosterChanged, snapshot } from './test-events';

const request = (from: string, kind: 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed' = 'subscribe', extra: { nick?: string; status?: string } = {}) =>
  ({ name: 'subscription.request', payload: { from, kind, ...extra } }) as const;

describe('subscriptions slice', () => {
  it('queues subscribe requests in arrival order, one per JID', () => {
    let s = applySubscriptions(emptySubscriptions, request('a@x'));
    s = applySubscriptions(s, request('b@x', 'subscribe', { nick: 'Bee' }));
    s = applySubscriptions(s, request('a@x', 'subscribe', { status: 'hi, it is me' }));
    expect(s.pending).toEqual([{ from: 'a@x', status: 'hi, it is me' }, { from: 'b@x', nick: 'Bee' }]);
  });

  it('drops a request the requester withdrew', () => {
    const s = applySubscriptions(applySubscriptions(emptySubscriptions, request('a@x')), request('a@x', 'unsubscribe'));
    expect(s.pending).toEqual([]);
  });

  it('ignores subscribed/unsubscribed (answers to our own requests)', () => {
    expect(applySubscriptions(emptySubscriptions, request('a@x', 'subscribed'))).toBe(emptySubscriptions);
    expect(applySubscriptions(emptySubscriptions, request('a@x', 'unsubscribed'))).toBe(emptySubscriptions);
  });

  it('drops a request once answered here or approved from another client', () => {
    let s = applySubscriptions(emptySubscriptions, request('a@x'));
    s = applySubscriptions(s, request('b@x'));
    s = applySubscriptions(s, action('local.subscriptionAnswered', { jid: 'a@x' }));
    expect(s.pending.map((r) => r.from)).toEqual(['b@x']);
    // 'to' does not approve their request; 'from'/'both' does.
    expect(applySubscriptions(s, rosterChanged([contact('b@x', { subscription: 'to' })]))).toBe(s);
    expect(applySubscriptions(s, rosterChanged([contact('b@x', { subscription: 'both' })])).pending).toEqual([]);
  });

  it('hydrates from a snapshot and empties on sign-out', () => {
    const s = applySubscriptions(emptySubscriptions, action('local.hydrated', { snapshot: snapshot({ pendingSubscriptions: [{ from: 'a@x', nick: 'A' }] }) }));
    expect(s.pending).toEqual([{ from: 'a@x', nick: 'A' }]);
    expect(applySubscriptions(s, action('local.loggedOut', {}))).toBe(emptySubscriptions);
  });
});
