/** Lower-case hex of some bytes (stanza-id prefixes, resource suffixes, query ids, digests). */
export function hex(b: Uint8Array): string {
  let s = '';
  for (const v of b) s += v.toString(16).padStart(2, '0');
  return s;
}
