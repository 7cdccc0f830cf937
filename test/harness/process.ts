// Child-process plumbing shared by the server launchers: spawning so that no server outlives
// the test process, stopping with a SIGKILL fallback, polling with backoff, temp dirs, and
// checking which process owns a listening port (Linux /proc).
import { spawn, execFileSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
const keepDirs = process.env.FLINT_KEEP_TEST_DIRS === '1';

function cleanupNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (!keepDirs) for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: signal and delete, nothing to await.
  process.on('exit', cleanupNow);
  // Vitest ends its fork workers with SIGTERM, which skips 'exit' handlers. Clean up, then let
  // the signal's default action (termination) happen unless someone else handles it.
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupNow();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

let setprivPath: string | null | undefined;
function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) {
    if (fs.existsSync(p)) {
      try {
        execFileSync(p, ['--pdeathsig', 'SIGKILL', '--', 'true'], { stdio: 'ignore' });
        setprivPath = p;
      } catch {
        /* old util-linux without --pdeathsig */
      }
      break;
    }
  }
  return setprivPath;
}

/**
 * Spawn a child that must not outlive the test process. The 'exit' hook covers normal
 * test-process exits; the parent-death signal (setpriv --pdeathsig, kept across exec) also
 * covers a test worker that is killed outright, which would otherwise leave a server holding
 * its ports.
 */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions): ChildProcess {
  installExitHook();
  const setpriv = findSetpriv();
  const [file, argv] = setpriv ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, opts);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export interface SpawnServerOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here (the servers' own logs go to files named in their configs). */
  outputPath: string;
}

/** A long-running server with its console output in a file. */
export function spawnServer(cmd: string, args: string[], opts: SpawnServerOptions): ChildProcess {
  const out = fs.openSync(opts.outputPath, 'a');
  try {
    return spawnTracked(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Send `signal`, wait up to `graceMs`, then SIGKILL. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (hasExited(child)) return;
  child.kill(signal);
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}

export function makeTempDir(prefix: string): string {
  installExitHook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flint-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  if (!keepDirs) fs.rmSync(dir, { recursive: true, force: true });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Poll `probe` with exponential backoff (10 ms doubling to 250 ms) until it returns a value
 * other than undefined. `check` runs before each try and may throw to abort early
 * (e.g. the server process died).
 */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  check?: () => void,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  let lastError: unknown;
  while (true) {
    check?.();
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 250);
  }
}

export type PortOwner = 'self' | 'other' | 'none';

function listeningInodes(port: number): string[] {
  const inodes: string[] = [];
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = TCP_LISTEN
      if (cols[1]?.split(':')[1] === hexPort && cols[9]) inodes.push(cols[9]);
    }
  }
  return inodes;
}

/**
 * Who listens on TCP `port`: the process `pid`, another process, or nobody. Lets a launcher
 * tell "my server is up" from "some other test's server took the port I was given".
 * On systems without /proc it optimistically answers 'self' once anything listens.
 */
export function portOwner(port: number, pid: number): PortOwner {
  if (!fs.existsSync('/proc/net/tcp')) return 'self';
  const inodes = listeningInodes(port);
  if (inodes.length === 0) return 'none';
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return 'other';
  }
  const wanted = new Set(inodes.map((i) => `socket:[${i}]`));
  for (const fd of fds) {
    try {
      if (wanted.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))) return 'self';
    } catch {
      /* fd closed meanwhile */
    }
  }
  return 'other';
}

/** Last `maxBytes` of a log file, for error messages. */
export function tailFile(file: string, maxBytes = 4000): string {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(Math.max(0, buf.length - maxBytes)).toString('utf8');
  } catch {
    return '(no log)';
  }
}
