// XEP-0300 algorithm names → node:crypto, and a running hash over the bytes of a transfer.
import { createHash, type Hash } from 'node:crypto';
import type { FileHash, HashAlgo } from '../../core/modules/xep0234-jingle-ft/hashes';

/** node:crypto names of the XEP-0300 algorithms. */
export const NODE_ALGO: Record<HashAlgo, string> = {
  'sha-256': 'sha256',
  'sha-512': 'sha512',
  'sha3-256': 'sha3-256',
  'sha3-512': 'sha3-512',
  'blake2b-512': 'blake2b512',
};

/** Hashes the same bytes with several algorithms (sha-256 always: it is what we announce). */
export class MultiHash {
  private readonly hashes = new Map<HashAlgo, Hash>();

  constructor(algos: HashAlgo[] = []) {
    for (const a of new Set<HashAlgo>(['sha-256', ...algos])) this.hashes.set(a, createHash(NODE_ALGO[a]));
  }

  update(chunk: Uint8Array): void {
    for (const h of this.hashes.values()) h.update(chunk);
  }

  /** Base64 digests (XEP-0300 §3 form). Call once. */
  digest(): Map<HashAlgo, string> {
    const out = new Map<HashAlgo, string>();
    for (const [a, h] of this.hashes) out.set(a, h.digest('base64'));
    return out;
  }
}

/** Compares a computed digest with a claimed one (both base64). */
export function hashMatches(computed: Map<HashAlgo, string>, claimed: FileHash & { algo: HashAlgo }): boolean {
  const mine = computed.get(claimed.algo);
  return mine !== undefined && mine === claimed.value;
}
