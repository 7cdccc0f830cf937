// Issue 5 commands through the account service against a real Prosody: our typing state reaches
// the peer (XEP-0085), correcting our last message is applied on both sides and a third party
// cannot "correct" it (XEP-0308), a displayed marker reaches the sender (XEP-0333) and is kept
// across a restart (only moving forward), and only our last message can be corrected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../electron/core/events';
import { CORRECTION_MODULE, type CorrectionApi } from '../electron/core/modules';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { is, moduleApi, TestAccount } from './support/client';

const D = 'example.test';
const ALICE = `alice@${D}`;
const BOB = `bob@${D}`;
const CAROL = `carol@${D}`;

describe('issue 5 commands against Prosody', () => {
  let server: ProsodyServer;
  let alice: TestAccount;
  let bob: TestAccount;
  let carol: TestAccount;

  const online = async (a: TestAccount, user: string) => {
    await a.login({ jid: `${user}@${D}`, resource: 'flint', host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online', 30_000, false);
  };

  beforeAll(async () => {
    server = await startProsody({ domain: D });
    await server.registerMany(['alice', 'bob', 'carol'].map((user) => ({ user, pass: `${user}-pw` })));
    await server.writeRoster('alice', [{ jid: BOB }]);
    await server.writeRoster('bob', [{ jid: ALICE }, { jid: CAROL }]);
    await server.writeRoster('carol', [{ jid: BOB }]);
    alice = new TestAccount({ caPem: server.caCertPem });
    bob = new TestAccount({ caPem: server.caCertPem });
    carol = new TestAccount({ caPem: server.caCertPem });
    await Promise.all([online(alice, 'alice'), online(bob, 'bob'), online(carol, 'carol')]);
    // Each has seen the other's presence (markers go only to who may see ours).
    await alice.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === BOB && u.presence !== null)));
    await bob.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === ALICE && u.presence !== null)));
  }, 60_000);

  afterAll(async () => {
    await Promise.all([alice, bob, carol].filter(Boolean).map((a) => a.close()));
    await server?.stop({ graceful: false });
  });

  it('sends our chat state once the peer has shown support; the peer sees composing, then paused', async () => {
    // XEP-0085 Business Rules: no standalone notifications before the contact showed support.
    expect(alice.service.setChatState(BOB, 'composing')).toBe(false);
    bob.service.sendChat(ALICE, 'hello alice');
    await alice.waitFor(is('message.received', (e) => e.message.body === 'hello alice'));
    expect(alice.service.setChatState(BOB, 'composing')).toBe(true);
    const composing = await bob.waitFor(is('chat.state', (e) => e.peer === ALICE && e.state === 'composing'));
    expect(composing.resource).toBe('flint');
    // A repeat is not sent again; a change is.
    expect(alice.service.setChatState(BOB, 'composing')).toBe(false);
    expect(alice.service.setChatState(BOB, 'paused')).toBe(true);
    await bob.waitFor(is('chat.state', (e) => e.peer === ALICE && e.state === 'paused'));
  });

  it('corrects our last message on both sides, shown as edited; a third party cannot correct it', async () => {
    const original = alice.service.sendChat(BOB, 'See you at 5');
    const got = await bob.waitFor(is('message.received', (e) => e.message.body === 'See you at 5'));
    const fixed = await alice.service.correctChat(original.id, 'See you at 6');
    expect(fixed).toMatchObject({ id: original.id, body: 'See you at 6' });
    expect(fixed.correctedAt).toBeTypeOf('number');
    await bob.waitFor(is('message.corrected', (e) => e.id === got.message.id && e.body === 'See you at 6'));
    const bobPage = await bob.service.historyPage(ALICE, { limit: 10 });
    const onBob = bobPage.messages.find((m) => m.id === got.message.id)!;
    expect(onBob.body).toBe('See you at 6');
    expect(onBob.correctedAt).toBeTypeOf('number');
    const alicePage = await alice.service.historyPage(BOB, { limit: 10 });
    expect(alicePage.messages.filter((m) => m.direction === 'out').map((m) => m.body)).toEqual(['See you at 6']);

    // Carol knows the id and sends a correction of it to bob: a correction is looked up in the
    // sender's own conversation only, so it finds nothing to change. A message carol sends right
    // after it (same stream, in order) tells when bob has handled the forgery.
    moduleApi<CorrectionApi>(carol, CORRECTION_MODULE).correct(BOB, got.message.id, 'forged by carol');
    carol.service.sendChat(BOB, 'after the forgery');
    await bob.waitFor(is('message.received', (e) => e.message.body === 'after the forgery'));
    expect(bob.events.filter((e: CoreEvent) => e.type === 'message.corrected' && e.body === 'forged by carol')).toEqual([]);
    const after = await bob.service.historyPage(ALICE, { limit: 10 });
    expect(after.messages.find((m) => m.id === got.message.id)!.body).toBe('See you at 6');
    // At most it shows as carol's own words in carol's conversation (the archive path keeps a
    // correction of an unknown message as a message, as XEP-0308 allows), never as alice's.
    const withCarol = (await bob.service.historyPage(CAROL, { limit: 10 })).messages;
    expect(withCarol.every((m) => m.peer === CAROL && m.from.startsWith(CAROL))).toBe(true);
    expect(withCarol.map((m) => m.body)).toContain('after the forgery');
  });

  it('refuses to correct a message that is not our last one, or someone else’s', async () => {
    const first = alice.service.sendChat(BOB, 'first');
    alice.service.sendChat(BOB, 'second');
    await expect(alice.service.correctChat(first.id, 'changed')).rejects.toThrow(/last message/);
    const theirs = await alice.waitFor(is('message.received', (e) => e.message.body === 'hello alice'));
    await expect(alice.service.correctChat(theirs.message.id, 'mine now')).rejects.toThrow(/No such message/);
  });

  it('a displayed marker reaches the sender as message.displayed', async () => {
    const sent = alice.service.sendChat(BOB, 'please read');
    const got = await bob.waitFor(is('message.received', (e) => e.message.body === 'please read'));
    expect(bob.service.markDisplayed(ALICE, got.message.id)).toBe(true);
    const shown = await alice.waitFor(is('message.displayed', (e) => e.peer === BOB));
    expect(shown.id).toBe(sent.id);
  });

  it('keeps the displayed mark across a restart; a stale marker or one for no message of ours changes nothing', async () => {
    // Another device of alice's, with its own profile directory, so the restart leaves the others online.
    const pc = new TestAccount({ caPem: server.caCertPem });
    let restarted: TestAccount | undefined;
    try {
      await pc.login({ jid: ALICE, resource: 'pc', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
      await pc.waitStatus('online', 30_000, false);
      const first = pc.service.sendChat(BOB, 'read this first');
      const second = pc.service.sendChat(BOB, 'then this');
      await bob.waitFor(is('message.received', (e) => e.message.id === second.id));
      expect(bob.service.markDisplayed(ALICE, second.id)).toBe(true);
      expect((await pc.waitFor(is('message.displayed', (e) => e.peer === BOB))).id).toBe(second.id);
      // Bob's other device displayed only the first one, late; then a marker for an id we never sent.
      // A message bob sends after them (same stream, in order) tells when pc has handled both.
      expect(bob.service.markDisplayed(ALICE, first.id)).toBe(true);
      expect(bob.service.markDisplayed(ALICE, 'not-a-message-of-alice')).toBe(true);
      bob.service.sendChat(ALICE, 'after the markers');
      await pc.waitFor(is('message.received', (e) => e.message.body === 'after the markers'));
      expect(pc.events.filter((e) => e.type === 'message.displayed').map((e) => (e as { id: string }).id)).toEqual([second.id]);
      expect(pc.service.snapshot().seen).toEqual({ [BOB]: second.id });
      await pc.service.dispose(); // the app quits

      restarted = new TestAccount({ caPem: server.caCertPem, dataDir: pc.dataDir }); // and starts again on the same profile
      expect(restarted.service.snapshot().seen).toEqual({}); // no account chosen yet
      await restarted.login({ jid: ALICE, resource: 'pc', host: '127.0.0.1', port: server.c2sPort }, 'alice-pw');
      // From the history store, before the server has said anything.
      expect(restarted.service.snapshot().seen).toEqual({ [BOB]: second.id });
      await restarted.waitStatus('online', 30_000);
      expect(restarted.service.snapshot().seen).toEqual({ [BOB]: second.id });
    } finally {
      // close() disposes the service and removes the (shared) profile directory.
      await (restarted ?? pc).close();
    }
  });

  it('keeps mute per conversation in the snapshot', () => {
    alice.service.setMuted(`${BOB}/phone`, true);
    expect(alice.service.snapshot().muted).toEqual([BOB]);
    expect(alice.service.isMuted(BOB)).toBe(true);
    alice.service.setMuted(BOB, false);
    expect(alice.service.snapshot().muted).toEqual([]);
  });
});
