// A deterministic CryptoPort for unit tests: real SHA-1 / SHA-256 / HMAC / PBKDF2 (FIPS 180-4,
// RFC 2104, RFC 8018) written in plain TypeScript, because electron/core may not import node:crypto,
// and a seeded generator instead of randomness so tests repeat exactly. Not for production use:
// the shell passes the native implementation.
import type { CryptoPort, HashAlg } from '../ports';

const rotl = (v: number, n: number): number => (v << n) | (v >>> (32 - n));
const rotr = (v: number, n: number): number => (v >>> n) | (v << (32 - n));

/** Message padding shared by SHA-1 and SHA-256: 0x80, zeros, 64-bit big-endian bit length. */
function pad(data: Uint8Array): DataView {
  const len = Math.ceil((data.length + 9) / 64) * 64;
  const buf = new Uint8Array(len);
  buf.set(data);
  buf[data.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = data.length * 8;
  view.setUint32(len - 8, Math.floor(bits / 0x100000000));
  view.setUint32(len - 4, bits >>> 0);
  return view;
}

function digest(words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0));
  return out;
}

export function sha1(data: Uint8Array): Uint8Array {
  const view = pad(data);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Array<number>(80);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1);
    let [a, b, c, d, e] = h as [number, number, number, number, number];
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20 ? [(b & c) | (~b & d), 0x5a827999] : i < 40 ? [b ^ c ^ d, 0x6ed9eba1] : i < 60 ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc] : [b ^ c ^ d, 0xca62c1d6];
      const t = (rotl(a, 5) + f + e + k + w[i]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
  }
  return digest(h);
}

const K256 = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

export function sha256(data: Uint8Array): Uint8Array {
  const view = pad(data);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Array<number>(64);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15]!;
      const w2 = w[i - 2]!;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h as [number, number, number, number, number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i]! + w[i]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i]! + v) | 0));
  }
  return digest(h);
}

const hashFn = (alg: HashAlg): ((d: Uint8Array) => Uint8Array) => (alg === 'sha1' ? sha1 : sha256);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function hmac(alg: HashAlg, key: Uint8Array, data: Uint8Array): Uint8Array {
  const h = hashFn(alg);
  const block = 64; // both SHA-1 and SHA-256 use 64-byte blocks
  const k = new Uint8Array(block);
  k.set(key.length > block ? h(key) : key);
  const ipad = k.map((b) => b ^ 0x36);
  const opad = k.map((b) => b ^ 0x5c);
  return h(concat(opad, h(concat(ipad, data))));
}

export function pbkdf2(alg: HashAlg, password: Uint8Array, salt: Uint8Array, iterations: number, keyLen: number): Uint8Array {
  const out = new Uint8Array(keyLen);
  let filled = 0;
  for (let block = 1; filled < keyLen; block++) {
    const idx = new Uint8Array([block >>> 24, (block >>> 16) & 0xff, (block >>> 8) & 0xff, block & 0xff]);
    let u = hmac(alg, password, concat(salt, idx));
    const t = u.slice();
    for (let i = 1; i < iterations; i++) {
      u = hmac(alg, password, u);
      for (let j = 0; j < t.length; j++) t[j]! ^= u[j]!;
    }
    out.set(t.subarray(0, Math.min(t.length, keyLen - filled)), filled);
    filled += t.length;
  }
  return out;
}

/** Deterministic CryptoPort: real hashes, and "random" bytes from a seeded xorshift32 stream. */
export function testCrypto(seed = 0x2545f491): CryptoPort {
  let s = seed >>> 0 || 1;
  return {
    randomBytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        out[i] = s & 0xff;
      }
      return out;
    },
    hash: (alg, data) => hashFn(alg)(data),
    hmac,
    pbkdf2,
  };
}
