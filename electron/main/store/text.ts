// Text helpers for the history store: exact storage of any JS string, CJK detection for search,
// and plain-text snippets with match ranges (no markup, so the UI cannot be handed HTML).

/** A UTF-16 code unit that is half of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

export function hasLoneSurrogate(s: string): boolean {
  // The cheap test first: most text has no surrogate at all.
  return ANY_SURROGATE.test(s) && LONE_SURROGATE.test(s);
}

/** The same string with each lone surrogate replaced by U+FFFD, as UTF-8 encoders do. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * How a body is stored. SQLite TEXT goes through UTF-8, which cannot hold a lone surrogate
 * (better-sqlite3 turns each into replacement characters), yet a JS string — and so an XMPP body
 * as the parser hands it over — may contain one. Such a body is kept exactly as UTF-16LE bytes
 * beside a well-formed copy that search and snippets use.
 */
export function encodeBody(body: string): { text: string; utf16: Buffer | null } {
  if (!hasLoneSurrogate(body)) return { text: body, utf16: null };
  return { text: wellFormed(body), utf16: Buffer.from(body, 'utf16le') };
}

export function decodeBody(text: string, utf16: Uint8Array | null): string {
  // utf16le decoding maps code units one to one, lone surrogates included.
  return utf16 ? Buffer.from(utf16.buffer, utf16.byteOffset, utf16.byteLength).toString('utf16le') : text;
}

/**
 * Scripts written without spaces between words (Han, Kana, Hangul, and their punctuation-free
 * extensions): the FTS trigram index cannot match a 1–2 character term in them, so those
 * characters also go, one token each, into a second index.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
const CJK_ALL = new RegExp(CJK.source, 'gu');

/** Every script above starts at U+1100 or later: text below it (most Latin chat) skips the Unicode-property scan. */
const MAYBE_CJK = /[\u1100-\uFFFF]/;

export function hasCjk(s: string): boolean {
  return MAYBE_CJK.test(s) && CJK.test(s);
}

/** The CJK characters of `s` separated by spaces (one token each for the unicode61 tokenizer), or null when there are none. */
export function cjkTokens(s: string): string | null {
  if (!MAYBE_CJK.test(s)) return null;
  const chars = s.match(CJK_ALL);
  return chars ? chars.join(' ') : null;
}

/** Length in Unicode code points (what the trigram tokenizer counts). */
export function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export interface Snippet {
  /** Plain text around the first match; '…' marks a cut. */
  text: string;
  /** [start, end) UTF-16 offsets in `text` of each term's matches. */
  highlights: [number, number][];
}

const SNIPPET_BEFORE = 40;
const SNIPPET_LENGTH = 160;

/**
 * Text around the first occurrence of any term (case-insensitive), with every occurrence inside
 * it marked. Falls back to the start of the body when no term occurs literally (the index folds
 * diacritics, so "cafe" can match "café").
 */
export function makeSnippet(body: string, terms: string[]): Snippet {
  const lower = body.toLowerCase();
  // toLowerCase can change the length of a few characters (İ → i̇); offsets are only valid when it did not.
  const foldable = lower.length === body.length;
  const hay = foldable ? lower : body;
  const needles = terms.map((t) => (foldable ? t.toLowerCase() : t)).filter((t) => t.length > 0);
  let first = -1;
  for (const n of needles) {
    const i = hay.indexOf(n);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  let start = first < 0 ? 0 : Math.max(0, first - SNIPPET_BEFORE);
  let end = Math.min(body.length, start + SNIPPET_LENGTH);
  // Never cut a surrogate pair in half.
  if (start > 0 && isLowSurrogate(body.charCodeAt(start))) start--;
  if (end < body.length && isLowSurrogate(body.charCodeAt(end))) end++;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < body.length ? '…' : '';
  const text = prefix + body.slice(start, end) + suffix;
  const highlights: [number, number][] = [];
  for (const n of needles) {
    let i = hay.indexOf(n, start);
    while (i >= 0 && i + n.length <= end) {
      highlights.push([i - start + prefix.length, i - start + prefix.length + n.length]);
      i = hay.indexOf(n, i + n.length);
    }
  }
  highlights.sort((a, b) => a[0] - b[0]);
  return { text, highlights };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
