import { describe, expect, it } from 'vitest';
import { extensionOf, isRiskyToOpen } from './risky-files';

describe('isRiskyToOpen', () => {
  it.each([
    'setup.exe', 'SETUP.EXE', 'run.bat', 'x.cmd', 'x.com', 'screensaver.scr', 'installer.msi', 'script.ps1', 'macro.vbs',
    'app.js', 'tool.jar', 'install.sh', 'Flint.app', 'flint.desktop', 'shortcut.lnk', 'Flint.AppImage', 'pkg.deb', 'pkg.rpm',
    'disk.dmg', 'installer.pkg', 'disk.iso', 'page.hta', 'x.url', 'evil.exe.', 'evil.exe  ', 'photo.jpg.exe', 'x.py', 'settings.reg',
  ])('refuses to open %j', (name) => {
    expect(isRiskyToOpen(name, 0o100600, 'linux')).toBe(true);
    expect(isRiskyToOpen(name, undefined, 'win32')).toBe(true);
  });

  it.each(['photo.jpg', 'report.pdf', 'notes.txt', 'song.mp3', 'archive.zip', 'data.tar.gz', 'exe', 'photo.exe.jpg', 'README', 'movie.mkv'])('opens %j', (name) => {
    expect(isRiskyToOpen(name, 0o100644, 'linux')).toBe(false);
    expect(isRiskyToOpen(name, 0o100644, 'win32')).toBe(false);
  });

  it('counts an executable bit on POSIX systems, not on Windows', () => {
    expect(isRiskyToOpen('README', 0o100755, 'linux')).toBe(true);
    expect(isRiskyToOpen('photo.jpg', 0o100700, 'darwin')).toBe(true);
    expect(isRiskyToOpen('photo.jpg', 0o100755, 'win32')).toBe(false);
  });

  it('takes the extension after the last dot, ignoring trailing dots and spaces', () => {
    expect(extensionOf('a.b.C')).toBe('c');
    expect(extensionOf('x.exe. . ')).toBe('exe');
    expect(extensionOf('noext')).toBe('');
  });
});
