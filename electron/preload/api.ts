// What the preload exposes on window.flint, built over an ipcRenderer-like object so it can be
// tested without Electron. One fixed function per command, each bound to its own channel, and one
// event subscription whose callback never sees the IpcRendererEvent (it carries `sender`, a way
// back into IPC). Nothing generic: the page cannot name a channel.
//
// Only types come from the contract: importing its values would bundle zod into the preload,
// which must stay small. The channel names are repeated here and a test checks they match
// contract.ts's `channel`; the command list is checked for completeness by the compiler.
import type { AppEvent, CommandArgs, CommandName, CommandResult } from '../../shared/ipc/contract';
import { PROFILE_COMMAND_NAMES } from '../../shared/ipc/profile-command-names';
import { errorText } from '../../shared/error-text';

export interface PreloadApi {
  commands: { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };
  onEvents(cb: (events: AppEvent[]) => void): () => void;
}

/** Every command once; `satisfies` fails the build when contract.ts gains or loses one. */
const COMMANDS = {
  'app.snapshot': true,
  'account.list': true,
  'account.login': true,
  'account.resume': true,
  'account.logout': true,
  'account.reconnectNow': true,
  'account.trustCertificate': true,
  'presence.set': true,
  'chat.send': true,
  'chat.open': true,
  'chat.retry': true,
  'chat.setState': true,
  'chat.correct': true,
  'chat.markDisplayed': true,
  'chat.setMuted': true,
  'app.setUnread': true,
  'history.page': true,
  'history.search': true,
  'history.export': true,
  'history.saveExport': true,
  'roster.add': true,
  'roster.remove': true,
  'subscription.answer': true,
  'link.open': true,
  // Issue 4 (zod-free list, shared/ipc/profile-command-names.ts).
  ...PROFILE_COMMAND_NAMES,
  // Issue 6: file transfers (shared/ipc/transfer-contract.ts).
  'transfer.list': true,
  'transfer.settings': true,
  'transfer.setDownloadFolder': true,
  'transfer.chooseDownloadFolder': true,
  'transfer.pickAndSend': true,
  'transfer.stageBegin': true,
  'transfer.stageChunk': true,
  'transfer.stageAbort': true,
  'transfer.send': true,
  'transfer.accept': true,
  'transfer.saveAs': true,
  'transfer.decline': true,
  'transfer.cancel': true,
  'transfer.clearFinished': true,
  'transfer.open': true,
  'transfer.showInFolder': true,
} as const satisfies Record<CommandName, true>;

export const PRELOAD_COMMANDS = Object.keys(COMMANDS) as CommandName[];
export const commandChannel = (name: CommandName): string => `flint:cmd:${name}`;
export const EVENTS_CHANNEL = 'flint:events';

type Listener = (event: unknown, ...args: unknown[]) => void;
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

/**
 * Electron wraps a handler's error as "Error invoking remote method 'flint:cmd:x': Error: why";
 * the page gets just "why", the same text the WebSocket bridge sends.
 */
export function ipcErrorMessage(err: unknown): string {
  const msg = errorText(err);
  return msg.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
}

export function buildPreloadApi(ipc: IpcRendererLike): PreloadApi {
  const commands = {} as Record<CommandName, (args: unknown) => Promise<unknown>>;
  for (const name of PRELOAD_COMMANDS) {
    const ch = commandChannel(name);
    // Exactly one argument crosses, whatever the page passes.
    commands[name] = (args: unknown) =>
      ipc.invoke(ch, args).catch((err: unknown) => {
        throw new Error(ipcErrorMessage(err));
      });
  }
  return {
    commands: Object.freeze(commands) as unknown as PreloadApi['commands'],
    onEvents(cb) {
      if (typeof cb !== 'function') throw new TypeError('onEvents expects a function');
      const listener: Listener = (_event, batch) => {
        if (Array.isArray(batch)) cb(batch as AppEvent[]);
      };
      ipc.on(EVENTS_CHANNEL, listener);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENTS_CHANNEL, listener);
      };
    },
  };
}
