// Wire format of the WebSocket bridge (web mode and end-to-end tests). It carries exactly the
// commands and events of contract.ts; main serves it with the same handler table as Electron IPC.
//
// The page is served at   http://127.0.0.1:PORT/#token=TOKEN
// and connects to          ws://127.0.0.1:PORT/bridge  sending {t:'hello', token} first.
// The server checks the Origin header (must be http://127.0.0.1:PORT) and the token, else closes.
import type { AppEvent, CommandName } from './contract';

export type BridgeClientMessage =
  | { t: 'hello'; token: string }
  | { t: 'cmd'; id: number; name: CommandName; args: unknown };

export type BridgeServerMessage =
  | { t: 'ready' }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: string }
  | { t: 'events'; events: AppEvent[] };

export const BRIDGE_PATH = '/bridge';
