// Issue 6, Jingle file transfer (XEP-0234) between two Flint sessions: SOCKS5 direct and through
// proxy65 (XEP-0260), IBB as the offered transport and as the fallback when no SOCKS5 candidate
// works (XEP-0261, transport-replace), decline, cancel on either side, a hash that does not match,
// and the automatic method choice (Jingle first, SI for SI-only peers, HTTP upload otherwise).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IbbApi, JingleAction, JingleApi } from '../electron/core/modules';
import { FlintPeer, type FlintPeerOptions } from '../electron/main/transfers/testing/flint-peer';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { runSlixmppPeer } from './harness/slixmpp';
import { emptied } from './support/files';

const FILE_PEER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness', 'peers', 'file_peer.py');

describe('Jingle file transfer (XEP-0234 + XEP-0260/0261) between two Flint sessions', () => {
  let server: ProsodyServer;
  let dir: string;
  const peers: FlintPeer[] = [];
  let n = 0;
  const flint = async (user: 'alice' | 'bob', extra: Partial<FlintPeerOptions['transfers']> = {}) => {
    const p = await FlintPeer.connect({
      jid: `${user}@example.test`,
      password: user,
      resource: `j${++n}`,
      host: '127.0.0.1',
      port: server.c2sPort,
      caPem: server.caCertPem,
      transfers: { directAddresses: ['127.0.0.1'], timeouts: { connect: 2000, offer: 30_000, idle: 10_000 }, http: { allowHttp: true }, ...extra },
    });
    peers.push(p);
    return p;
  };
  const file = (name: string, size: number) => {
    const content = randomBytes(size);
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return { path: p, content };
  };
  const folder = () => mkdtempSync(path.join(dir, 'dl-'));

  beforeAll(async () => {
    server = await startProsody({ proxy65: true, httpFileShare: true });
    await server.registerMany([
      { user: 'alice', pass: 'alice' },
      { user: 'bob', pass: 'bob' },
      { user: 'sli', pass: 'sli' },
    ]);
    // Mutual subscriptions, so presence (and caps) flow for the automatic choice.
    await server.writeRoster('alice', [{ jid: 'bob@example.test' }, { jid: 'sli@example.test' }]);
    await server.writeRoster('bob', [{ jid: 'alice@example.test' }]);
    await server.writeRoster('sli', [{ jid: 'alice@example.test' }]);
    dir = mkdtempSync(path.join(tmpdir(), 'flint-jingle-'));
  });

  // Each test has its own sessions: a bare-JID send must not reach an earlier test's resource.
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
  });

  afterAll(async () => {
    await server?.stop({ graceful: false });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const transfer = async (alice: FlintPeer, bob: FlintPeer, size: number, opts: { transport?: 'auto' | 'socks5' | 'ibb' } = {}) => {
    const f = file(`j-${++n}.bin`, size);
    const t = await alice.transfers.send(bob.jid, f.path, { method: 'jingle', ...opts });
    const offer = await bob.nextOffer();
    expect(offer).toMatchObject({ method: 'jingle', name: path.basename(f.path), size, peerJid: alice.jid });
    const target = folder();
    await bob.transfers.accept(offer.id, target);
    const [sent, got] = await Promise.all([alice.settled(t.id), bob.settled(offer.id)]);
    expect(got.error).toBeUndefined();
    expect(sent.error).toBeUndefined();
    expect(readFileSync(got.path!).equals(f.content)).toBe(true);
    return { sent, got };
  };

  it('SOCKS5 direct on 127.0.0.1, hash checked', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    const { sent, got } = await transfer(alice, bob, 5 * 1024 * 1024 + 1);
    expect(sent).toMatchObject({ state: 'done', method: 'jingle', transport: 'socks5-direct' });
    expect(got).toMatchObject({ state: 'done', transport: 'socks5-direct' });
  });

  it('SOCKS5 through proxy65 when neither side offers a direct address', async () => {
    const alice = await flint('alice', { directAddresses: [] });
    const bob = await flint('bob', { directAddresses: [] });
    const { sent, got } = await transfer(alice, bob, 2 * 1024 * 1024 + 7);
    expect(sent.transport).toBe('socks5-proxy');
    expect(got.transport).toBe('socks5-proxy');
  });

  it('falls back to IBB (transport-replace) when no SOCKS5 candidate works', async () => {
    const alice = await flint('alice', { directAddresses: [], useProxy: false });
    const bob = await flint('bob', { directAddresses: [], useProxy: false });
    const { sent, got } = await transfer(alice, bob, 700_001);
    expect(sent.transport).toBe('ibb');
    expect(got.transport).toBe('ibb');
  });

  it('IBB when the sender asks for it', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    const { sent } = await transfer(alice, bob, 300_000, { transport: 'ibb' });
    expect(sent.transport).toBe('ibb');
  });

  it('decline: the sender hears it', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    const f = file('nope.bin', 10);
    const t = await alice.transfers.send(bob.jid, f.path, { method: 'jingle' });
    const offer = await bob.nextOffer();
    bob.transfers.decline(offer.id);
    const res = await alice.settled(t.id);
    expect(res, JSON.stringify(res)).toMatchObject({ state: 'declined', error: { code: 'declined' } });
  });

  it('the sender withdraws before the receiver answered', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    const f = file('withdrawn.bin', 10);
    const t = await alice.transfers.send(bob.jid, f.path, { method: 'jingle' });
    const offer = await bob.nextOffer();
    alice.transfers.cancel(t.id);
    expect(await bob.settled(offer.id, 5000)).toMatchObject({ state: 'failed', error: { code: 'cancelled-by-peer' } });
  });

  it('cancel on either side mid-transfer: the other side is told, nothing partial is kept', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    for (const who of ['sender', 'receiver'] as const) {
      const f = file(`cancel-${who}.bin`, 16 * 1024 * 1024);
      const t = await alice.transfers.send(bob.jid, f.path, { method: 'jingle', transport: 'ibb' });
      const offer = await bob.nextOffer();
      const target = folder();
      await bob.transfers.accept(offer.id, target);
      await bob.waitFor((e) => e.type === 'transfer.progress' && e.id === offer.id && e.bytes > 0);
      if (who === 'sender') alice.transfers.cancel(t.id);
      else bob.transfers.cancel(offer.id);
      const other = who === 'sender' ? await bob.settled(offer.id) : await alice.settled(t.id);
      expect(other).toMatchObject({ state: 'failed', error: { code: 'cancelled-by-peer' } });
      expect(await emptied(target)).toEqual([]);
    }
  });

  it('a file whose hash does not match the offer is deleted and the sender told (media-error)', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    const content = randomBytes(50_000);
    const wrong = createHash('sha256').update('something else').digest('base64');
    const jingle = alice.api<JingleApi>('xep0234-jingle-ft');
    const sid = 'hash-lie-1';
    const terminated = new Promise<JingleAction>((resolve) => {
      void jingle
        .initiate(bob.jid, sid, {
          creator: 'initiator',
          name: 'a-file-offer',
          senders: 'initiator',
          file: { name: 'lie.bin', size: content.length, hashes: [{ algo: 'sha-256', value: wrong }] },
          transport: { kind: 'ibb', sid: 'ibb-lie-1', blockSize: 4096 },
        })
        .then(() =>
          jingle.listen(sid, (a) => {
            if (a.action === 'session-accept') {
              void (async () => {
                const out = await alice.api<IbbApi>('xep0047-ibb').open(bob.jid, 'ibb-lie-1', { blockSize: 4096 });
                for (let i = 0; i < content.length; i += 4096) await out.write(content.subarray(i, i + 4096));
                await out.close();
              })();
            }
            if (a.action === 'session-terminate') resolve(a);
          }),
        );
    });
    const offer = await bob.nextOffer();
    const target = folder();
    await bob.transfers.accept(offer.id, target);
    expect(await bob.settled(offer.id)).toMatchObject({ state: 'failed', error: { code: 'hash-mismatch' } });
    expect((await terminated).reason).toMatchObject({ condition: 'media-error', text: expect.stringMatching(/hash/) });
    expect(readdirSync(target)).toEqual([]);
  });

  it('automatic choice: Jingle to a Flint contact, SI to a slixmpp contact, upload when Jingle and SI both fail', async () => {
    const alice = await flint('alice');
    const bob = await flint('bob');
    // bob's presence (with caps) reaches alice through the roster subscription
    const until = Date.now() + 10_000;
    while (!alice.events.some((e) => e.type === 'presence.changed' && e.updates.some((u) => u.jid === 'bob@example.test' && u.resource === bob.jid.split('/')[1])) && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const f = file('auto.bin', 100_000);
    const t = await alice.transfers.send('bob@example.test', f.path);
    const offer = await bob.nextOffer();
    expect(offer.method).toBe('jingle');
    await bob.transfers.accept(offer.id, folder());
    expect(await alice.settled(t.id)).toMatchObject({ state: 'done', method: 'jingle', peerJid: bob.jid, attempts: [] });

    const sli = runSlixmppPeer(FILE_PEER, ['--jid', 'sli@example.test', '--password', 'sli', '--port', String(server.c2sPort), '--ca', server.caCertPath, '--prefer', 'socks5', '--auto', 'accept']);
    try {
      const online = await sli.waitFor((l) => l.event === 'online');
      const until2 = Date.now() + 10_000;
      while (!alice.events.some((e) => e.type === 'presence.changed' && e.updates.some((u) => `${u.jid}/${u.resource}` === online.jid)) && Date.now() < until2) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const t2 = await alice.transfers.send('sli@example.test', f.path);
      const got = await sli.waitFor((l) => l.event === 'received');
      expect(got.sha256).toBe(createHash('sha256').update(f.content).digest('hex'));
      expect(await alice.settled(t2.id)).toMatchObject({ state: 'done', method: 'si', peerJid: online.jid });
    } finally {
      await sli.stop();
    }

    // A contact who never answers: with a short offer timeout the Jingle offer and then the SI
    // offer time out, and the file goes by HTTP upload — reported with the attempts before it.
    const quiet = await flint('alice', { timeouts: { offer: 1500, connect: 1000, idle: 5000 } });
    const t3 = await quiet.transfers.send(bob.jid, f.path);
    const res = await quiet.settled(t3.id, 30_000);
    expect(res.attempts.map((a) => a.method)).toEqual(['jingle', 'si']);
    expect(res.attempts[0]!.error).toMatch(/no answer/);
    expect(res).toMatchObject({ state: 'done', method: 'upload', transport: 'http' });
  });
});
