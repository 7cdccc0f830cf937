import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { receiveFromSocket, sendOverSocket, type StreamIo } from './bytestreams';
import { FileSink } from './file-sink';
import { socketPair } from './testing/socket-pair';
import { DEFAULT_HASH_THREAD_MIN_BYTES, DEFAULT_HASH_THREAD_MIN_CORES, setHashThreadMinBytes, setHashThreadMinCores } from './hash-pool';

const b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');
const io = (signal = new AbortController().signal): StreamIo => ({ signal, progress: () => undefined, idleTimeoutMs: 5000 });

// The sender hashes inline (small files) or on a thread (big ones; threshold 0 here puts every file there).
describe.each([
  ['inline', Infinity],
  ['hash thread', 0],
])('SOCKS5 bytestream file to file (sender hashing %s)', (_mode, threshold) => {
  beforeAll(() => {
    setHashThreadMinBytes(threshold);
    setHashThreadMinCores(1);
  });
  afterAll(() => {
    setHashThreadMinBytes(DEFAULT_HASH_THREAD_MIN_BYTES);
    setHashThreadMinCores(DEFAULT_HASH_THREAD_MIN_CORES);
  });
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const setup = (data: Buffer) => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-bs-'));
    const src = path.join(dir, 'src.bin');
    writeFileSync(src, data);
    const folder = path.join(dir, 'in');
    mkdirSync(folder);
    return { src, folder };
  };

  it('moves the file, reports the SHA-256 early and at the end, and the receiver verifies it', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 5); // more slots than the sender's pool has
    const { src, folder } = setup(data);
    const [a, b] = await socketPair();
    const sink = await FileSink.open({ folder, name: 'x.bin', expectedSize: data.length, maxSize: 1 << 30 });
    let early: string | undefined;
    const [sent] = await Promise.all([
      sendOverSocket(a, src, data.length, io(), { onDigest: (d) => (early = d) }),
      receiveFromSocket(b, sink, data.length, io()),
    ]);
    expect(sent).toBe(b64(data));
    expect(early).toBe(sent);
    const res = await sink.finish({ algo: 'sha-256', value: sent });
    expect(readFileSync(res.path).equals(data)).toBe(true);
  });

  it('fails the sender when the receiver hangs up early, and the receiver when the sender does', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const { src, folder } = setup(data);
    const [a, b] = await socketPair();
    const sink = await FileSink.open({ folder, name: 'x.bin', expectedSize: data.length * 2, maxSize: 1 << 30 });
    const receiving = receiveFromSocket(b, sink, data.length * 2, io());
    // The sender claims twice the bytes the file has: it notices at the end of the file.
    await expect(sendOverSocket(a, src, data.length * 2, io())).rejects.toMatchObject({ code: 'file-error' });
    await expect(receiving).rejects.toMatchObject({ code: 'cancelled-by-peer' });
    await sink.abort();
    expect(readdirSync(folder)).toEqual([]);

    const [c, d] = await socketPair();
    const sending = sendOverSocket(c, src, data.length, io());
    d.destroy();
    await expect(sending).rejects.toMatchObject({ code: 'cancelled-by-peer' });
  });

  it('cuts off a sender that sends more than declared, leaving no partial file', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const { src, folder } = setup(data);
    const [a, b] = await socketPair();
    // The receiver was told 1000 bytes (less than the first loopback segment); the sender streams 3 MiB.
    const sink = await FileSink.open({ folder, name: 'x.bin', expectedSize: 1000, maxSize: 1 << 30 });
    const receiving = receiveFromSocket(b, sink, 1000, io());
    const sending = sendOverSocket(a, src, data.length, io());
    await expect(receiving).rejects.toMatchObject({ code: 'size-mismatch' });
    await expect(sending).rejects.toMatchObject({ code: 'cancelled-by-peer' });
    await sink.abort();
    expect(readdirSync(folder)).toEqual([]);
  });
});
