import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDirOverride, rendererDir, userConfigRoot, webDataDir } from './app-paths';

describe('app paths', () => {
  it('follows each platform convention', () => {
    expect(userConfigRoot('linux', {}, '/home/a')).toBe('/home/a/.config');
    expect(userConfigRoot('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/a')).toBe('/xdg');
    expect(userConfigRoot('linux', { XDG_CONFIG_HOME: 'relative/dir' }, '/home/a')).toBe('/home/a/.config');
    expect(userConfigRoot('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support');
    expect(userConfigRoot('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming');
  });

  it('web mode has its own profile unless FLINT_DATA_DIR says otherwise', () => {
    expect(webDataDir({}, 'linux', '/home/a')).toBe('/home/a/.config/Flint-web');
    expect(webDataDir({ FLINT_DATA_DIR: '/tmp/p' }, 'linux', '/home/a')).toBe('/tmp/p');
    expect(dataDirOverride({ FLINT_DATA_DIR: 'rel' })).toBe(path.resolve('rel'));
    expect(dataDirOverride({ FLINT_DATA_DIR: '' })).toBeUndefined();
  });

  it('finds the built renderer under the app root', () => {
    expect(rendererDir('/opt/flint/resources/app.asar')).toBe(path.join('/opt/flint/resources/app.asar', 'dist', 'renderer'));
  });
});
