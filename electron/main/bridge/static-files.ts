// Serving the built renderer in web mode: a fixed directory, GET/HEAD only, no listings, nothing
// outside the directory (checked after resolving '..' and again after following symlinks).
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

export type StaticLookup = { ok: true; file: string; size: number } | { ok: false; status: 400 | 404 };

/**
 * The file under `root` (an absolute, already real path) that a request path names, or why not.
 * `/` is index.html. Percent-escapes are decoded once; encoded separators, NUL and backslashes are
 * refused rather than interpreted.
 */
export async function lookupStatic(root: string, requestPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return { ok: false, status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\') || /%2f|%5c/i.test(requestPath)) return { ok: false, status: 400 };
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const candidate = path.resolve(root, relative);
  if (!inside(root, candidate)) return { ok: false, status: 404 };
  try {
    const real = await realpath(candidate);
    if (!inside(root, real)) return { ok: false, status: 404 };
    const st = await stat(real);
    if (!st.isFile()) return { ok: false, status: 404 };
    return { ok: true, file: real, size: st.size };
  } catch {
    return { ok: false, status: 404 };
  }
}

// Any <meta> whose http-equiv is Content-Security-Policy, whatever the attribute order or quoting
// (a CSP never contains '>').
const META_CSP = /<meta\b[^>]*\bhttp-equiv\s*=\s*(["']?)content-security-policy\1[^>]*>/gi;

/**
 * index.html carries the Electron CSP in a <meta> tag (connect-src 'none': no network for the
 * renderer). A page's policies all apply at once, so in web mode that tag would block the bridge:
 * swap its content for the web-mode policy, which the server also sends as a header.
 */
export function withWebCsp(html: string, csp: string): string {
  return html.replace(META_CSP, `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
}
