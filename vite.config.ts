// Renderer build: renderer/ → dist/renderer, loaded from file:// by Electron and served by the
// web-mode server. Relative asset URLs (base './') work under both.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  // The app runs offline from its own files: no public/ folder copying, no CDN.
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Keep every asset a file: an inlined font or script as data: would break the CSP
    // (font-src 'self', script-src 'self').
    assetsInlineLimit: 0,
    // Chromium supports modulepreload natively; the polyfill is not needed.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
