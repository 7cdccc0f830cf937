// Avatar images on disk, one file per image named by its SHA-1 (the hash XEP-0084 and XEP-0153
// announce): dataDir/avatars/<sha1>. A hash names exactly one image, so a file never changes and
// two contacts with the same picture share it. Files are checked against their name when read (a
// truncated or tampered file is dropped, not shown). Images leave main only as data: URLs of the
// raster types a browser decodes without scripts (never SVG, never a remote URL).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Larger announced images are not cached or shown (a hostile contact could publish megabytes). */
export const MAX_AVATAR_BYTES = 1024 * 1024;

const HASH = /^[0-9a-f]{40}$/;

export type AvatarMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The image type from the bytes themselves (never from what the sender claims). */
export function rasterType(b: Uint8Array): AvatarMediaType | null {
  const starts = (...sig: number[]) => b.length >= sig.length && sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  return null;
}

export const sha1Hex = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex');

/** A data: URL for the image, or null when it is not a raster type we show (or too large). */
export function imageDataUrl(bytes: Uint8Array): string | null {
  const type = rasterType(bytes);
  if (!type || bytes.length > MAX_AVATAR_BYTES) return null;
  return `data:${type};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

export class AvatarCache {
  private readonly dir: string;
  private made?: Promise<unknown>;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'avatars');
  }

  /** The image stored under `hash`, or undefined (not cached, or the file does not match its name). */
  async get(hash: string): Promise<Uint8Array | undefined> {
    if (!HASH.test(hash)) return undefined;
    const file = join(this.dir, hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return undefined;
    }
    if (sha1Hex(bytes) !== hash) {
      await rm(file, { force: true });
      return undefined;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Stores the image under its SHA-1 and returns that hash. Atomic: readers never see half a file. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = sha1Hex(bytes);
    this.made ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.made;
    const file = join(this.dir, hash);
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, file);
    return hash;
  }
}
