// Issue 6, stream initiation (XEP-0095/0096) over SOCKS5 (XEP-0065: direct and via Prosody's
// proxy65) and IBB (XEP-0047): Flint ↔ python3-slixmpp in both directions, and Flint ↔ Flint,
// with decline and cancel on either side.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlintPeer, type FlintPeerOptions } from '../electron/main/transfers/testing/flint-peer';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { runSlixmppPeer, type SlixmppPeer } from './harness/slixmpp';
import { emptied } from './support/files';

const FILE_PEER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'harness', 'peers', 'file_peer.py');
const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
describe('SI file transfer (XEP-0095/0096) over SOCKS5 and IBB', () => {
  let server: ProsodyServer;
  let dir: string;
  const flints: FlintPeer[] = [];
  const slix: SlixmppPeer[] = [];
  let n = 0;

  const flint = async (user: 'alice' | 'bob', extra: Partial<FlintPeerOptions['transfers']> = {}) => {
    const p = await FlintPeer.connect({
      jid: `${user}@example.test`,
      password: user,
      resource: `r${++n}`,
      host: '127.0.0.1',
      port: server.c2sPort,
      caPem: server.caCertPem,
      transfers: { directAddresses: ['127.0.0.1'], timeouts: { connect: 3000, offer: 30_000, idle: 10_000 }, ...extra },
    });
    flints.push(p);
    return p;
  };
  const slixmpp = async (args: string[]) => {
    const p = runSlixmppPeer(FILE_PEER, ['--jid', 'sli@example.test', '--password', 'sli', '--port', String(server.c2sPort), '--ca', server.caCertPath, ...args]);
    slix.push(p);
    const online = await p.waitFor((l) => l.event === 'online');
    return { peer: p, jid: online.jid as string };
  };
  const file = (name: string, size: number) => {
    const content = randomBytes(size);
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return { path: p, content };
  };
  const folder = () => mkdtempSync(path.join(dir, 'dl-'));

  beforeAll(async () => {
    server = await startProsody({ proxy65: true });
    await server.registerMany([
      { user: 'alice', pass: 'alice' },
      { user: 'bob', pass: 'bob' },
      { user: 'sli', pass: 'sli' },
    ]);
    dir = mkdtempSync(path.join(tmpdir(), 'flint-si-'));
  });

  afterAll(async () => {
    await Promise.all([...flints.map((f) => f.close()), ...slix.map((s) => s.stop())]);
    await server?.stop({ graceful: false });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Flint → slixmpp over SOCKS5: slixmpp connects to our direct 127.0.0.1 streamhost', async () => {
    const { peer, jid } = await slixmpp(['--prefer', 'socks5', '--auto', 'accept']);
    const alice = await flint('alice');
    const f = file('direct.bin', 3 * 1024 * 1024 + 5);
    const t = await alice.transfers.send(jid, f.path, { method: 'si' });
    const got = await peer.waitFor((l) => l.event === 'received');
    expect(got).toMatchObject({ method: 'socks5', size: f.content.length, sha256: hex(f.content) });
    expect(await alice.settled(t.id)).toMatchObject({ state: 'done', method: 'si', transport: 'socks5-direct', bytes: f.content.length });
    await peer.stop();
    await alice.close();
  });

  it('Flint → slixmpp over SOCKS5 through proxy65 when we offer no direct address', async () => {
    const { peer, jid } = await slixmpp(['--prefer', 'socks5', '--auto', 'accept']);
    const alice = await flint('alice', { directAddresses: [] });
    const f = file('proxied.bin', 2 * 1024 * 1024 + 3);
    const t = await alice.transfers.send(jid, f.path, { method: 'si' });
    const got = await peer.waitFor((l) => l.event === 'received');
    expect(got).toMatchObject({ method: 'socks5', size: f.content.length, sha256: hex(f.content) });
    expect(await alice.settled(t.id)).toMatchObject({ state: 'done', transport: 'socks5-proxy' });
    await peer.stop();
    await alice.close();
  });

  it('Flint → slixmpp over IBB when that is what slixmpp picks', async () => {
    const { peer, jid } = await slixmpp(['--prefer', 'ibb', '--auto', 'accept']);
    const alice = await flint('alice');
    const f = file('inband.bin', 300_000);
    const t = await alice.transfers.send(jid, f.path, { method: 'si' });
    const got = await peer.waitFor((l) => l.event === 'received');
    expect(got).toMatchObject({ method: 'ibb', size: f.content.length, sha256: hex(f.content) });
    // slixmpp accepts at most 65535-byte blocks (raised in the peer); Flint proposed 32 KiB.
    expect(await alice.settled(t.id)).toMatchObject({ state: 'done', transport: 'ibb' });
    await peer.stop();
    await alice.close();
  });

  it('slixmpp → Flint over SOCKS5 (slixmpp offers the proxy) and over IBB', async () => {
    const { peer } = await slixmpp(['--prefer', 'socks5', '--auto', 'manual']);
    const alice = await flint('alice');
    for (const method of ['socks5', 'ibb'] as const) {
      const f = file(`from-slixmpp-${method}.bin`, 1024 * 1024 + 11);
      peer.send({ cmd: 'send', to: alice.jid, path: f.path, method });
      const offer = await alice.nextOffer();
      expect(offer).toMatchObject({ method: 'si', peer: 'sli@example.test', name: path.basename(f.path), size: f.content.length, state: 'offered' });
      const target = folder();
      await alice.transfers.accept(offer.id, target);
      const res = await alice.settled(offer.id);
      expect(res).toMatchObject({ state: 'done', transport: method === 'socks5' ? 'socks5-proxy' : 'ibb' });
      expect(readFileSync(res.path!).equals(f.content)).toBe(true);
      await peer.waitFor((l) => l.event === 'sent');
    }
    await peer.stop();
    await alice.close();
  });

  it('declines both ways: Flint declines slixmpp, slixmpp declines Flint', async () => {
    const { peer, jid } = await slixmpp(['--auto', 'decline']);
    const alice = await flint('alice');
    const f = file('unwanted.txt', 100);
    const t = await alice.transfers.send(jid, f.path, { method: 'si' });
    expect(await alice.settled(t.id)).toMatchObject({ state: 'declined', error: { code: 'declined' } });

    peer.send({ cmd: 'send', to: alice.jid, path: f.path, method: 'both' });
    const offer = await alice.nextOffer();
    alice.transfers.decline(offer.id);
    await peer.waitFor((l) => l.event === 'declined');
    await peer.stop();
    await alice.close();
  });

  describe('between two Flint accounts', () => {
    let alice: FlintPeer;
    let bob: FlintPeer;
    beforeAll(async () => {
      alice = await flint('alice');
      bob = await flint('bob');
    });

    const roundTrip = async (size: number, transport: 'socks5' | 'ibb', expected: string) => {
      const f = file(`flint-${transport}-${size}.bin`, size);
      const t = await alice.transfers.send(bob.jid, f.path, { method: 'si', transport });
      const offer = await bob.nextOffer();
      const target = folder();
      await bob.transfers.accept(offer.id, target);
      const [sent, got] = await Promise.all([alice.settled(t.id), bob.settled(offer.id)]);
      expect(sent).toMatchObject({ state: 'done', transport: expected });
      expect(got).toMatchObject({ state: 'done', transport: expected });
      expect(readFileSync(got.path!).equals(f.content)).toBe(true);
    };

    it('SOCKS5 direct', () => roundTrip(4 * 1024 * 1024, 'socks5', 'socks5-direct'));
    it('IBB, windowed', () => roundTrip(1024 * 1024 + 1, 'ibb', 'ibb'));

    it('the sender cancels mid-transfer: the receiver says so and keeps nothing', async () => {
      const f = file('cancel-sender.bin', 8 * 1024 * 1024);
      const t = await alice.transfers.send(bob.jid, f.path, { method: 'si', transport: 'ibb' });
      const offer = await bob.nextOffer();
      const target = folder();
      await bob.transfers.accept(offer.id, target);
      await bob.waitFor((e) => e.type === 'transfer.progress' && e.id === offer.id && e.bytes > 0);
      alice.transfers.cancel(t.id);
      expect(alice.transfers.get(t.id)).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
      const got = await bob.settled(offer.id);
      expect(got.state).toBe('failed');
      expect(got.error?.code).toBe('cancelled-by-peer');
      expect(await emptied(target)).toEqual([]);
    });

    it('the receiver cancels mid-transfer: the sender says so', async () => {
      const f = file('cancel-receiver.bin', 8 * 1024 * 1024);
      const t = await alice.transfers.send(bob.jid, f.path, { method: 'si', transport: 'ibb' });
      const offer = await bob.nextOffer();
      const target = folder();
      await bob.transfers.accept(offer.id, target);
      await bob.waitFor((e) => e.type === 'transfer.progress' && e.id === offer.id && e.bytes > 0);
      bob.transfers.cancel(offer.id);
      const sent = await alice.settled(t.id);
      expect(sent.state).toBe('failed');
      expect(sent.error?.code).toBe('cancelled-by-peer');
      expect(bob.transfers.get(offer.id)).toMatchObject({ state: 'cancelled' });
      expect(await emptied(target)).toEqual([]);
    });
  });
});
