// The one command handler table. Electron IPC (electron/main/index.ts) and the WebSocket bridge
// (electron/main/bridge/server.ts) both call `dispatch` with it, so both transports validate and
// behave the same. The renderer is untrusted: arguments are schema-checked before any handler
// runs (unknown names, wrong types, oversized strings and extra keys are all refused there).
import { commands, validateCommand } from '../../../shared/ipc/contract';
import type { CommandArgs, CommandName, CommandResult } from '../../../shared/ipc/contract';
import type { AccountSettings } from '../../../shared/domain';
import type { AccountServiceApi } from '../accounts/types';
import { writeFile } from 'node:fs/promises';
import { exportFileName } from '../../../shared/export-name';
import { externalUrl } from './links';
import { createProfileHandlers } from './profile-handlers';
import { createTransferHandlers, type TransferDeps } from './transfer-handlers';

/** Issue 6: TransferDeps are the native file dialogs and the desktop shell (absent in the browser bridge). */
export interface HandlerDeps extends TransferDeps {
  /** Hand a checked http(s)/mailto URL to the operating system (Electron: shell.openExternal). */
  openExternal(url: string): Promise<void>;
  /** Asked before a link is opened, when given; false = the user declined (not an error). */
  confirmOpenExternal?(url: string): Promise<boolean>;
  /** Issue 5: total unread messages changed (taskbar/dock badge, tray tooltip). */
  unreadChanged?(total: number): void;
  /** The renderer opened a conversation (notifications use it to stay quiet for the chat on screen). */
  chatOpened?(jid: string): void;
  /**
   * Send pending batched events before a snapshot is taken, so that every event the renderer
   * receives before the snapshot's result is already contained in it (a consistent cut).
   */
  flushEvents?(): void;
}

export type Handlers = { [C in CommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

/** Thrown for a command refused before any handler ran (unknown name or invalid arguments). */
export class CommandRejectedError extends Error {
  override readonly name = 'CommandRejectedError';
}

/** Drops keys whose value is undefined, so optional settings stay absent rather than `undefined`. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function createHandlers(account: AccountServiceApi, deps: HandlerDeps): Handlers {
  return {
    'app.snapshot': async () => {
      deps.flushEvents?.();
      return account.snapshot();
    },
    'account.list': async () => account.savedAccounts(),
    'account.login': async ({ jid, password, remember, resource, host, port, tlsMode }) => {
      const settings: AccountSettings = defined({ jid, resource, host, port, tlsMode });
      await account.login({ settings, password, remember });
      return null;
    },
    'account.resume': async () => account.resume(),
    'account.logout': async () => {
      await account.logout();
      return null;
    },
    'account.reconnectNow': async () => {
      account.reconnectNow();
      return null;
    },
    'account.trustCertificate': async ({ fingerprint256 }) => {
      await account.trustCertificate(fingerprint256);
      return null;
    },
    'presence.set': async ({ show, status }) => {
      account.setPresence(show, status);
      return null;
    },
    'chat.send': async ({ to, body }) => account.sendChat(to, body),
    'chat.open': async ({ jid }) => {
      deps.chatOpened?.(jid);
      return null;
    },
    'chat.retry': async ({ id }) => account.retryChat(id),
    'chat.setState': async ({ to, state }) => account.setChatState(to, state),
    'chat.correct': async ({ id, body }) => account.correctChat(id, body),
    'chat.markDisplayed': async ({ peer, id }) => account.markDisplayed(peer, id),
    'chat.setMuted': async ({ peer, muted }) => {
      account.setMuted(peer, muted);
      return null;
    },
    'app.setUnread': async ({ total }) => {
      deps.unreadChanged?.(total);
      return null;
    },
    'history.page': async ({ peer, before, after, limit }) => account.historyPage(peer, defined({ before, after, limit })),
    'history.search': async ({ query, limit }) => account.searchHistory(query, limit),
    'history.export': async ({ peer, format }) => account.exportHistory(peer, format),
    'history.saveExport': async ({ peer, format }) => {
      if (!deps.chooseSavePath) throw new Error('Saving needs the desktop app’s file dialogs: use Export in the browser to download the transcript.');
      // The transcript is built first: an unknown conversation fails before any dialog opens.
      const text = account.exportHistory(peer, format);
      const target = await deps.chooseSavePath(exportFileName(peer, format), account.transfers.downloadFolder());
      if (target === null) return false;
      // The path is the user's own choice in main's dialog (which asked before replacing a file).
      await writeFile(target, text, 'utf8');
      return true;
    },
    'roster.add': async ({ jid, name, groups }) => {
      await account.addContact(jid, name, groups);
      return null;
    },
    'roster.remove': async ({ jid }) => {
      await account.removeContact(jid);
      return null;
    },
    'subscription.answer': async ({ jid, accept, addBack }) => {
      account.answerSubscription(jid, accept, addBack);
      return null;
    },
    'link.open': async ({ url }) => {
      const href = externalUrl(url);
      if (href === null) throw new CommandRejectedError('link.open: only http:, https: and mailto: links can be opened');
      if (deps.confirmOpenExternal && !(await deps.confirmOpenExternal(href))) return null;
      await deps.openExternal(href);
      return null;
    },
    // Issue 4: contacts, profile, auto-away, directory, registration.
    ...createProfileHandlers(account),
    // Issue 6: file transfers.
    ...createTransferHandlers(account, deps),
  };
}

export interface DispatchOptions {
  /** Check the handler's result against the contract too (tests and development builds). */
  checkResult?: boolean;
}

/**
 * Validate, then run one command. Rejects with CommandRejectedError before calling anything when
 * the name or the arguments do not match the contract; otherwise resolves or rejects as the
 * handler does.
 */
export async function dispatch(handlers: Handlers, name: unknown, args: unknown, opts: DispatchOptions = {}): Promise<unknown> {
  if (typeof name !== 'string') throw new CommandRejectedError('command name must be a string');
  const checked = validateCommand(name, args);
  if (!checked.ok) throw new CommandRejectedError(checked.error);
  const command = name as CommandName;
  const handler = handlers[command] as (a: unknown) => Promise<unknown>;
  const result = await handler(checked.value);
  if (opts.checkResult) {
    const parsed = commands[command].result.safeParse(result);
    if (!parsed.success) throw new Error(`${command} returned a result outside the contract: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return result;
}
