// Passwords are stored only through a KeyStore: Electron safeStorage in the app
// (electron/main/electron/safe-storage.ts), a test keystore under plain Node. Never in plain text.
export interface KeyStore {
  /** False when the OS offers no secure storage: then "Remember password" is refused, not downgraded. */
  isAvailable(): boolean;
  encrypt(plain: string): Uint8Array;
  decrypt(sealed: Uint8Array): string;
}
