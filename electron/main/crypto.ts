// The CryptoPort (electron/core/ports.ts) on node:crypto. PBKDF2 is one native call, which is
// what makes SCRAM's Hi() cheap compared with a JavaScript HMAC loop.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { CryptoPort, HashAlg } from '../core/ports';

// Node returns Buffers; callers in the core get plain Uint8Array views of the same memory, so
// nothing comes to depend on Buffer methods that the core's types do not declare.
function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

const NODE_NAME: Record<HashAlg, string> = { sha1: 'sha1', sha256: 'sha256' };

export const nodeCrypto: CryptoPort = {
  randomBytes(n) {
    return view(randomBytes(n));
  },
  hash(alg, data) {
    return view(createHash(NODE_NAME[alg]).update(data).digest());
  },
  hmac(alg, key, data) {
    return view(createHmac(NODE_NAME[alg], key).update(data).digest());
  },
  pbkdf2(alg, password, salt, iterations, keyLen) {
    return view(pbkdf2Sync(password, salt, iterations, keyLen, NODE_NAME[alg]));
  },
};
