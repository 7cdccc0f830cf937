// The layer rules of docs/ARCHITECTURE.md, enforced: a forbidden import fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'net', 'tls', 'dns', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'stream', 'util', 'events', 'url', 'buffer', 'string_decoder', 'worker_threads', 'zlib'];
const pattern = (group, message) => ({ group, message });

// Exact module names (a plain `util` pattern would also match our own '../util/base64').
const noNode = {
  regex: `^(node:.*|${nodeBuiltins.filter((n) => n !== 'node:*').map((n) => n.replace('/*', '(/.*)?')).join('|')})$`,
  message: 'This layer runs without Node: take what you need through a port (electron/core/ports.ts).',
};
const noElectron = pattern(['electron', 'electron/*'], 'Only the Electron glue files may import electron.');
const noMain = pattern(['**/electron/main/**', '**/main/**'], 'This layer may not import electron/main.');
const noRenderer = pattern(['**/renderer/**'], 'This layer may not import the renderer.');
const noElectronTree = pattern(['**/electron/**'], 'The renderer talks to main only through renderer/api.ts and shared/ipc.');
const noCore = pattern(['**/electron/core/**', '**/core/**'], 'shared/ may import only shared/.');
const noUi = pattern(['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'], 'UI libraries belong in the renderer.');

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// Files allowed to import electron: window/tray/menu/dialog/notification glue, safeStorage, the preload.
const electronGlue = ['electron/main/index.ts', 'electron/main/electron/**/*.ts', 'electron/preload/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tsbuild/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', Buffer: 'readonly', performance: 'readonly', queueMicrotask: 'readonly', window: 'readonly', document: 'readonly', navigator: 'readonly', structuredClone: 'readonly', AbortController: 'readonly', fetch: 'readonly', WebSocket: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['shared/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(noNode, noElectron, noCore, noMain, noRenderer, noUi) },
  { files: ['electron/core/**/*.ts'], ignores: ['**/*.test.ts'], rules: restrict(noNode, noElectron, noMain, noRenderer, noUi) },
  { files: ['electron/main/**/*.ts'], ignores: [...electronGlue, '**/*.test.ts'], rules: restrict(noElectron, noRenderer, noUi) },
  { files: electronGlue.filter((g) => !g.startsWith('electron/preload')), rules: restrict(noRenderer, noUi) },
  { files: ['electron/preload/**/*.ts'], rules: restrict(noRenderer, noUi, pattern(['**/electron/main/**', '**/electron/core/**', '**/main/**', '**/core/**'], 'The preload may import only electron and shared/.')) },
  { files: ['renderer/**/*.{ts,tsx}'], rules: restrict(noNode, noElectron, noElectronTree) },
  { files: ['e2e/**/*.ts'], rules: restrict(noElectron, pattern(['**/renderer/**', '**/electron/core/**'], 'e2e specs use shared/ types and their own fixtures.')) },
);
