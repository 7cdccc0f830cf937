// `npm run web`: Flint in a browser tab. Plain Node, no Electron: the same account service and
// handler table as the desktop app, served over the WebSocket bridge on 127.0.0.1 with a random
// token (bridge/server.ts). Passwords are kept with the FileKeyStore (see its caveats), in a
// profile of its own (FLINT_DATA_DIR, default ~/.config/Flint-web).
//
//   node dist/main/web.cjs [--port N] [--static DIR]
//
// stdout gets exactly one line, `Flint web: http://127.0.0.1:PORT/#token=…`; logs go to stderr.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Logger, LogFields } from '../core/ports';
import { AccountService } from './accounts/account-service';
import { FileKeyStore } from './accounts/file-keystore';
import type { AccountServiceApi } from './accounts/types';
import { rendererDir, webDataDir } from './app-paths';
import { startWebServer } from './bridge/server';
import { createEventBatcher, createEventHub } from './ipc/event-batcher';
import { createHandlers } from './ipc/handlers';

// Set by scripts/build.mjs (esbuild `define`).
declare const __FLINT_VERSION__: string | undefined;
const APP_VERSION = typeof __FLINT_VERSION__ === 'string' ? __FLINT_VERSION__ : '0.0.0-dev';

export const DEFAULT_WEB_PORT = 5780;

export interface WebArgs {
  port: number;
  staticDir?: string;
}

export function parseWebArgs(argv: string[]): WebArgs {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, static: { type: 'string' } }, strict: true, allowPositionals: false });
  let port = DEFAULT_WEB_PORT;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) throw new Error(`--port: expected 0–65535, got ${JSON.stringify(values.port)}`);
    port = Number(values.port);
  }
  return values.static === undefined ? { port } : { port, staticDir: path.resolve(values.static) };
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

/** Log lines on stderr (stdout is reserved for the URL line). FLINT_LOG=debug|info|warn|error. */
export function stderrLogger(min: Level = 'info'): Logger {
  const line = (level: Level, msg: string, fields?: LogFields) => {
    if (LEVELS[level] < LEVELS[min]) return;
    const extra = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('') : '';
    process.stderr.write(`${new Date().toISOString()} ${level} ${msg}${extra}\n`);
  };
  return { debug: (m, f) => line('debug', m, f), info: (m, f) => line('info', m, f), warn: (m, f) => line('warn', m, f), error: (m, f) => line('error', m, f) };
}

/**
 * Opens a checked http(s)/mailto URL with the desktop's handler. The URL is one argv entry (no
 * shell), and link.open has already refused every other scheme. FLINT_OPEN_EXTERNAL=log only logs
 * it (tests, headless machines).
 */
function systemOpener(log: Logger, env: NodeJS.ProcessEnv): (url: string) => Promise<void> {
  return async (url) => {
    if (env.FLINT_OPEN_EXTERNAL === 'log') {
      log.info('link.open', { url });
      return;
    }
    await launch(process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]]);
  };
}

/**
 * Issue 6: Open / Show in folder for a transfer's file (main looked it up by id and refused
 * programs before this). The browser tab runs on this machine, so the desktop's file manager is
 * the user's. FLINT_OPEN_EXTERNAL=log only logs the path.
 */
export function fileOpeners(log: Logger, env: NodeJS.ProcessEnv = process.env): { openPath(file: string): Promise<void>; showItemInFolder(file: string): Promise<void> } {
  const logOnly = env.FLINT_OPEN_EXTERNAL === 'log';
  return {
    async openPath(file) {
      if (logOnly) return log.info('transfer.open', { path: file });
      await launch(process.platform === 'darwin' ? ['open', [file]] : process.platform === 'win32' ? ['explorer.exe', [file]] : ['xdg-open', [file]]);
    },
    async showItemInFolder(file) {
      if (logOnly) return log.info('transfer.showInFolder', { path: file });
      // Only macOS and Windows can select the file; elsewhere its folder opens.
      await launch(process.platform === 'darwin' ? ['open', ['-R', file]] : process.platform === 'win32' ? ['explorer.exe', [`/select,${file}`]] : ['xdg-open', [path.dirname(file)]]);
    },
  };
}

/** The default download folder of web mode: FLINT_DOWNLOAD_DIR (absolute), else ~/Downloads. */
export function webDownloadFolder(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.FLINT_DOWNLOAD_DIR;
  return dir && path.isAbsolute(dir) ? dir : path.join(homedir(), 'Downloads');
}

