import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/ports';
import { decodeBase64Strict, StagingArea, type StagingOptions } from './transfer-staging';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function area(extra: Partial<StagingOptions> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'flint-stage-'));
  roots.push(root);
  const dir = path.join(root, 'outgoing');
  return { dir, staging: new StagingArea({ dir, log: silentLogger, freeBytes: async () => 1024 ** 4, ...extra }) };
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('decodeBase64Strict', () => {
  it.each([
    ['', ''],
    ['aGk=', 'hi'],
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8h', 'hello!'],
    ['+/+/', Buffer.from([0xfb, 0xff, 0xbf]).toString('latin1')],
  ])('decodes %j', (data, text) => {
    expect(decodeBase64Strict(data).toString('latin1')).toBe(text);
  });

  it.each(['aGk', 'aGk=a', 'a=Gk', '====', 'aG k=', 'aGk=\n', 'aGVsbG8-', 'aGVsbG8_', 'aG=k', 'aGVsbG8=aGk='])('refuses %j', (data) => {
    expect(() => decodeBase64Strict(data)).toThrow('The chunk is not valid base64.');
  });
});

describe('StagingArea', () => {
  it('writes chunks in order into <dir>/<stageId>/<sanitized name> and hands the complete file over', async () => {
    const { dir, staging } = area();
    const id = await staging.begin('../../evil\u202Etxt.sh', 11, 'text/plain');
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    await staging.chunk(id, 0, b64('hello '));
    await staging.chunk(id, 6, b64('world'));
    const { file, settle } = await staging.take(id);
    expect(file).toEqual({ stageId: id, dir: path.join(dir, id), path: path.join(dir, id, 'eviltxt.sh'), name: 'eviltxt.sh', size: 11, mediaType: 'text/plain' });
    expect(readFileSync(file.path, 'utf8')).toBe('hello world');
    settle(true);
    expect(staging.count).toBe(0);
    expect(staging.contains(file.path)).toBe(true);
    expect(staging.contains(path.join(dir, '..', 'x'))).toBe(false);
    await staging.release(file);
    expect(existsSync(file.dir)).toBe(false);
  });

  it('accepts pipelined chunks and writes them in order', async () => {
    const { staging } = area();
    const parts = Array.from({ length: 20 }, (_, i) => Buffer.alloc(1000 + i, i));
    const total = parts.reduce((n, p) => n + p.length, 0);
    const id = await staging.begin('pipe.bin', total);
    let offset = 0;
    await Promise.all(
      parts.map((p) => {
        const at = offset;
        offset += p.length;
        return staging.chunk(id, at, b64(p));
      }),
    );
    const { file } = await staging.take(id);
    expect(readFileSync(file.path).equals(Buffer.concat(parts))).toBe(true);
  });

  it('refuses a gap, a repeat, more than declared and bad base64, with the bytes so far unchanged', async () => {
    const { staging } = area();
    const id = await staging.begin('a.txt', 8);
    await staging.chunk(id, 0, b64('abcd'));
    await expect(staging.chunk(id, 5, b64('x'))).rejects.toThrow('Staged data out of order: expected offset 4, got 5.');
    await expect(staging.chunk(id, 0, b64('abcd'))).rejects.toThrow('expected offset 4, got 0');
    await expect(staging.chunk(id, 4, b64('efghi'))).rejects.toThrow('More data than the declared size of 8 bytes.');
    await expect(staging.chunk(id, 4, 'ZWZn*A==')).rejects.toThrow('not valid base64');
    await expect(staging.take(id)).rejects.toThrow('The file is not completely staged yet (4 of 8 bytes).');
    await staging.chunk(id, 4, b64('efgh'));
    await expect(staging.chunk(id, 8, '')).rejects.toThrow('already completely staged');
    const { file } = await staging.take(id);
    expect(readFileSync(file.path, 'utf8')).toBe('abcdefgh');
  });

  it('an unknown or aborted stage is refused; abort deletes the file', async () => {
    const { dir, staging } = area();
    await expect(staging.chunk('nosuchstage1', 0, '')).rejects.toThrow('No such staged file');
    const id = await staging.begin('x.bin', 4);
    await staging.chunk(id, 0, b64('ab'));
    expect(readdirSync(dir)).toEqual([id]);
    await staging.abort(id);
    expect(readdirSync(dir)).toEqual([]);
    await expect(staging.chunk(id, 2, b64('cd'))).rejects.toThrow('No such staged file');
    await expect(staging.take(id)).rejects.toThrow('No such staged file');
    await staging.abort(id); // again: nothing to do
  });

  it('a file of zero bytes is complete at once', async () => {
    const { staging } = area();
    const id = await staging.begin('empty.txt', 0);
    const { file } = await staging.take(id);
    expect(readFileSync(file.path).length).toBe(0);
  });

  it('limits the stages open at once, counting those waiting to be sent', async () => {
    const { staging } = area({ maxStages: 3 });
    const ids = [await staging.begin('1', 1), await staging.begin('2', 1), await staging.begin('3', 0)];
    await expect(staging.begin('4', 1)).rejects.toThrow('Too many files are being prepared at once (at most 3)');
    // A sent stage leaves the count (its transfer owns it now); an aborted one too.
    (await staging.take(ids[2]!)).settle(true);
    const four = await staging.begin('4', 1);
    await expect(staging.begin('5', 1)).rejects.toThrow('Too many');
    await staging.abort(four);
    await staging.begin('5', 1);
  });

  it('refuses a file that would not fit on the disk with what other stages still have to write', async () => {
    const { staging } = area({ freeBytes: async () => 1000, reserveBytes: 100 });
    const id = await staging.begin('a', 600);
    await expect(staging.begin('b', 301)).rejects.toThrow('Not enough free disk space');
    await staging.chunk(id, 0, b64(Buffer.alloc(300)));
    // The free space must cover b, the 300 bytes a has still to write, and the reserve (the fake disk does not fill up).
    await staging.begin('b', 300);
  });

  it('a stage handed to a sender cannot be written, aborted or sent again; settle(false) gives it back', async () => {
    const { staging } = area();
    const id = await staging.begin('s.txt', 2);
    await staging.chunk(id, 0, b64('ok'));
    const first = await staging.take(id);
    await expect(staging.take(id)).rejects.toThrow('already being sent');
    await staging.abort(id);
    expect(existsSync(first.file.path)).toBe(true);
    first.settle(false);
    const again = await staging.take(id);
    expect(again.file.path).toBe(first.file.path);
  });

  it('removes stages left idle', async () => {
    const { dir, staging } = area({ idleMs: 30 });
    const id = await staging.begin('idle.bin', 10);
    await staging.chunk(id, 0, b64('12345'));
    const until = Date.now() + 2000;
    while ((staging.count > 0 || readdirSync(dir).length > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(staging.count).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    await expect(staging.chunk(id, 5, b64('67890'))).rejects.toThrow('No such staged file');
  });

  it('removes what an earlier run left behind before the first new stage, and everything on dispose', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'flint-stage-'));
    roots.push(root);
    const dir = path.join(root, 'outgoing');
    mkdirSync(path.join(dir, 'oldstage123'), { recursive: true });
    writeFileSync(path.join(dir, 'oldstage123', 'left.bin'), 'x');
    const staging = new StagingArea({ dir, log: silentLogger, freeBytes: async () => 1024 ** 3 });
    const id = await staging.begin('new.bin', 3);
    expect(readdirSync(dir)).toEqual([id]);
    const done = await staging.begin('done.bin', 0);
    (await staging.take(done)).settle(false);
    await staging.dispose();
    expect(readdirSync(dir)).toEqual([]);
    await expect(staging.begin('late.bin', 1)).rejects.toThrow('shutting down');
  });

  it('release() deletes only folders directly inside the staging folder', async () => {
    const { dir, staging } = area();
    const outside = path.join(path.dirname(dir), 'keep');
    mkdirSync(outside);
    await staging.release({ dir: outside });
    await staging.release({ dir: path.join(dir, 'a', '..', '..', 'keep') });
    expect(existsSync(outside)).toBe(true);
  });
});
