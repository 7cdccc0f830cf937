import { describe, expect, it } from 'vitest';
import { CommandRejectedError, createHandlers, dispatch } from './handlers';
import { FakeAccount } from './testing/fake-account';
import { ONE_PIXEL_PNG } from './testing/profile-valid';

function setup() {
  const account = new FakeAccount();
  const handlers = createHandlers(account, { openExternal: async () => {} });
  const run = (name: unknown, args: unknown) => dispatch(handlers, name, args, { checkResult: true });
  return { account, run };
}

describe('issue 4 commands: arguments reach the account as given', () => {
  it('roster.update passes only the keys given (rename without touching groups, and the reverse)', async () => {
    const { account, run } = setup();
    await run('roster.update', { jid: 'bob@example.test', name: '' });
    await run('roster.update', { jid: 'bob@example.test', groups: [] });
    expect(account.calls.map((c) => c.args)).toEqual([
      ['bob@example.test', { name: '' }],
      ['bob@example.test', { groups: [] }],
    ]);
  });

  it('roster.deleteGroup keeps the contacts unless asked', async () => {
    const { account, run } = setup();
    await run('roster.deleteGroup', { name: 'Old' });
    expect(account.calls[0]).toEqual({ method: 'profile.deleteGroup', args: ['Old', false] });
  });

  it('roster.renameGroup trims group names', async () => {
    const { account, run } = setup();
    await run('roster.renameGroup', { from: ' Friends ', to: 'Pals ' });
    expect(account.calls[0]?.args).toEqual(['Friends', 'Pals']);
  });

  it('subscription.answer passes "accept only" (addBack false) through', async () => {
    const { account, run } = setup();
    await run('subscription.answer', { jid: 'bob@example.test', accept: true, addBack: false });
    await run('subscription.answer', { jid: 'bob@example.test', accept: true });
    expect(account.calls.map((c) => c.args)).toEqual([
      ['bob@example.test', true, false],
      ['bob@example.test', true, undefined],
    ]);
  });

  it('register.start leaves out what the user did not fill in', async () => {
    const { account, run } = setup();
    await run('register.start', { domain: 'example.test', tlsMode: 'directtls' });
    expect(account.calls[0]?.args).toEqual([{ domain: 'example.test', tlsMode: 'directtls' }]);
  });

  it('the snapshot carries the blocklist and auto-away settings', async () => {
    const { account, run } = setup();
    account.state = { ...account.state, profile: { ...account.state.profile, blocked: ['spam@example.test'] } };
    const snap = (await run('app.snapshot', {})) as { profile: { blocked: string[]; autoAway: { awayMinutes: number } } };
    expect(snap.profile.blocked).toEqual(['spam@example.test']);
    expect(snap.profile.autoAway.awayMinutes).toBe(5);
  });

  it('debug.setIdleSeconds fails when main runs without test hooks', async () => {
    const { account, run } = setup();
    account.profile.debugHooks = false;
    await expect(run('debug.setIdleSeconds', { seconds: 10 })).rejects.toThrow(/FLINT_TEST_HOOKS/);
  });

  it('a result outside the contract is caught (an avatar that is not a raster data: URL)', async () => {
    const { account, run } = setup();
    account.profile.avatar = async () => 'https://evil.example/track.png';
    await expect(run('avatar.get', { jid: 'bob@example.test' })).rejects.toThrow(/outside the contract/);
    account.profile.avatar = async () => 'data:image/svg+xml;base64,PHN2Zy8+';
    await expect(run('avatar.get', { jid: 'bob@example.test' })).rejects.toThrow(/outside the contract/);
  });
});

