import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink } from './file-sink';

const b64 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

describe('FileSink', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const open = (o: Partial<Parameters<typeof FileSink.open>[0]> = {}) => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-sink-'));
    return FileSink.open({ folder: dir, name: 'a.bin', maxSize: 1 << 30, ...o });
  };

  it('writes nothing visible until finish, then moves a verified file into place', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 3);
    const sink = await open({ name: '../evil/a.bin', expectedSize: data.length, expectedHash: { algo: 'sha-256', value: b64(data) } });
    for (let i = 0; i < data.length; i += 65536) await sink.write(data.subarray(i, i + 65536));
    expect(readdirSync(dir).every((n) => n.startsWith('.flint-'))).toBe(true);
    const res = await sink.finish();
    expect(res).toEqual({ path: path.join(dir, 'a.bin'), size: data.length, sha256: b64(data) });
    expect(readFileSync(res.path).equals(data)).toBe(true);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('cuts off a sender that goes past the declared size and leaves nothing behind', async () => {
    const sink = await open({ expectedSize: 10 });
    sink.write(Buffer.alloc(8));
    expect(() => sink.write(Buffer.alloc(3))).toThrow(/more than the 10 bytes/);
    await sink.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a Content-Length above the limit before a byte', async () => {
    const sink = await open({ maxSize: 100 });
    expect(() => sink.checkTotal(101)).toThrow(/larger than the 100 bytes/);
    await sink.abort();
  });

  it('fails a short transfer and a wrong hash (given at the end, XEP-0234 checksum), deleting the file', async () => {
    const short = await open({ expectedSize: 10 });
    short.write(Buffer.alloc(5));
    await expect(short.finish()).rejects.toMatchObject({ code: 'size-mismatch' });
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
    const lied = await open();
    lied.write(Buffer.from('hello'));
    await expect(lied.finish({ algo: 'sha-256', value: b64(Buffer.from('HELLO')) })).rejects.toMatchObject({ code: 'hash-mismatch' });
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
    // A big file (several flushes and slots) with a declared size, one flipped bit.
    const data = randomBytes(5 * 1024 * 1024 + 11);
    const claimed = b64(data);
    data.writeUInt8(data.readUInt8(4 * 1024 * 1024) ^ 1, 4 * 1024 * 1024);
    const damaged = await open({ expectedSize: data.length });
    for (let i = 0; i < data.length; i += 100_000) await damaged.write(data.subarray(i, i + 100_000));
    await expect(damaged.finish({ algo: 'sha-256', value: claimed })).rejects.toMatchObject({ code: 'hash-mismatch' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not check hashes it cannot trust (sha-1), and still saves', async () => {
    const sink = await open();
    sink.write(Buffer.from('x'));
    const res = await sink.finish({ algo: 'sha-1', value: 'AAAA' });
    expect(readFileSync(res.path, 'utf8')).toBe('x');
  });
});
