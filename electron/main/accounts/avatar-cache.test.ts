import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AvatarCache, imageDataUrl, MAX_AVATAR_BYTES, rasterType } from './avatar-cache';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('avatar images', () => {
  it('recognises raster types by their bytes only', () => {
    expect(rasterType(PNG)).toBe('image/png');
    expect(rasterType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(rasterType(Buffer.from('GIF89a....'))).toBe('image/gif');
    expect(rasterType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(rasterType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(rasterType(new Uint8Array())).toBeNull();
  });

  it('makes data: URLs for raster images only, and not for huge ones', () => {
    expect(imageDataUrl(PNG)).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(imageDataUrl(Buffer.from('<svg onload="alert(1)"/>'))).toBeNull();
    const big = Buffer.alloc(MAX_AVATAR_BYTES + 1);
    PNG.copy(big);
    expect(imageDataUrl(big)).toBeNull();
  });
});

describe('AvatarCache', () => {
  const make = () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-avatars-'));
    dirs.push(dir);
    return { dir, cache: new AvatarCache(dir) };
  };

  it('stores an image under its SHA-1 and reads it back', async () => {
    const { dir, cache } = make();
    expect(await cache.get(sha1(PNG))).toBeUndefined();
    expect(await cache.put(PNG)).toBe(sha1(PNG));
    expect(Buffer.from((await cache.get(sha1(PNG)))!)).toEqual(PNG);
    expect(readdirSync(join(dir, 'avatars'))).toEqual([sha1(PNG)]);
  });

  it('drops a file that does not match its name instead of showing it', async () => {
    const { dir, cache } = make();
    await cache.put(PNG);
    const file = join(dir, 'avatars', sha1(PNG));
    writeFileSync(file, Buffer.from('tampered'));
    expect(await cache.get(sha1(PNG))).toBeUndefined();
    expect(readdirSync(join(dir, 'avatars'))).toEqual([]);
  });

  it('refuses names that are not hashes (no path tricks)', async () => {
    const { cache } = make();
    expect(await cache.get('../../etc/passwd')).toBeUndefined();
    expect(await cache.get('A'.repeat(40))).toBeUndefined();
  });
});
