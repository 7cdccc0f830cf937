// The desktop app's KeyStore: Electron safeStorage, i.e. the OS keychain (macOS Keychain, Windows
// DPAPI, libsecret/KWallet on Linux). Use only after app 'ready'.
import { safeStorage } from 'electron';
import type { KeyStore } from '../accounts/keystore';

export class SafeStorageKeyStore implements KeyStore {
  isAvailable(): boolean {
    if (!safeStorage.isEncryptionAvailable()) return false;
    // On Linux without a keyring Chromium falls back to 'basic_text': a key hard-coded in the
    // browser, i.e. obfuscation. We refuse to remember passwords then rather than pretend.
    if (process.platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      return backend !== 'basic_text' && backend !== 'unknown';
    }
    return true;
  }

  encrypt(plain: string): Uint8Array {
    if (!this.isAvailable()) throw new Error('No secure storage is available on this system.');
    return new Uint8Array(safeStorage.encryptString(plain));
  }

  decrypt(sealed: Uint8Array): string {
    return safeStorage.decryptString(Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength));
  }
}
