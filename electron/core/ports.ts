// What electron/core needs from the outside world. The core imports no Node or Electron module:
// the shell (electron/main) passes implementations of these in; tests pass deterministic ones.

export type HashAlg = 'sha1' | 'sha256';

export interface CryptoPort {
  randomBytes(n: number): Uint8Array;
  hash(alg: HashAlg, data: Uint8Array): Uint8Array;
  hmac(alg: HashAlg, key: Uint8Array, data: Uint8Array): Uint8Array;
  /** PBKDF2-HMAC (RFC 8018), done natively in one call: SCRAM's Hi(). */
  pbkdf2(alg: HashAlg, password: Uint8Array, salt: Uint8Array, iterations: number, keyLen: number): Uint8Array;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export type LogFields = Record<string, string | number | boolean | undefined>;
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
