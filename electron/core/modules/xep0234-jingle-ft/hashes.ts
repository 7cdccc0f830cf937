// XEP-0300: Use of Cryptographic Hash Functions in XMPP — https://xmpp.org/extensions/xep-0300.html
// Namespace urn:xmpp:hashes:2. <hash algo='sha-256'>base64</hash>; <hash-used algo/> announces the
// algorithm before the value is known (XEP-0234 §7.1 checksum later).
import { x, type XmlElement } from '../../xml/element';
import { decodeBase64, encodeBase64 } from '../../util/base64';

export const HASHES_NS = 'urn:xmpp:hashes:2';

/** Algorithms we compute and check. §4: sha-1 MUST NOT be relied on; md5 is not in the registry. */
export const TRUSTED_HASH_ALGOS = ['sha-256', 'sha-512', 'sha3-256', 'sha3-512', 'blake2b-512'] as const;
export type HashAlgo = (typeof TRUSTED_HASH_ALGOS)[number];

export interface FileHash {
  /** IANA "Hash Function Textual Names" as in §3, e.g. 'sha-256'. */
  algo: string;
  /** Base64 of the digest, as on the wire. */
  value: string;
}

const EXPECTED_BYTES: Record<HashAlgo, number> = { 'sha-256': 32, 'sha-512': 64, 'sha3-256': 32, 'sha3-512': 64, 'blake2b-512': 64 };

export const isTrustedAlgo = (algo: string): algo is HashAlgo => (TRUSTED_HASH_ALGOS as readonly string[]).includes(algo);

/**
 * The <hash/> children of `parent` (§3). Values that are not base64, or whose length does not fit
 * the algorithm, are dropped: a garbled hash could only ever produce a false "mismatch".
 */
export function parseHashes(parent: XmlElement | undefined): FileHash[] {
  if (!parent) return [];
  const out: FileHash[] = [];
  for (const h of parent.elements('hash', HASHES_NS)) {
    const algo = (h.attr('algo') ?? '').trim().toLowerCase();
    const value = h.text().replace(/\s+/g, '');
    if (!algo || !value || algo.length > 32) continue;
    let bytes: Uint8Array;
    try {
      bytes = decodeBase64(value);
    } catch {
      continue;
    }
    if (isTrustedAlgo(algo) && bytes.length !== EXPECTED_BYTES[algo]) continue;
    if (out.some((o) => o.algo === algo)) continue; // the first one counts; a second cannot make it pass
    out.push({ algo, value });
  }
  return out;
}

export function buildHash(h: FileHash): XmlElement {
  return x('hash', { xmlns: HASHES_NS, algo: h.algo }, h.value);
}

export function buildHashUsed(algo: string): XmlElement {
  return x('hash-used', { xmlns: HASHES_NS, algo });
}

/** The strongest hash in `hashes` we can check, or undefined (then nothing can be verified). */
export function pickHash(hashes: FileHash[]): (FileHash & { algo: HashAlgo }) | undefined {
  for (const algo of TRUSTED_HASH_ALGOS) {
    const h = hashes.find((c) => c.algo === algo);
    if (h) return { algo, value: h.value };
  }
  return undefined;
}

export const hashValue = (digest: Uint8Array): string => encodeBase64(digest);
