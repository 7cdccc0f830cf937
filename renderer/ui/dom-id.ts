/** A DOM-id-safe encoding of any string (JIDs hold '@', '/', spaces…), stable and collision-free. */
export function domSafe(s: string): string {
  return Array.from(s, (c) => (/[A-Za-z0-9_-]/.test(c) ? c : `.${c.codePointAt(0)!.toString(16)}.`)).join('');
}
