// Issue 6, HTTP File Upload (XEP-0363) against Prosody's mod_http_file_share: send and receive
// with the hash checked, the size limit, a lying sender (hash, size), hostile names.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadApi } from '../electron/core/modules';
import { FlintPeer } from '../electron/main/transfers/testing/flint-peer';
import { startProsody, type ProsodyServer } from './harness/prosody';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

describe('HTTP file upload between two Flint accounts (Prosody http_file_share)', () => {
  let server: ProsodyServer;
  let alice: FlintPeer;
  let bob: FlintPeer;
  let dir: string;
  const folder = () => mkdtempSync(path.join(dir, 'dl-'));

  beforeAll(async () => {
    server = await startProsody({ httpFileShare: true });
    await server.registerMany([
      { user: 'alice', pass: 'a' },
      { user: 'bob', pass: 'b' },
    ]);
    dir = mkdtempSync(path.join(tmpdir(), 'flint-upload-'));
    const common = { host: '127.0.0.1', port: server.c2sPort, caPem: server.caCertPem, transfers: { http: { allowHttp: true } } };
    alice = await FlintPeer.connect({ ...common, jid: 'alice@example.test', password: 'a', resource: 'pc' });
    bob = await FlintPeer.connect({ ...common, jid: 'bob@example.test', password: 'b', resource: 'laptop' });
  });

  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.stop({ graceful: false });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, shares the link with name, size, type and SHA-256, and the receiver downloads it only on accept', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 17);
    const file = path.join(dir, 'holiday photo.jpg');
    writeFileSync(file, content);
    const out = await alice.transfers.send('bob@example.test', file, { method: 'upload' });
    const sent = await alice.settled(out.id);
    expect(sent).toMatchObject({ state: 'done', method: 'upload', transport: 'http', bytes: content.length, size: content.length });
    expect(sent.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+holiday%20photo\.jpg$/);

    const offer = await bob.nextOffer();
    expect(offer).toMatchObject({ direction: 'in', state: 'offered', method: 'upload', peer: 'alice@example.test', name: 'holiday photo.jpg', size: content.length, mediaType: 'image/jpeg', url: sent.url });
    const raw = bob.events.find((e) => e.type === 'file.offered');
    expect(raw && raw.type === 'file.offered' && raw.offer.hashes).toEqual([{ algo: 'sha-256', value: sha256(content) }]);

    const target = folder();
    expect(readdirSync(target)).toEqual([]); // nothing written before accept
    await bob.transfers.accept(offer.id, target);
    const got = await bob.settled(offer.id);
    expect(got).toMatchObject({ state: 'done', bytes: content.length });
    expect(got.path).toBe(path.join(target, 'holiday photo.jpg'));
    expect(readFileSync(got.path!).equals(content)).toBe(true);
    // progress events were reported along the way, ending at the full size
    const progress = bob.transferEvents.filter((e) => e.type === 'transfer.progress' && e.id === offer.id);
    expect(progress.at(-1)).toMatchObject({ bytes: content.length, size: content.length });

    // the same file again: a unique name, never an overwrite
    const again = await alice.transfers.send('bob@example.test', file, { method: 'upload' });
    await alice.settled(again.id);
    const offer2 = await bob.nextOffer();
    await bob.transfers.accept(offer2.id, target);
    expect((await bob.settled(offer2.id)).path).toBe(path.join(target, 'holiday photo (1).jpg'));
    expect(readFileSync(path.join(target, 'holiday photo.jpg')).equals(content)).toBe(true);
  });

  it('refuses a file above the server’s limit before uploading a byte, with the limit in MB', async () => {
    const big = path.join(dir, 'big.iso');
    writeFileSync(big, '');
    truncateSync(big, 300 * 1024 * 1024); // sparse: larger than the 256 MiB limit, costs no disk
    const out = await alice.transfers.send('bob@example.test', big, { method: 'upload' });
    const res = await alice.settled(out.id);
    expect(res.state).toBe('failed');
    expect(res.error).toEqual({ code: 'too-large', message: 'file too large: limit is 256 MB' });
    expect(res.bytes).toBe(0);
  });

  it('deletes a download whose hash does not match what the sender announced', async () => {
    const content = randomBytes(200_000);
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, content);
    const out = await alice.transfers.send('bob@example.test', file, { method: 'upload' });
    const { url } = await alice.settled(out.id);
    await bob.nextOffer();
    // The same link shared again with a lie about its hash.
    alice.api<UploadApi>('xep0363-upload').share('bob@example.test', url!, { name: 'report.pdf', size: content.length, hashes: [{ algo: 'sha-256', value: sha256(Buffer.from('something else')) }] });
    const offer = await bob.nextOffer();
    const target = folder();
    await bob.transfers.accept(offer.id, target);
    const res = await bob.settled(offer.id);
    expect(res.state).toBe('failed');
    expect(res.error?.code).toBe('hash-mismatch');
    expect(readdirSync(target)).toEqual([]);
  });

  it('cuts off a download larger than declared and deletes the partial file', async () => {
    const content = randomBytes(2 * 1024 * 1024);
    const file = path.join(dir, 'movie.mp4');
    writeFileSync(file, content);
    const out = await alice.transfers.send('bob@example.test', file, { method: 'upload' });
    const { url } = await alice.settled(out.id);
    await bob.nextOffer();
    alice.api<UploadApi>('xep0363-upload').share('bob@example.test', url!, { name: 'movie.mp4', size: 1000, hashes: [] });
    const offer = await bob.nextOffer();
    expect(offer.size).toBe(1000);
    const target = folder();
    await bob.transfers.accept(offer.id, target);
    const res = await bob.settled(offer.id);
    expect(res.state).toBe('failed');
    expect(res.error?.code).toBe('size-mismatch');
    expect(readdirSync(target)).toEqual([]);
  });

  it('saves hostile names harmlessly inside the chosen folder', async () => {
    const content = randomBytes(1000);
    const file = path.join(dir, 'innocent.txt');
    writeFileSync(file, content);
    const out = await alice.transfers.send('bob@example.test', file, { method: 'upload' });
    const { url } = await alice.settled(out.id);
    await bob.nextOffer();
    const target = folder();
    const names: [string, string][] = [
      ['../../.bashrc', 'bashrc'],
      ['CON.txt', '_CON.txt'],
      ['a\u202Etxt.exe', 'atxt.exe'],
      ['..\\..\\evil.dll', 'evil.dll'],
      ['trailing. . ', 'trailing'],
    ];
    for (const [hostile, safe] of names) {
      alice.api<UploadApi>('xep0363-upload').share('bob@example.test', url!, { name: hostile, size: content.length, hashes: [{ algo: 'sha-256', value: sha256(content) }] });
      const offer = await bob.nextOffer();
      expect(offer.name).toBe(safe);
      await bob.transfers.accept(offer.id, target);
      const res = await bob.settled(offer.id);
      expect(res.state).toBe('done');
      expect(res.path).toBe(path.join(target, safe));
    }
    expect(readdirSync(target).sort()).toEqual(names.map(([, s]) => s).sort());
    expect(readdirSync(path.dirname(target)).some((n) => n.includes('bashrc'))).toBe(false);
  });

  it('declining a link fetches nothing', async () => {
    alice.api<UploadApi>('xep0363-upload').share('bob@example.test', `http://127.0.0.1:${server.httpPort}/nothing`, { name: 'x.bin', hashes: [] });
    const offer = await bob.nextOffer();
    bob.transfers.decline(offer.id);
    expect(bob.transfers.get(offer.id)).toMatchObject({ state: 'declined', error: { code: 'declined' } });
  });
});
