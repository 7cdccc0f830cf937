import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkFolder, DownloadFolder, forbiddenFolder } from './download-folder';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});
const root = () => {
  const r = mkdtempSync(path.join(tmpdir(), 'flint-dl-'));
  roots.push(r);
  return r;
};
// Root may write anywhere: the permission check can only fail for other users.
const isRoot = process.getuid?.() === 0;

describe('checkFolder', () => {
  it('accepts an existing folder, normalized (a symlink to a folder too)', async () => {
    const r = root();
    mkdirSync(path.join(r, 'a'));
    symlinkSync(path.join(r, 'a'), path.join(r, 'link'));
    expect(await checkFolder(`${r}/a/../a/`)).toBe(path.join(r, 'a'));
    expect(await checkFolder(path.join(r, 'link'))).toBe(path.join(r, 'link'));
  });

  it.each([
    ['relative', 'Downloads', /must be a full path, not "Downloads"/],
    ['dot-relative', './x', /must be a full path/],
    ['empty', '', /must be a full path/],
  ])('refuses a %s path', async (_label, folder, message) => {
    await expect(checkFolder(folder)).rejects.toThrow(message);
  });

  it('refuses a missing folder and a file', async () => {
    const r = root();
    writeFileSync(path.join(r, 'file.txt'), 'x');
    await expect(checkFolder(path.join(r, 'nope'))).rejects.toThrow(`The folder ${path.join(r, 'nope')} does not exist.`);
    await expect(checkFolder(path.join(r, 'file.txt'))).rejects.toThrow(`${path.join(r, 'file.txt')} is not a folder.`);
  });

  it.skipIf(isRoot)('refuses a folder it cannot write to', async () => {
    const r = root();
    const ro = path.join(r, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    await expect(checkFolder(ro)).rejects.toThrow(`Flint cannot write to the folder ${ro}.`);
    chmodSync(ro, 0o700);
  });
});

describe('DownloadFolder', () => {
  it('uses the default until a folder is set, and keeps the choice in the profile', async () => {
    const r = root();
    const data = path.join(r, 'profile');
    mkdirSync(data);
    const def = path.join(r, 'Downloads');
    const chosen = path.join(r, 'Files');
    mkdirSync(chosen);
    const f = new DownloadFolder(data, def);
    expect(f.current).toBe(def);
    await expect(f.set('relative/path')).rejects.toThrow(/full path/);
    await expect(f.set(path.join(r, 'missing'))).rejects.toThrow(/does not exist/);
    expect(f.current).toBe(def);
    expect(await f.set(chosen)).toBe(chosen);
    expect(JSON.parse(readFileSync(path.join(data, 'transfer-settings.json'), 'utf8'))).toEqual({ downloadFolder: chosen });
    expect(new DownloadFolder(data, def).current).toBe(chosen);
  });

  it('creates the default folder when missing, but not a chosen one that is gone', async () => {
    const r = root();
    const def = path.join(r, 'home', 'Downloads');
    const f = new DownloadFolder(r, def);
    expect(await f.forAccept()).toBe(def);
    expect(existsSync(def)).toBe(true);
    const chosen = path.join(r, 'usb-stick');
    mkdirSync(chosen);
    await f.set(chosen);
    rmSync(chosen, { recursive: true });
    await expect(f.forAccept()).rejects.toThrow(`The folder ${chosen} does not exist. Choose another download folder in Settings.`);
    expect(existsSync(chosen)).toBe(false);
  });

  it('ignores a settings file that is broken or holds a relative path', () => {
    const r = root();
    const def = path.join(r, 'Downloads');
    writeFileSync(path.join(r, 'transfer-settings.json'), '{"downloadFolder": "../../etc"}');
    expect(new DownloadFolder(r, def).current).toBe(def);
    writeFileSync(path.join(r, 'transfer-settings.json'), '{not json');
    expect(new DownloadFolder(r, def).current).toBe(def);
    writeFileSync(path.join(r, 'transfer-settings.json'), '{"downloadFolder": 42}');
    expect(new DownloadFolder(r, def).current).toBe(def);
  });
});

describe('forbiddenFolder', () => {
  it.each([
    ['/home/me/.config/autostart', /hidden folders \(\.config\)/],
    ['/home/me/.ssh', /hidden folders \(\.ssh\)/],
    ['/home/me/autostart', /into autostart: files there run when you log in/],
    ['/Users/me/Library/LaunchAgents', /into LaunchAgents/],
    ['/Library/LaunchDaemons', /into LaunchDaemons/],
    ['C:\\Users\\me\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup', /into Startup/],
  ])('refuses %s', (folder, message) => {
    expect(forbiddenFolder(folder)).toMatch(message);
  });

  it.each(['/home/me/Downloads', '/home/me/Documents/Startup', 'C:\\Users\\me\\Downloads', '/media/usb stick/files', '/tmp/flint-dl-x'])('allows %s', (folder) => {
    expect(forbiddenFolder(folder)).toBeNull();
  });

  it('checkFolder resolves symlinks before deciding', async () => {
    const r = root();
    const hidden = path.join(r, '.config', 'autostart');
    mkdirSync(hidden, { recursive: true });
    symlinkSync(hidden, path.join(r, 'innocent'));
    await expect(checkFolder(path.join(r, 'innocent'))).rejects.toThrow(/hidden folders \(\.config\)/);
    await expect(new DownloadFolder(r, path.join(r, 'Downloads')).set(path.join(r, 'innocent'))).rejects.toThrow(/hidden folders/);
  });
});
