// Drive a python3-slixmpp peer script: JSON lines out of its stdout, JSON commands into its stdin.
// /usr/bin/python3 on purpose: Debian's python3-slixmpp is installed for the system
// interpreter, and the python3 first on PATH may be another one.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import readline from 'node:readline';
import { hasExited, spawnTracked, stopProcess, waitForExit } from './process';

export const SYSTEM_PYTHON = '/usr/bin/python3';
export const ECHO_PEER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers', 'echo_peer.py');

export type PeerLine = Record<string, unknown>;

export interface SlixmppPeer {
  /** Every JSON line from the start (a fresh iterator replays from the first line). Ends when the peer exits. */
  lines: AsyncIterable<PeerLine>;
  /**
   * The first line after the previous waitFor match (or the start) that satisfies `match`;
   * rejects on timeout or if the peer exits first.
   */
  waitFor(match: (line: PeerLine) => boolean, timeoutMs?: number): Promise<PeerLine>;
  /** All lines received so far. */
  received(): PeerLine[];
  send(command: object): void;
  /** Close stdin (the peer disconnects cleanly), then SIGTERM/SIGKILL if it lingers. */
  stop(): Promise<void>;
  /** Everything the peer wrote to stderr (slixmpp logs, tracebacks). */
  stderr(): string;
}

/** Start `scriptPath` with `args`; stdout lines that are not JSON become { event: 'stdout', line }. */
export function runSlixmppPeer(scriptPath: string, args: string[]): SlixmppPeer {
  const child = spawnTracked(SYSTEM_PYTHON, ['-u', scriptPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: PeerLine[] = [];
  let stderr = '';
  let exited = false;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...wakers]) w();
  };

  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr += d;
  });
  const rl = readline.createInterface({ input: child.stdout! });
  rl.on('line', (text) => {
    if (!text.trim()) return;
    let line: PeerLine;
    try {
      const parsed = JSON.parse(text) as unknown;
      line = parsed && typeof parsed === 'object' ? (parsed as PeerLine) : { event: 'stdout', line: text };
    } catch {
      line = { event: 'stdout', line: text };
    }
    lines.push(line);
    wake();
  });
  // 'close' fires after stdout is drained, so no line is lost to a late 'exit'.
  child.once('close', () => {
    exited = true;
    wake();
  });
  child.stdin?.on('error', () => {
    /* peer gone; surfaced through waitFor/exit */
  });

  const nextChange = (): Promise<void> =>
    new Promise((resolve) => {
      const w = (): void => {
        wakers.delete(w);
        resolve();
      };
      wakers.add(w);
    });

  let cursor = 0;

  const peer: SlixmppPeer = {
    lines: {
      async *[Symbol.asyncIterator]() {
        let i = 0;
        while (true) {
          if (i < lines.length) yield lines[i++] as PeerLine;
          else if (exited) return;
          else await nextChange();
        }
      },
    },

    async waitFor(match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        while (cursor < lines.length) {
          const line = lines[cursor++] as PeerLine;
          if (match(line)) return line;
        }
        if (exited) throw new Error(`slixmpp peer exited (${child.exitCode ?? child.signalCode}) first. stderr:\n${stderr.slice(-3000)}\nlines: ${JSON.stringify(lines)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`slixmpp peer: no matching line within ${timeoutMs} ms. lines: ${JSON.stringify(lines)}\nstderr:\n${stderr.slice(-3000)}`);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([nextChange(), new Promise<void>((r) => (timer = setTimeout(r, left)))]);
        clearTimeout(timer);
      }
    },

    received: () => [...lines],

    send(command) {
      child.stdin?.write(`${JSON.stringify(command)}\n`);
    },

    async stop() {
      if (hasExited(child)) return;
      child.stdin?.end();
      if (!(await waitForExit(child, 3000))) await stopProcess(child, 'SIGTERM', 2000);
    },

    stderr: () => stderr,
  };
  return peer;
}

export interface EchoPeerOptions {
  jid: string;
  password: string;
  port: number;
  host?: string;
  /** CA file to trust (the test CA: server.caCertPath). */
  caPath?: string;
  directTls?: boolean;
  /** Report messages without answering them. */
  noEcho?: boolean;
  debug?: boolean;
}

/** The generic echo peer (peers/echo_peer.py). */
export function runEchoPeer(o: EchoPeerOptions): SlixmppPeer {
  const args = ['--jid', o.jid, '--password', o.password, '--host', o.host ?? '127.0.0.1', '--port', String(o.port)];
  if (o.caPath) args.push('--ca', o.caPath);
  if (o.directTls) args.push('--direct-tls');
  if (o.noEcho) args.push('--no-echo');
  if (o.debug) args.push('--debug');
  return runSlixmppPeer(ECHO_PEER_SCRIPT, args);
}