describe('issue 4 commands: bad input is refused before any handler runs', () => {
  const group = (n: number) => 'g'.repeat(n);
  const cases: [string, string, unknown, RegExp][] = [
    ['roster.update without jid', 'roster.update', { name: 'x' }, /jid/],
    ['roster.update with a non-string group', 'roster.update', { jid: 'bob@example.test', groups: [5] }, /groups/],
    ['roster.update with an empty group name', 'roster.update', { jid: 'bob@example.test', groups: [''] }, /groups/],
    ['roster.update with a blank group name', 'roster.update', { jid: 'bob@example.test', groups: ['   '] }, /groups/],
    ['roster.update with 101 groups', 'roster.update', { jid: 'bob@example.test', groups: Array.from({ length: 101 }, (_, i) => `g${i}`) }, /groups/],
    ['roster.update with an oversized name', 'roster.update', { jid: 'bob@example.test', name: 'n'.repeat(1024) }, /name/],
    ['roster.update with an extra key', 'roster.update', { jid: 'bob@example.test', subscription: 'both' }, /unrecognized/i],
    ['roster.renameGroup to nothing', 'roster.renameGroup', { from: 'A', to: '' }, /to/],
    ['roster.renameGroup with an oversized name', 'roster.renameGroup', { from: 'A', to: group(1024) }, /to/],
    ['roster.deleteGroup without name', 'roster.deleteGroup', { removeContacts: true }, /name/],
    ['roster.deleteGroup with a string flag', 'roster.deleteGroup', { name: 'A', removeContacts: 'yes' }, /removeContacts/],
    ['blocklist.block with no JIDs', 'blocklist.block', { jids: [] }, /jids/],
    ['blocklist.block with a single string', 'blocklist.block', { jids: 'spam@example.test' }, /jids/],
    ['blocklist.unblock with 501 JIDs', 'blocklist.unblock', { jids: Array.from({ length: 501 }, (_, i) => `u${i}@example.test`) }, /jids/],
    ['contact.describe with an oversized jid', 'contact.describe', { jid: 'a'.repeat(3072) }, /jid/],
    ['profile.set with a photo (that goes through avatar.setOwn)', 'profile.set', { vcard: { email: [], tel: [], photo: { type: 'image/png', data: ONE_PIXEL_PNG } } }, /photo|unrecognized/i],
    ['profile.set without email list', 'profile.set', { vcard: { tel: [] } }, /email/],
    ['profile.set with 51 emails', 'profile.set', { vcard: { email: Array.from({ length: 51 }, (_, i) => `a${i}@x.y`), tel: [] } }, /email/],
    ['avatar.setOwn as SVG', 'avatar.setOwn', { image: { type: 'image/svg+xml', data: 'PHN2Zy8+' } }, /type/],
    ['avatar.setOwn too large', 'avatar.setOwn', { image: { type: 'image/png', data: 'A'.repeat(400_000) } }, /data/],
    ['avatar.setOwn empty', 'avatar.setOwn', { image: { type: 'image/png', data: '' } }, /data/],
    ['avatar.setOwn without image key', 'avatar.setOwn', {}, /image/],
    ['presence.setAutoAway with zero minutes', 'presence.setAutoAway', { enabled: true, awayMinutes: 0, xaMinutes: 20 }, /awayMinutes/],
    ['presence.setAutoAway with fractions', 'presence.setAutoAway', { enabled: true, awayMinutes: 1.5, xaMinutes: 20 }, /awayMinutes/],
    ['presence.setAutoAway with xa before away', 'presence.setAutoAway', { enabled: true, awayMinutes: 30, xaMinutes: 20 }, /xaMinutes/],
    ['presence.setAutoAway beyond a day', 'presence.setAutoAway', { enabled: true, awayMinutes: 5, xaMinutes: 1441 }, /xaMinutes/],
    ['directory.search with a non-array value', 'directory.search', { service: 'vjud.example.test', values: { nick: 'bob' } }, /values/],
    ['directory.search without service', 'directory.search', { values: {} }, /service/],
    ['account.changePassword empty', 'account.changePassword', { password: '' }, /password/],
    ['account.changePassword oversized', 'account.changePassword', { password: 'p'.repeat(1025) }, /password/],
    ['register.start with a bad TLS mode', 'register.start', { domain: 'example.test', tlsMode: 'none' }, /tlsMode/],
    ['register.start with a bad port', 'register.start', { domain: 'example.test', tlsMode: 'starttls', port: 0 }, /port/],
    ['register.submit without values', 'register.submit', {}, /values/],
    ['debug.setIdleSeconds negative', 'debug.setIdleSeconds', { seconds: -1 }, /seconds/],
    ['subscription.answer with a string addBack', 'subscription.answer', { jid: 'bob@example.test', accept: true, addBack: 'yes' }, /addBack/],
  ];

  it.each(cases)('%s', async (_label, name, args, message) => {
    const { account, run } = setup();
    const p = run(name, args);
    await expect(p).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(p).rejects.toThrow(message);
    expect(account.calls).toEqual([]);
  });
});
