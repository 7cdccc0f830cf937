// FileKeyStore: the KeyStore for web mode (`npm run web`) and tests, where Electron's safeStorage
// (the OS keychain) is not available. Passwords are sealed with AES-256-GCM under a random key
// kept in a file beside the profile (mode 0600). That keeps them out of plain text and out of
// backups of the accounts file alone, but anyone who can read the profile directory can read the
// key too: it is NOT a substitute for the OS keychain, and the desktop app never uses it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { KeyStore } from './keystore';

const KEY_FILE = 'keystore.key';
const KEY_BYTES = 32;
const IV_BYTES = 12; // NIST SP 800-38D §8.2: 96-bit IVs for GCM
const TAG_BYTES = 16;
const VERSION = 1;

export class FileKeyStore implements KeyStore {
  private constructor(private readonly key: Buffer) {}

  /** Opens the key in `dir`, creating it (0600) on first use. */
  static open(dir: string): FileKeyStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, KEY_FILE);
    let fd: number;
    try {
      // 'wx': create only if absent, so two processes never overwrite each other's key.
      fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(KEY_BYTES));
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size !== KEY_BYTES) throw new Error(`${file} is not a ${KEY_BYTES}-byte key file`);
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(file, 0o600);
    } finally {
      closeSync(fd);
    }
    return new FileKeyStore(readFileSync(file));
  }

  isAvailable(): boolean {
    return true;
  }

  /** version (1) ‖ IV (12) ‖ tag (16) ‖ ciphertext */
  encrypt(plain: string): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from([VERSION]));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]));
  }

  decrypt(sealed: Uint8Array): string {
    const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new Error('not a sealed secret of this keystore');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(buf.subarray(0, 1));
    decipher.setAuthTag(buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    // final() throws when the tag does not match: tampered data or another key.
    return Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
