// Which links the app hands to the operating system. Anything the renderer (untrusted: it shows
// text from remote peers) asks to open is re-parsed here with the WHATWG URL parser, so tricks
// such as 'javascript:', 'file:', 'JaVaScRiPt\t:' or a leading space are judged on what the URL
// really is, not on how the string starts.

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The normalised URL when it may be opened outside the app, else null. */
export function externalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  // http(s) without a host ('http:foo' parses as http://foo/, but 'https:///' etc. do not) is useless.
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  // Credentials in a link ('https://bank.example@evil.example/') are a classic phishing disguise.
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}