/** Starts a desktop helper (no shell: every argument is one argv entry) and lets it run on its own. */
function launch([cmd, args]: [string, string[]]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', (err) => reject(new Error(`could not start ${cmd}: ${err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export interface WebModeOptions {
  port: number;
  dataDir: string;
  staticDir: string;
  log: Logger;
  /** Injected by tests; the default is the real AccountService. */
  createAccount?: (dataDir: string, log: Logger) => AccountServiceApi & { dispose(): Promise<void> };
  openExternal?: (url: string) => Promise<void>;
  /** Issue 6: Open / Show in folder (default: the desktop's own handlers, see fileOpeners). */
  fileOpeners?: { openPath(file: string): Promise<void>; showItemInFolder(file: string): Promise<void> };
}

export interface WebMode {
  url: string;
  port: number;
  /** Signs out cleanly, then closes the server. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startWebMode(opts: WebModeOptions): Promise<WebMode> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const account = opts.createAccount
    ? opts.createAccount(opts.dataDir, opts.log)
    : new AccountService({
        dataDir: opts.dataDir,
        keyStore: FileKeyStore.open(opts.dataDir),
        appVersion: APP_VERSION,
        log: opts.log,
        // No system idle time in a browser tab; FLINT_TEST_HOOKS=1 makes it settable (debug.setIdleSeconds).
        testHooks: process.env.FLINT_TEST_HOOKS === '1',
        defaultDownloadFolder: webDownloadFolder(),
        // End-to-end tests share files through a loopback Prosody's plain-http upload service.
        ...(process.env.FLINT_TEST_HOOKS === '1' && process.env.FLINT_TRANSFER_ALLOW_HTTP === '1' ? { transfers: { allowHttp: true } } : {}),
      });
  const hub = createEventHub((err) => opts.log.warn('event consumer failed', { error: String(err) }));
  const batcher = createEventBatcher((events) => hub.publish(events));
  const detach = batcher.attach(account);
  const handlers = createHandlers(account, {
    openExternal: opts.openExternal ?? systemOpener(opts.log, process.env),
    flushEvents: () => batcher.flush(),
    // No native dialogs in a browser tab: files are staged by the page, folders typed.
    ...(opts.fileOpeners ?? fileOpeners(opts.log)),
  });
  let server;
  try {
    server = await startWebServer({ port: opts.port, host: '127.0.0.1', handlers, events: hub, staticDir: opts.staticDir, log: opts.log });
  } catch (err) {
    detach();
    batcher.dispose();
    await account.dispose();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const srv = server;
  return {
    url: srv.url,
    port: srv.port,
    stop: () =>
      (stopping ??= (async () => {
        // Sign out first, while the bridge is still up, so open tabs see 'offline'.
        try {
          await account.dispose();
        } catch (err) {
          opts.log.warn('sign-out on exit failed', { error: String(err) });
        }
        batcher.dispose();
        detach();
        await srv.close();
      })()),
  };
}

async function main(): Promise<void> {
  const level = (process.env.FLINT_LOG ?? 'info') as Level;
  const log = stderrLogger(level in LEVELS ? level : 'info');
  let args: WebArgs;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: node dist/main/web.cjs [--port N (default ${DEFAULT_WEB_PORT}, 0 = any free port)] [--static DIR]\n`);
    process.exit(2);
  }
  const staticDir = args.staticDir ?? rendererDir(path.resolve(__dirname, '..', '..'));
  let web: WebMode;
  try {
    web = await startWebMode({ port: args.port, dataDir: webDataDir(), staticDir, log });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${args.port} is in use (try --port 0)` : e.code === 'ENOENT' ? `no built renderer in ${staticDir} (run npm run build)` : e.message;
    process.stderr.write(`Flint web: could not start: ${why}\n`);
    process.exit(1);
  }
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130); // a second Ctrl-C: do not wait for the server
    log.info('shutting down', { signal: sig });
    const hardStop = setTimeout(() => process.exit(1), 5_000);
    hardStop.unref();
    web.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Printed only once the signal handlers are in place: whoever reads this line may stop us at once.
  process.stdout.write(`Flint web: ${web.url}\n`);
  log.info('web mode ready', { dataDir: webDataDir(), port: web.port });
}

// Runs when this file is the program (dist/main/web.cjs); importing it (tests) starts nothing.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module && !process.versions.electron) void main();
