import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync, mkdirSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claimUniquePath, createTempFile, insideFolder, moveIntoPlace, numberedName, resolveFolder, sanitizeFileName } from './safe-path';

describe('sanitizeFileName', () => {
  it.each([
    ['../../.bashrc', 'bashrc'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['/etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['C:\\Users\\me\\x.txt', 'x.txt'],
    ['CON', '_CON'],
    ['CON.txt', '_CON.txt'],
    ['nul.tar.gz', '_nul.tar.gz'],
    ['com1.log', '_com1.log'],
    ['LPT9', '_LPT9'],
    ['COM¹.txt', '_COM¹.txt'],
    ['console.txt', 'console.txt'],
    ['a\u202Etxt.exe', 'atxt.exe'],
    ['photo\u2066gpj.exe\u2069', 'photogpj.exe'],
    ['tab\there\nnewline\u0000nul\u007f', 'tabherenewlinenul'],
    ['zero\u200bwidth\ufeff.txt', 'zerowidth.txt'],
    ['trailing.exe. . ', 'trailing.exe'],
    ['   spaced   name  .pdf', 'spaced name .pdf'],
    ['what?<is>:this*|".txt', 'what__is__this___.txt'],
    ['Résumé.pdf', 'Résumé.pdf'],
    ['e\u0301.txt', 'é.txt'],
    ['報告書.docx', '報告書.docx'],
  ])('%j → %j', (raw, safe) => {
    expect(sanitizeFileName(raw)).toBe(safe);
  });

  it('keeps names within 240 UTF-8 bytes, with the extension and whole code points', () => {
    const long = `${'界'.repeat(200)}.txt`;
    const s = sanitizeFileName(long);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(240);
    expect(s.endsWith('.txt')).toBe(true);
    expect(s.startsWith('界')).toBe(true);
    expect(s).not.toContain('\ufffd');
    expect(sanitizeFileName('😀'.repeat(100)).length).toBeGreaterThan(0);
  });

  it('numbers names before the extension', () => {
    expect(numberedName('a.txt', 1)).toBe('a (1).txt');
    expect(numberedName('archive', 2)).toBe('archive (2)');
    expect(numberedName('x.tar.gz', 3)).toBe('x.tar (3).gz');
  });
});

describe('saving inside the chosen folder', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
    vi.restoreAllMocks();
  });
  const folder = async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-safe-'));
    return resolveFolder(dir);
  };

  it('refuses names that would leave the folder', async () => {
    const f = await folder();
    expect(() => insideFolder(f, '../x')).toThrow(/outside/);
    expect(() => insideFolder(f, 'sub/x')).toThrow(/outside/);
    expect(() => insideFolder(f, '..')).toThrow(/outside/);
    expect(insideFolder(f, 'ok.txt')).toBe(path.join(f, 'ok.txt'));
  });

  it('never overwrites: an existing file gets company as "name (1).ext"', async () => {
    const f = await folder();
    writeFileSync(path.join(f, 'a.txt'), 'original');
    writeFileSync(path.join(f, 'a (1).txt'), 'second');
    const p = await claimUniquePath(f, 'a.txt');
    expect(path.basename(p)).toBe('a (2).txt');
    expect(readFileSync(path.join(f, 'a.txt'), 'utf8')).toBe('original');
  });

  it('does not follow a symlink planted under the name', async () => {
    const f = await folder();
    const outside = mkdtempSync(path.join(tmpdir(), 'flint-outside-'));
    try {
      symlinkSync(path.join(outside, 'target'), path.join(f, 'link.txt'));
      const p = await claimUniquePath(f, 'link.txt');
      expect(path.basename(p)).toBe('link (1).txt');
      expect(existsSync(path.join(outside, 'target'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('moves a finished temp file into place under a unique name', async () => {
    const f = await folder();
    writeFileSync(path.join(f, 'b.bin'), 'old');
    const tmp = await createTempFile(f);
    await tmp.handle.writeFile('new');
    await tmp.handle.close();
    const final = await moveIntoPlace(tmp.path, f, 'b.bin');
    expect(path.basename(final)).toBe('b (1).bin');
    expect(readFileSync(final, 'utf8')).toBe('new');
    expect(readFileSync(path.join(f, 'b.bin'), 'utf8')).toBe('old');
    expect(readdirSync(f).sort()).toEqual(['b (1).bin', 'b.bin']);
  });

  it('moves into place past a symlink planted under the name, without following it', async () => {
    const f = await folder();
    const outside = mkdtempSync(path.join(tmpdir(), 'flint-outside-'));
    try {
      symlinkSync(path.join(outside, 'target'), path.join(f, 'c.bin'));
      const tmp = await createTempFile(f);
      await tmp.handle.writeFile('payload');
      await tmp.handle.close();
      const final = await moveIntoPlace(tmp.path, f, 'c.bin');
      expect(path.basename(final)).toBe('c (1).bin');
      expect(readFileSync(final, 'utf8')).toBe('payload');
      expect(existsSync(path.join(outside, 'target'))).toBe(false);
      expect(readdirSync(f).sort()).toEqual(['c (1).bin', 'c.bin']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('on a file system without hard links, claims the name and renames over it', async () => {
    const f = await folder();
    writeFileSync(path.join(f, 'd.bin'), 'old');
    const link = vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error('operation not permitted'), { code: 'EPERM' }));
    const tmp = await createTempFile(f);
    await tmp.handle.writeFile('new');
    await tmp.handle.close();
    const final = await moveIntoPlace(tmp.path, f, 'd.bin');
    expect(link).toHaveBeenCalled();
    expect(path.basename(final)).toBe('d (1).bin');
    expect(readFileSync(final, 'utf8')).toBe('new');
    expect(readFileSync(path.join(f, 'd.bin'), 'utf8')).toBe('old');
    expect(readdirSync(f).sort()).toEqual(['d (1).bin', 'd.bin']);
  });

  it('wants an absolute folder that exists and is a folder', async () => {
    const f = await folder();
    await expect(resolveFolder('relative/dir')).rejects.toThrow(/absolute/);
    writeFileSync(path.join(f, 'plain'), '');
    await expect(resolveFolder(path.join(f, 'plain'))).rejects.toThrow(/not a folder/);
    mkdirSync(path.join(f, 'real'));
    symlinkSync(path.join(f, 'real'), path.join(f, 'alias'));
    await expect(resolveFolder(path.join(f, 'alias'))).resolves.toBe(path.join(f, 'real'));
  });
});
