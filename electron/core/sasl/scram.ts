// SCRAM client: RFC 5802 (SCRAM-SHA-1, -PLUS), RFC 7677 (SCRAM-SHA-256), channel binding types
// of RFC 5929 (tls-unique, tls-server-end-point) and RFC 9266 (tls-exporter).
//
// The messages are returned and taken as text; the SASL layer base64-encodes them for the wire
// (RFC 6120 §6.4.2). Hi() is one native PBKDF2 call through the CryptoPort, not a JS loop.
//
// Iteration count policy (RFC 7677 §4 / RFC 5802 §9: "at least 4096"): any count ≥ 1 is accepted,
// so old servers keep working, but `weakIterationCount` tells the caller when it is below 4096 so
// it can warn. Counts above `maxIterations` (default 1,000,000) are refused: PBKDF2 runs
// synchronously, and a hostile server could otherwise stall the process with i=2^31.

import type { CryptoPort, HashAlg } from '../ports';
import { Base64Error, decodeBase64, encodeBase64 } from '../util/base64';
import { utf8Encode } from '../util/text';
import { SaslPrepError, saslPrep } from './saslprep';

export type ScramHash = HashAlg;
export type ChannelBindingType = 'tls-exporter' | 'tls-server-end-point' | 'tls-unique';
export interface ChannelBinding {
  type: ChannelBindingType;
  data: Uint8Array;
}

/** RFC 7677 §4 / RFC 5802 §9: servers SHOULD use at least this many iterations. */
export const RECOMMENDED_MIN_ITERATIONS = 4096;
export const DEFAULT_MAX_ITERATIONS = 1_000_000;

/** Keys derived from the password, reusable while the server's salt and count stay the same. */
export interface ScramKeys {
  hash: ScramHash;
  /** Base64 salt as the server sent it. */
  salt: string;
  iterations: number;
  clientKey: Uint8Array;
  serverKey: Uint8Array;
}

export interface ScramClientOptions {
  hash: ScramHash;
  username: string;
  password: string;
  crypto: CryptoPort;
  /**
   * Channel binding (RFC 5802 §6): the binding for a -PLUS mechanism; 'client-supports' when the
   * client could bind but the server offered no -PLUS mechanism (GS2 flag "y", which lets a server
   * that does support binding detect a downgrade); undefined for "n".
   */
  channelBinding?: ChannelBinding | 'client-supports';
  /** Fixed client nonce (tests). Default: 18 random bytes, base64 (24 characters). */
  nonce?: string;
  /** Refuse iteration counts above this. Default 1,000,000. */
  maxIterations?: number;
  /** Keys from an earlier login: used instead of PBKDF2 when hash, salt and count match. */
  cachedKeys?: ScramKeys;
}

export type ScramErrorCode = 'saslprep' | 'malformed' | 'nonce' | 'iterations' | 'server-error' | 'server-signature' | 'state';

export class ScramError extends Error {
  readonly code: ScramErrorCode;
  /** The server's reason from "e=" (RFC 5802 §7 server-error-value), when it sent one. */
  readonly serverError: string | undefined;
  constructor(code: ScramErrorCode, message: string, serverError?: string) {
    super(message);
    this.name = 'ScramError';
    this.code = code;
    this.serverError = serverError;
  }
}

export interface ScramClient {
  /** The SASL mechanism name, e.g. "SCRAM-SHA-256-PLUS". */
  readonly mechanism: string;
  /** client-first-message (RFC 5802 §7). */
  initial(): string;
  /** Takes server-first-message, returns client-final-message. */
  challenge(serverFirst: string): string;
  /** Checks server-final-message; throws ScramError unless the server proved it knows the password. */
  verify(serverFinal: string): void;
  /** Iteration count the server asked for (after challenge()). */
  readonly iterations: number | undefined;
  /** True when the server's iteration count is below 4096 (RFC 7677 §4). */
  readonly weakIterationCount: boolean;
  /** Derived keys (after challenge()), for `cachedKeys` on the next login. */
  readonly keys: ScramKeys | undefined;
}

