import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeyStore } from './file-keystore';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'flint-ks-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileKeyStore', () => {
  it('round-trips, including non-ASCII, and never stores the plain text', () => {
    const ks = FileKeyStore.open(tmp());
    for (const pw of ['hunter2', 'pässwörd ✓ 密码 🔑', 'x'.repeat(1024)]) {
      const sealed = ks.encrypt(pw);
      expect(Buffer.from(sealed).includes(Buffer.from(pw, 'utf8'))).toBe(false);
      expect(ks.decrypt(sealed)).toBe(pw);
    }
  });

  it('uses a fresh IV each time', () => {
    const ks = FileKeyStore.open(tmp());
    expect(Buffer.from(ks.encrypt('same')).equals(Buffer.from(ks.encrypt('same')))).toBe(false);
  });

  it('creates the key with mode 0600 and reuses it across opens', () => {
    const dir = tmp();
    const sealed = FileKeyStore.open(dir).encrypt('secret');
    const keyFile = path.join(dir, 'keystore.key');
    if (process.platform !== 'win32') expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile)).toHaveLength(32);
    expect(FileKeyStore.open(dir).decrypt(sealed)).toBe('secret');
  });

  it('tightens a key file that others can read', () => {
    if (process.platform === 'win32') return;
    const dir = tmp();
    FileKeyStore.open(dir);
    const keyFile = path.join(dir, 'keystore.key');
    chmodSync(keyFile, 0o644);
    FileKeyStore.open(dir);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('refuses tampered data, data sealed with another key, and a damaged key file', () => {
    const a = FileKeyStore.open(tmp());
    const b = FileKeyStore.open(tmp());
    const sealed = a.encrypt('secret');
    const flipped = new Uint8Array(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => a.decrypt(flipped)).toThrow();
    expect(() => b.decrypt(sealed)).toThrow();
    expect(() => a.decrypt(new Uint8Array([1, 2, 3]))).toThrow(/not a sealed secret/);
    const dir = tmp();
    writeFileSync(path.join(dir, 'keystore.key'), 'short');
    expect(() => FileKeyStore.open(dir)).toThrow(/32-byte key file/);
  });
});
