// The only file that touches window.flint (Electron preload) or the WebSocket bridge (web mode).
// Everything else in the renderer talks to main through the RendererApi this returns.
import type { AppEvent, CommandArgs, CommandName, CommandResult, FlintApi } from '../shared/ipc/contract';
import { BRIDGE_PATH, type BridgeClientMessage, type BridgeServerMessage } from '../shared/ipc/bridge-protocol';

/** What the preload exposes on window.flint: one fixed function per command, one event subscription. */
export interface PreloadApi {
  commands: { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };
  onEvents(cb: (events: AppEvent[]) => void): () => void;
}

declare global {
  interface Window {
    flint?: PreloadApi;
  }
}

/** 'open': commands flow (after every (re)connect); 'lost': the link to main dropped, retrying. */
export type TransportState = 'connecting' | 'open' | 'lost';

export interface RendererApi extends FlintApi {
  readonly mode: 'electron' | 'web';
  /** Called with the current state at once, then on every change. */
  onTransport(cb: (state: TransportState) => void): () => void;
}

export function electronApi(flint: PreloadApi): RendererApi {
  return {
    mode: 'electron',
    invoke<C extends CommandName>(name: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      const fn = flint.commands[name] as ((a: CommandArgs<C>) => Promise<CommandResult<C>>) | undefined;
      if (typeof fn !== 'function') return Promise.reject(new Error(`command ${name} is not available`));
      return fn(args);
    },
    onEvents: (cb) => flint.onEvents(cb),
    // IPC to the main process cannot drop while the window lives.
    onTransport(cb) {
      cb('open');
      return () => {};
    },
  };
}

/** The subset of the DOM WebSocket the bridge client uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface BridgeOptions {
  url: string;
  token: string;
  connect?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  /** Reconnect delays grow from this (ms), doubling up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

const OPEN = 1;

export class BridgeLostError extends Error {
  override readonly name = 'BridgeLostError';
}

/**
 * WebSocket bridge client (shared/ipc/bridge-protocol.ts). Commands issued before the bridge is
 * ready wait in a queue; commands in flight when the socket drops are rejected (main may or may
 * not have run them, and only the caller can judge whether to retry). The socket reconnects with
 * capped, jittered backoff; every 'open' after the first tells the app to re-sync (app.snapshot),
 * since events sent while disconnected are gone.
 */
export function bridgeApi(opts: BridgeOptions): RendererApi {
  const connect = opts.connect ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const base = opts.baseDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 5000;
  const random = opts.random ?? Math.random;

  let socket: SocketLike | null = null;
  let state: TransportState = 'connecting';
  let ready = false;
  let attempt = 0;
  let nextId = 1;
  const queue: BridgeClientMessage[] = [];
  const inFlight = new Map<number, Pending>();
  const waiting = new Map<number, Pending>();
  const eventListeners = new Set<(events: AppEvent[]) => void>();
  const transportListeners = new Set<(s: TransportState) => void>();

  const setState = (s: TransportState): void => {
    if (s === state) return;
    state = s;
    for (const l of [...transportListeners]) l(s);
  };

  const sendNow = (msg: BridgeClientMessage): void => {
    socket!.send(JSON.stringify(msg));
    if (msg.t === 'cmd') {
      const p = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (p) inFlight.set(msg.id, p);
    }
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let msg: BridgeServerMessage;
    try {
      msg = JSON.parse(raw) as BridgeServerMessage;
    } catch {
      return;
    }
    if (msg.t === 'ready') {
      ready = true;
      attempt = 0;
      while (queue.length > 0 && socket?.readyState === OPEN) sendNow(queue.shift()!);
      setState('open');
    } else if (msg.t === 'result') {
      const p = inFlight.get(msg.id);
      if (!p) return;
      inFlight.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(typeof msg.error === 'string' ? msg.error : 'command failed'));
    } else if (msg.t === 'events' && Array.isArray(msg.events)) {
      for (const l of [...eventListeners]) l(msg.events);
    }
  };

  const open = (): void => {
    const ws = connect(opts.url);
    socket = ws;
    ready = false;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'hello', token: opts.token } satisfies BridgeClientMessage));
    ws.onmessage = (ev) => {
      if (ws === socket) onMessage(ev.data);
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (ws !== socket) return;
      socket = null;
      ready = false;
      for (const [, p] of inFlight) p.reject(new BridgeLostError('The connection to Flint was lost before the command finished.'));
      inFlight.clear();
      setState('lost');
      const delay = Math.min(max, base * 2 ** attempt) * (0.75 + random() * 0.5);
      attempt = Math.min(attempt + 1, 16);
      setTimer(open, delay);
    };
  };

  open();

  return {
    mode: 'web',
    invoke<C extends CommandName>(name: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        const msg: BridgeClientMessage = { t: 'cmd', id, name, args };
        if (ready && socket?.readyState === OPEN) sendNow(msg);
        else queue.push(msg);
      });
    },
    onEvents(cb) {
      eventListeners.add(cb);
      return () => eventListeners.delete(cb);
    },
    onTransport(cb) {
      transportListeners.add(cb);
      cb(state);
      return () => transportListeners.delete(cb);
    },
  };
}

const TOKEN_KEY = 'flint.bridgeToken';

/**
 * The bridge token from `#token=…`, which is then removed from the address bar and history so it
 * does not linger in screenshots or get copied along with the URL. It is kept for this tab's
 * session only, so a reload still connects.
 */
export function takeBridgeToken(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage may be unavailable (privacy settings); a reload then needs the URL again.
    }
    return fromHash;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Electron when the preload is there, else the WebSocket bridge of the page's own origin. */
export function createApi(): RendererApi {
  if (window.flint) return electronApi(window.flint);
  const token = takeBridgeToken();
  if (!token) throw new Error('No bridge token: open Flint with the address printed by `npm run web`.');
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return bridgeApi({ url: `${scheme}://${window.location.host}${BRIDGE_PATH}`, token });
}
