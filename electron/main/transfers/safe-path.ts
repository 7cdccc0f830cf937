// Where a received file may be written, and under which name (issue 6, Safety). The name comes
// from the sender and is hostile until proven otherwise: no directories, no '..', no Windows device
// names, no control or bidi characters (U+202E turns "a\u202Etxt.exe" into "aexe.txt" on screen),
// no trailing dots or spaces (Windows drops them, so "x.exe." would run as x.exe). The file lands
// only inside the folder the user chose, and never replaces an existing file.
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Most file systems allow 255 bytes per name; UTF-8 counts here. */
const MAX_NAME_BYTES = 240;

// C0, DEL, C1; bidi embeddings/overrides/isolates and marks; zero-width and BOM; line/paragraph separators.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;
/** Reserved on Windows (and awkward everywhere). */
const RESERVED_CHARS = /[<>:"|?*]/g;
/** Windows device names, also with an extension ("CON.txt") and the superscript-digit forms. */
const DEVICE = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * A safe, non-empty file name from what a sender claims: the last path segment only, invisible and
 * reserved characters removed, leading dots (hidden files, '..') and trailing dots/spaces trimmed,
 * device names prefixed with '_', at most MAX_NAME_BYTES of UTF-8 with the extension kept.
 */
export function sanitizeFileName(raw: string, fallback = 'file'): string {
  let s = String(raw).normalize('NFC');
  s = s.replace(INVISIBLE, '');
  // Both separators, whatever the platform: a Windows sender's "..\\..\\x" is a path on Windows.
  const parts = s.split(/[/\\]/);
  s = parts[parts.length - 1] ?? '';
  s = s.replace(RESERVED_CHARS, '_');
  s = s.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  s = s.replace(/\s+/g, ' ');
  if (s === '') s = fallback;
  const stem = s.split('.')[0]!.trim();
  if (DEVICE.test(stem)) s = `_${s}`;
  return truncateName(s);
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Cuts the stem (never the extension, when it is short) to fit MAX_NAME_BYTES, on a code point boundary. */
function truncateName(name: string): string {
  if (utf8Length(name) <= MAX_NAME_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = ext ? name.slice(0, dot) : name;
  const chars = Array.from(stem);
  while (chars.length > 1 && utf8Length(chars.join('') + ext) > MAX_NAME_BYTES) chars.pop();
  stem = chars.join('');
  return stem + ext;
}

/** "name (n).ext" — the suffix goes before the extension so the file still opens with the same app. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  const hasExt = dot > 0 && dot < name.length - 1;
  const stem = hasExt ? name.slice(0, dot) : name;
  const ext = hasExt ? name.slice(dot) : '';
  return truncateName(`${stem} (${n})${ext}`);
}

export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/** The real path of the chosen folder (symlinks resolved); throws when it is not a directory. */
export async function resolveFolder(folder: string): Promise<string> {
  if (!path.isAbsolute(folder)) throw new UnsafePathError('the download folder must be an absolute path');
  const real = await fsp.realpath(folder);
  const st = await fsp.stat(real);
  if (!st.isDirectory()) throw new UnsafePathError('the download folder is not a folder');
  return real;
}

/** `folder/name`, checked to be directly inside `folder` (resolve + compare), for a name already sanitized. */
export function insideFolder(realFolder: string, name: string): string {
  const target = path.resolve(realFolder, name);
  if (path.dirname(target) !== realFolder || path.basename(target) !== name) throw new UnsafePathError(`refusing to write outside the download folder: ${name}`);
  return target;
}

/**
 * Claims a new, empty file for `name` in `realFolder` with O_CREAT|O_EXCL (so an existing file —
 * or a symlink planted under that name — is never opened, let alone overwritten), trying
 * "name (1).ext", "name (2).ext", … Returns the claimed path.
 */
export function claimUniquePath(realFolder: string, name: string): Promise<string> {
  return firstFreeName(realFolder, name, async (candidate) => {
    const fh = await fsp.open(candidate, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
    await fh.close();
  });
}

/**
 * Tries `claim` on "name", "name (1).ext", "name (2).ext", … and returns the first name it claimed;
 * `claim` fails with EEXIST for a taken name (any other error is thrown).
 */
async function firstFreeName(realFolder: string, name: string, claim: (candidate: string) => Promise<void>): Promise<string> {
  for (let n = 0; n < 10_000; n++) {
    const candidate = insideFolder(realFolder, n === 0 ? name : numberedName(name, n));
    try {
      await claim(candidate);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new UnsafePathError(`no free name for ${name}`);
}

/** A hidden temporary file next to where the file will go (same file system, so the final move is a rename). */
export async function createTempFile(realFolder: string): Promise<{ path: string; handle: fsp.FileHandle }> {
  for (let i = 0; i < 5; i++) {
    const p = insideFolder(realFolder, `.flint-${randomBytes(8).toString('hex')}.part`);
    try {
      const handle = await fsp.open(p, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      return { path: p, handle };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new UnsafePathError('could not create a temporary file');
}

/**
 * Moves a finished temp file to a new unique name in the folder; returns the final path.
 *
 * A hard link under the new name, then the temp name removed: link(2) fails with EEXIST instead of
 * replacing anything (a symlink planted under the name included, it is not followed), so claiming
 * the unique name and filling it are one step. Not a rename over an empty file claimed first: ext4
 * (its default auto_da_alloc) starts writeback of the whole renamed file when a rename replaces an
 * existing one, and waits while it queues it — ≈ 0.4 s per GiB here, a sixth of a 1 GiB transfer
 * (docs/PERFORMANCE.md, "File transfer"). File systems without hard links (FAT, exFAT, some
 * network shares) take that way: claim the name with O_EXCL, then rename over it.
 */
export async function moveIntoPlace(tempPath: string, realFolder: string, name: string): Promise<string> {
  let candidate: string;
  try {
    candidate = await firstFreeName(realFolder, name, (p) => fsp.link(tempPath, p));
  } catch (e) {
    if (e instanceof UnsafePathError) throw e;
    // No hard links on this file system (EPERM, ENOTSUP, …): the claim-and-rename way.
    return claimAndRename(tempPath, realFolder, name);
  }
  try {
    await fsp.unlink(tempPath);
  } catch (e) {
    // Not two names for one file: undo, and let the caller report (and delete the temp file).
    await fsp.rm(candidate, { force: true });
    throw e;
  }
  return candidate;
}

async function claimAndRename(tempPath: string, realFolder: string, name: string): Promise<string> {
  const finalPath = await claimUniquePath(realFolder, name);
  try {
    // Replaces only the empty file we just claimed.
    await fsp.rename(tempPath, finalPath);
  } catch (e) {
    await fsp.rm(finalPath, { force: true });
    throw e;
  }
  return finalPath;
}
