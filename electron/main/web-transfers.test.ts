// Issue 6 parts of web mode (web.ts): the default download folder and Open / Show in folder.
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../core/ports';
import { fileOpeners, webDownloadFolder } from './web';

describe('webDownloadFolder', () => {
  it('is FLINT_DOWNLOAD_DIR when absolute, else ~/Downloads', () => {
    expect(webDownloadFolder({ FLINT_DOWNLOAD_DIR: '/srv/flint/dl' })).toBe('/srv/flint/dl');
    expect(webDownloadFolder({ FLINT_DOWNLOAD_DIR: 'relative/dl' })).toBe(path.join(homedir(), 'Downloads'));
    expect(webDownloadFolder({})).toBe(path.join(homedir(), 'Downloads'));
  });
});

describe('fileOpeners', () => {
  it('with FLINT_OPEN_EXTERNAL=log only logs the path (tests, headless machines)', async () => {
    const lines: [string, LogFields | undefined][] = [];
    const log: Logger = { debug: () => {}, info: (m, f) => void lines.push([m, f]), warn: () => {}, error: () => {} };
    const o = fileOpeners(log, { FLINT_OPEN_EXTERNAL: 'log' });
    await o.openPath('/home/me/Downloads/photo.jpg');
    await o.showItemInFolder('/home/me/Downloads/photo.jpg');
    expect(lines).toEqual([
      ['transfer.open', { path: '/home/me/Downloads/photo.jpg' }],
      ['transfer.showInFolder', { path: '/home/me/Downloads/photo.jpg' }],
    ]);
  });
});