const HASH_LEN: Record<ScramHash, number> = { sha1: 20, sha256: 32 };
// RFC 5802 §7: printable = %x21-2B / %x2D-7E (no comma).
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const POSITIVE_NUMBER = /^[1-9][0-9]*$/;

/** RFC 5802 §5.1 saslname: "=" and "," escaped as "=3D" and "=2C". */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** GS2 header (RFC 5802 §7): "n,,", "y,," or "p=<type>,,". No authzid: XMPP does not need one. */
export function gs2Header(channelBinding: ChannelBinding | 'client-supports' | undefined): string {
  if (channelBinding === undefined) return 'n,,';
  if (channelBinding === 'client-supports') return 'y,,';
  return `p=${channelBinding.type},,`;
}

export function createScramClient(opts: ScramClientOptions): ScramClient {
  const { hash, crypto } = opts;
  if (hash !== 'sha1' && hash !== 'sha256') throw new ScramError('state', `unsupported SCRAM hash "${String(hash)}"`);
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;

  // RFC 5802 §5.1: the user name is prepared as a query, the password (Normalize()) as a stored string.
  const username = prep(opts.username, { allowUnassigned: true, what: 'user name' });
  const password = prep(opts.password, { allowUnassigned: false, what: 'password' });

  const nonce = opts.nonce ?? encodeBase64(crypto.randomBytes(18));
  if (!PRINTABLE.test(nonce)) throw new ScramError('state', 'the client nonce must be printable ASCII without ","');

  const cb = opts.channelBinding;
  const gs2 = gs2Header(cb);
  const mechanism = `SCRAM-SHA-${hash === 'sha1' ? '1' : '256'}${cb !== undefined && cb !== 'client-supports' ? '-PLUS' : ''}`;
  const clientFirstBare = `n=${escapeSaslName(username)},r=${nonce}`;

  let state: 'new' | 'sent-first' | 'sent-final' | 'done' = 'new';
  let iterations: number | undefined;
  let keys: ScramKeys | undefined;
  let expectedServerSignature: Uint8Array | undefined;

  return {
    mechanism,
    get iterations() {
      return iterations;
    },
    get weakIterationCount() {
      return iterations !== undefined && iterations < RECOMMENDED_MIN_ITERATIONS;
    },
    get keys() {
      return keys;
    },

    initial(): string {
      if (state !== 'new') throw new ScramError('state', 'SCRAM: initial() called twice');
      state = 'sent-first';
      return gs2 + clientFirstBare;
    },

    challenge(serverFirst: string): string {
      if (state !== 'sent-first') throw new ScramError('state', 'SCRAM: unexpected server challenge');
      const attrs = parseAttributes(serverFirst, 'server-first-message');
      // RFC 5802 §5.1: an "m" extension we do not understand means the exchange must fail.
      if (attrs[0]?.[0] === 'm') throw new ScramError('malformed', 'the server requires a SCRAM extension this client does not support');
      const [r, s, i] = attrs;
      if (r?.[0] !== 'r' || s?.[0] !== 's' || i?.[0] !== 'i') {
        throw new ScramError('malformed', 'the server sent a malformed SCRAM challenge (expected r=, s=, i=)');
      }
      const combinedNonce = r[1];
      if (!combinedNonce.startsWith(nonce) || combinedNonce.length <= nonce.length) {
        throw new ScramError('nonce', 'the server\'s SCRAM nonce does not extend the client nonce');
      }
      if (!PRINTABLE.test(combinedNonce)) throw new ScramError('malformed', 'the server\'s SCRAM nonce contains invalid characters');
      let salt: Uint8Array;
      try {
        salt = decodeBase64(s[1]);
      } catch (e) {
        if (e instanceof Base64Error) throw new ScramError('malformed', `the server sent an invalid SCRAM salt (${e.message})`);
        throw e;
      }
      if (salt.length === 0) throw new ScramError('malformed', 'the server sent an empty SCRAM salt');
      if (!POSITIVE_NUMBER.test(i[1])) throw new ScramError('malformed', `the server sent an invalid SCRAM iteration count "${i[1]}"`);
      const count = Number(i[1]);
      if (!Number.isSafeInteger(count) || count > maxIterations) {
        throw new ScramError('iterations', `the server asked for ${i[1]} SCRAM iterations, more than the limit of ${maxIterations}`);
      }
      iterations = count;

      const cbInput = cb !== undefined && cb !== 'client-supports' ? concat(utf8Encode(gs2), cb.data) : utf8Encode(gs2);
      const clientFinalNoProof = `c=${encodeBase64(cbInput)},r=${combinedNonce}`;
      const authMessage = utf8Encode(`${clientFirstBare},${serverFirst},${clientFinalNoProof}`);

      const cached = opts.cachedKeys;
      if (cached && cached.hash === hash && cached.salt === s[1] && cached.iterations === count) {
        keys = cached;
      } else {
        // RFC 5802 §3: SaltedPassword := Hi(Normalize(password), salt, i) — PBKDF2 with HMAC.
        const salted = crypto.pbkdf2(hash, utf8Encode(password), salt, count, HASH_LEN[hash]);
        keys = {
          hash,
          salt: s[1],
          iterations: count,
          clientKey: crypto.hmac(hash, salted, utf8Encode('Client Key')),
          serverKey: crypto.hmac(hash, salted, utf8Encode('Server Key')),
        };
      }
      const storedKey = crypto.hash(hash, keys.clientKey);
      const clientSignature = crypto.hmac(hash, storedKey, authMessage);
      const proof = xor(keys.clientKey, clientSignature);
      expectedServerSignature = crypto.hmac(hash, keys.serverKey, authMessage);
      state = 'sent-final';
      return `${clientFinalNoProof},p=${encodeBase64(proof)}`;
    },

    verify(serverFinal: string): void {
      if (state !== 'sent-final' || !expectedServerSignature) throw new ScramError('state', 'SCRAM: server-final-message before the client-final-message');
      const attrs = parseAttributes(serverFinal, 'server-final-message');
      const first = attrs[0];
      if (first?.[0] === 'e') {
        state = 'done';
        throw new ScramError('server-error', `the server rejected the SCRAM authentication: ${first[1]}`, first[1]);
      }
      if (first?.[0] !== 'v') throw new ScramError('malformed', 'the server sent a malformed SCRAM outcome (expected v= or e=)');
      let signature: Uint8Array;
      try {
        signature = decodeBase64(first[1]);
      } catch (e) {
        if (e instanceof Base64Error) throw new ScramError('malformed', `the server sent an invalid SCRAM signature (${e.message})`);
        throw e;
      }
      state = 'done';
      if (!constantTimeEqual(signature, expectedServerSignature)) {
        throw new ScramError('server-signature', 'the server could not prove that it knows the password (SCRAM server signature mismatch): possible impostor server');
      }
    },
  };
}

function prep(value: string, opts: { allowUnassigned: boolean; what: string }): string {
  let out: string;
  try {
    out = saslPrep(value, opts);
  } catch (e) {
    if (e instanceof SaslPrepError) throw new ScramError('saslprep', `cannot use this ${opts.what}: ${e.message}`);
    throw e;
  }
  // RFC 5802 §5.1: abort when preparation results in an empty string.
  if (out === '') throw new ScramError('saslprep', `the ${opts.what} is empty`);
  return out;
}

/** Split "a=v,b=w" into [name, value] pairs (RFC 5802 §7: attr-val = ALPHA "=" value). */
function parseAttributes(message: string, what: string): [string, string][] {
  const out: [string, string][] = [];
  for (const part of message.split(',')) {
    if (part.length < 2 || part[1] !== '=' || !/^[A-Za-z]$/.test(part[0] as string)) {
      throw new ScramError('malformed', `the server sent a malformed SCRAM ${what}`);
    }
    out.push([part[0] as string, part.slice(2)]);
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = (a[k] as number) ^ (b[k] as number);
  return out;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let k = 0; k < a.length; k++) diff |= (a[k] as number) ^ (b[k] as number);
  return diff === 0;
}
