// Issue 5 protocol modules against a real Prosody (mod_mam, mod_carbons, mod_offline): carbons
// from a second resource, archive paging, receipts, chat states, corrections and markers between
// two Flint accounts, and the spoofs a hostile user can send through a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedMessage, CarbonsApi, ChatStatesApi, CorrectionApi, MamApi, MarkersApi } from '../electron/core/modules';
import { connectRawClient, type RawClient } from './harness/raw-client';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { TestAccount, is, moduleApi } from './support/client';

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const D = 'example.test';

describe('issue 5 modules against Prosody', () => {
  let server: ProsodyServer;
  const accounts: { user: string; account: TestAccount }[] = [];
  const raws: RawClient[] = [];

  async function signOut(user: string): Promise<void> {
    const mine = accounts.filter((a) => a.user === user);
    await Promise.all(mine.map((a) => a.account.close()));
    for (const a of mine) accounts.splice(accounts.indexOf(a), 1);
  }

  async function login(user: string, resource: string): Promise<TestAccount> {
    const a = new TestAccount({ caPem: server.caCertPem });
    accounts.push({ user, account: a });
    await a.login({ jid: `${user}@${D}`, resource, host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online');
    // Roster fetched (receipts and markers consult it) and carbons enabled before the test goes on.
    await a.waitFor(is('roster.changed', (r) => r.replace === true));
    await until(() => moduleApi<CarbonsApi>(a, 'xep0280-carbons').enabled(), `carbons on ${user}/${resource}`);
    return a;
  }

  async function raw(user: string): Promise<RawClient> {
    const c = await connectRawClient({ port: server.c2sPort, domain: D, caPem: server.caCertPem, user, pass: `${user}-pw`, resource: 'raw' });
    raws.push(c);
    return c;
  }

  beforeAll(async () => {
    server = await startProsody({ domain: D });
    await server.registerMany(['alice', 'bob', 'dave', 'mallory'].map((u) => ({ user: u, pass: `${u}-pw` })));
    // Alice and Bob are mutual contacts (receipts and markers go only to those who may see our presence).
    await server.writeRoster('alice', [{ jid: `bob@${D}`, name: 'Bob', subscription: 'both' }]);
    await server.writeRoster('bob', [{ jid: `alice@${D}`, name: 'Alice', subscription: 'both' }]);
  });

  afterAll(async () => {
    await Promise.all(raws.map((c) => c.close()));
    await Promise.all(accounts.map((a) => a.account.close()));
    await server?.stop();
  });

  it('shows messages received and sent by a second resource of the same account (carbons, both directions)', async () => {
    const desk = await login('alice', 'desk');
    const phone = await login('alice', 'phone');
    const bob = await login('bob', 'laptop');

    // To alice's phone only: the desk sees it through a <received/> carbon.
    bob.service.sendChat(`alice@${D}/phone`, 'carbon in 🌍');
    const copyIn = await desk.waitFor(is('message.received', (e) => e.message.body === 'carbon in 🌍'));
    expect(copyIn.message).toMatchObject({ peer: `bob@${D}`, from: `bob@${D}/laptop`, to: `alice@${D}/phone`, direction: 'in' });
    expect(copyIn.message.stanzaId).toBeTruthy();

    // Sent by the phone: the desk sees it through a <sent/> carbon, in the conversation with Bob, with the phone's id.
    const sent = phone.service.sendChat(`bob@${D}`, 'carbon out <&>');
    const copyOut = await desk.waitFor(is('message.received', (e) => e.message.body === 'carbon out <&>'));
    expect(copyOut.message).toMatchObject({ id: sent.id, peer: `bob@${D}`, from: `alice@${D}/phone`, to: `bob@${D}`, direction: 'out', state: 'sent' });
    await bob.waitFor(is('message.received', (e) => e.message.body === 'carbon out <&>'));
    expect(desk.events.filter((e) => e.type === 'message.received' && e.message.body.startsWith('carbon '))).toHaveLength(2);
  });

  it('rejects a forged carbon, a forged archive result and a forged receipt sent through the server', async () => {
    const alice = await login('alice', 'spoofed');
    const bob = await login('bob', 'spoof-test');
    const mallory = await raw('mallory');
    const to = `alice@${D}/spoofed`;
    const inner = (body: string) => `<message xmlns='jabber:client' from='alice@${D}/spoofed' to='bob@${D}' type='chat' id='forged'><body>${body}</body></message>`;
    // CVE-2017-5589: a <sent/> carbon from someone else, "proving" Alice wrote something.
    mallory.send(`<message to='${to}' type='chat' id='s1'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>${inner('forged carbon')}</forwarded></sent></message>`);
    // An archive result injected into Alice's history.
    mallory.send(`<message to='${to}' id='s2'><result xmlns='urn:xmpp:mam:2' queryid='guess' id='x1'><forwarded xmlns='urn:xmpp:forward:0'>${inner('forged archive')}</forwarded></result></message>`);
    // A receipt for a message Alice sent to Bob, from Mallory.
    const m = alice.service.sendChat(`bob@${D}`, 'for bob only');
    mallory.send(`<message to='${to}' id='s3'><received xmlns='urn:xmpp:receipts' id='${m.id}'/></message>`);
    const rejected = () => alice.events.filter((e) => e.type === 'security.rejected' && e.from === `mallory@${D}/raw`);
    await until(() => rejected().length === 3, 'three rejections');
    // The genuine receipt from Bob still marks it delivered.
    await alice.waitFor(is('message.updated', (e) => e.id === m.id && e.state === 'delivered'));
    expect(alice.events.filter((e) => e.type === 'message.updated' && e.id === m.id)).toEqual([{ type: 'message.updated', id: m.id, peer: `bob@${D}`, state: 'delivered' }]);
    expect(alice.events.some((e) => e.type === 'message.received' && e.message.body.startsWith('forged'))).toBe(false);
    expect(bob.events.some((e) => e.type === 'message.received' && e.message.body.startsWith('forged'))).toBe(false);
  });

  it('pages through the archive (RSM) and finds messages sent while offline, with their delay stamps', async () => {
    // Alice signs out everywhere, so Dave's messages go to offline storage (and the archive).
    await signOut('alice');
    const dave = await login('dave', 'sender');
    const N = 25;
    const t0 = Date.now();
    for (let i = 0; i < N; i++) dave.service.sendChat(`alice@${D}`, `archived ${String(i).padStart(2, '0')}`);
    await new Promise((r) => setTimeout(r, 500));
    const alice = await login('alice', 'archive-reader');
    // Whether it comes by offline delivery (XEP-0160, with an XEP-0203 delay stamp) or by the
    // store's archive catch-up, it is shown at the time Dave sent it, not when Alice got it.
    const offline = await alice.waitFor(is('message.received', (e) => e.message.body === `archived ${String(N - 1).padStart(2, '0')}`));
    expect(offline.message.timestamp).toBeGreaterThanOrEqual(t0 - 2_000);
    expect(offline.message.timestamp).toBeLessThan(Date.now() - 300);
    const mam = moduleApi<MamApi>(alice, 'xep0313-mam');

    // Forward, 10 at a time, from the beginning of the conversation with Dave.
    const forward: ArchivedMessage[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await mam.query({ with: `dave@${D}`, max: 10, ...(after ? { after } : {}) });
      pages++;
      forward.push(...page.messages);
      if (page.complete || !page.last) break;
      after = page.last;
    }
    expect(pages).toBe(3);
    expect(forward.map((m) => m.body)).toEqual(Array.from({ length: N }, (_, i) => `archived ${String(i).padStart(2, '0')}`));
    expect(new Set(forward.map((m) => m.stanzaId)).size).toBe(N);
    for (const m of forward) {
      expect(m).toMatchObject({ peer: `dave@${D}`, direction: 'in', from: `dave@${D}/sender` });
      expect(m.timestamp).toBeGreaterThanOrEqual(t0 - 2_000);
      expect(m.timestamp).toBeLessThanOrEqual(Date.now() + 1_000);
    }

    // Backward from the end: the last page first, then the one before it.
    const last = await mam.query({ with: `dave@${D}`, before: true, max: 10 });
    expect(last.messages.map((m) => m.body)).toEqual(forward.slice(15).map((m) => m.body));
    const before = await mam.query({ with: `dave@${D}`, before: last.first!, max: 10 });
    expect(before.messages.map((m) => m.stanzaId)).toEqual(forward.slice(5, 15).map((m) => m.stanzaId));

    // Our own sent messages come back as 'out'.
    const reply = alice.service.sendChat(`dave@${D}`, 'thanks dave');
    await dave.waitFor(is('message.received', (e) => e.message.body === 'thanks dave'));
    const mine = await mam.query({ with: `dave@${D}`, before: true, max: 1 });
    expect(mine.messages).toEqual([expect.objectContaining({ id: reply.id, direction: 'out', peer: `dave@${D}`, body: 'thanks dave' })]);
  });

  it('delivers receipts both ways between mutual contacts', async () => {
    const alice = await login('alice', 'receipts');
    const bob = await login('bob', 'receipts');
    const a = alice.service.sendChat(`bob@${D}/receipts`, 'receipt please');
    await alice.waitFor(is('message.updated', (e) => e.id === a.id && e.peer === `bob@${D}` && e.state === 'delivered'));
    const b = bob.service.sendChat(`alice@${D}/receipts`, 'and back');
    await bob.waitFor(is('message.updated', (e) => e.id === b.id && e.peer === `alice@${D}` && e.state === 'delivered'));
  });

  it('shows chat states to the peer once both have shown support', async () => {
    const alice = await login('alice', 'typing');
    const bob = await login('bob', 'typing');
    // Alice's first message carries <active/>; Bob's client now knows Alice supports chat states.
    alice.service.sendChat(`bob@${D}/typing`, 'are you there?');
    await bob.waitFor(is('chat.state', (e) => e.peer === `alice@${D}` && e.resource === 'typing' && e.state === 'active'));
    expect(moduleApi<ChatStatesApi>(bob, 'xep0085-chatstates').set(`alice@${D}/typing`, 'composing')).toBe(true);
    await alice.waitFor(is('chat.state', (e) => e.peer === `bob@${D}` && e.resource === 'typing' && e.state === 'composing'));
    const aliceStates = moduleApi<ChatStatesApi>(alice, 'xep0085-chatstates');
    expect(aliceStates.set(`bob@${D}/typing`, 'composing')).toBe(true);
    await bob.waitFor(is('chat.state', (e) => e.peer === `alice@${D}` && e.state === 'composing'));
    expect(aliceStates.set(`bob@${D}/typing`, 'paused')).toBe(true);
    await bob.waitFor(is('chat.state', (e) => e.peer === `alice@${D}` && e.state === 'paused'));
  });

  it('lets the peer see a correction of the original message, and a displayed marker', async () => {
    const alice = await login('alice', 'edit');
    const bob = await login('bob', 'edit');
    const original = alice.service.sendChat(`bob@${D}/edit`, 'But soft, what light through yonder airlock breaks?');
    const got = await bob.waitFor(is('message.received', (e) => e.message.id === original.id));
    const fix = moduleApi<CorrectionApi>(alice, 'xep0308-correction').correct(`bob@${D}/edit`, original.id, 'But soft, what light through yonder window breaks?');
    expect(fix.id).not.toBe(original.id);
    const corrected = await bob.waitFor(is('message.corrected', (e) => e.id === original.id));
    expect(corrected).toEqual({ type: 'message.corrected', peer: `alice@${D}`, id: original.id, body: 'But soft, what light through yonder window breaks?', from: `alice@${D}/edit` });
    // What the store checks: the correction comes from the original's sender (same bare JID).
    expect(corrected.from.split('/')[0]).toBe(got.message.from.split('/')[0]);
    expect(bob.events.some((e) => e.type === 'message.received' && e.message.body.includes('window'))).toBe(false);

    expect(moduleApi<MarkersApi>(bob, 'xep0333-markers').displayed(`alice@${D}/edit`, original.id)).toBe(true);
    await alice.waitFor(is('message.displayed', (e) => e.peer === `bob@${D}` && e.id === original.id));
  });
});
