// Finds http(s) and mailto links in message text. The result is text segments and link segments;
// the UI renders both as React text (never HTML), and a link only opens through main after the
// user confirms (main re-checks the scheme: electron/main/ipc/links.ts).

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string };

// A candidate starts at a scheme and runs to whitespace or a character that cannot be in a bare
// URL in running text. Trailing punctuation is trimmed afterwards.
const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`\u00a0\u3000-\u303f\uff01-\uff60]+/gi;
const TRAILING = '.,;:!?)]}\'"*_~';
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

const count = (s: string, c: string): number => s.split(c).length - 1;

/** Drop sentence punctuation after a URL, but keep a ')' that closes a '(' inside it (Wikipedia links). */
function trimTrailing(url: string): string {
  let s = url;
  while (s.length > 0) {
    const c = s[s.length - 1]!;
    if (!TRAILING.includes(c)) break;
    if (c === ')' && count(s, ')') <= count(s, '(')) break;
    s = s.slice(0, -1);
  }
  return s;
}

/** The URL to open, or null when the candidate is not a usable http(s)/mailto URL. */
export function checkedUrl(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  if (url.protocol === 'mailto:' && url.pathname === '') return null;
  // user:pass@host disguises the real host ('https://bank.example@evil.example'); do not make it clickable.
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

export function linkify(text: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const raw = trimTrailing(m[0]);
    const url = checkedUrl(raw);
    if (!url) continue;
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'link', text: raw, url });
    last = m.index + raw.length;
    CANDIDATE.lastIndex = last;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
