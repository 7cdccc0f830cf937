// The issue 6 part of the handler table (handlers.ts spreads it in): file transfers. Arguments
// arrive already validated against transfer-contract.ts by dispatch(). The page never names a
// path to read: files to send come from main's own open dialog (pickAndSend) or are staged by the
// page (stage*); Open / Show in folder act on a transfer's file, looked up by id.
import path from 'node:path';
import type { CommandArgs, CommandResult } from '../../../shared/ipc/contract';
import type { transferCommands, TransferSettings } from '../../../shared/ipc/transfer-contract';
import type { AccountServiceApi } from '../accounts/types';

type TransferCommandName = keyof typeof transferCommands;
export type TransferHandlers = { [C in TransferCommandName]: (args: CommandArgs<C>) => Promise<CommandResult<C>> };

/** Native dialogs and the desktop shell (Electron); absent in the browser bridge. */
export interface TransferDeps {
  /** Open dialog for files to send; absolute paths, [] when cancelled. */
  pickFilesToSend?(): Promise<string[]>;
  /** Save dialog for a received file, starting at `folder`/`defaultName`; the chosen absolute path, or null when cancelled. */
  chooseSavePath?(defaultName: string, folder: string): Promise<string | null>;
  /** Folder dialog for the download folder, starting at `current`; null when cancelled. */
  chooseFolder?(current: string): Promise<string | null>;
  /** Open a file with the system's default app (rejects with the reason when it could not). */
  openPath?(file: string): Promise<void>;
  /** Show a file in the system's file manager. */
  showItemInFolder?(file: string): Promise<void> | void;
}

const NO_DIALOGS = 'This needs the desktop app’s file dialogs: drop or paste files into the chat, and type a folder to save into.';

/** Drops keys whose value is undefined. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function createTransferHandlers(account: AccountServiceApi, deps: TransferDeps): TransferHandlers {
  const t = account.transfers;
  const nativeDialogs = !!(deps.pickFilesToSend && deps.chooseSavePath && deps.chooseFolder);
  const settings = (): TransferSettings => ({ downloadFolder: t.downloadFolder(), nativeDialogs });
  return {
    'transfer.list': async () => t.list(),
    'transfer.settings': async () => settings(),
    'transfer.setDownloadFolder': async ({ folder }) => {
      await t.setDownloadFolder(folder);
      return settings();
    },
    'transfer.chooseDownloadFolder': async () => {
      if (!deps.chooseFolder) throw new Error(NO_DIALOGS);
      const folder = await deps.chooseFolder(t.downloadFolder());
      if (!folder) return null;
      await t.setDownloadFolder(folder);
      return settings();
    },
    'transfer.pickAndSend': async ({ to, method, desc }) => {
      if (!deps.pickFilesToSend) throw new Error(NO_DIALOGS);
      // Before the dialog: no point choosing files that cannot go anywhere.
      t.checkSend(to);
      const files = await deps.pickFilesToSend();
      const sent = [];
      const failed: string[] = [];
      for (const file of files) {
        try {
          sent.push(await t.sendFile(to, file, defined({ method, desc })));
        } catch (e) {
          failed.push(`${path.basename(file)}: ${(e as Error).message}`);
        }
      }
      // The ones that did start show up through transfer.added all the same.
      if (failed.length > 0) throw new Error(`Could not send ${failed.join('; ')}`);
      return sent;
    },
    'transfer.stageBegin': async ({ name, size, mediaType }) => ({ stageId: await t.stageBegin(name, size, mediaType) }),
    'transfer.stageChunk': async ({ stageId, offset, data }) => {
      await t.stageChunk(stageId, offset, data);
      return null;
    },
    'transfer.stageAbort': async ({ stageId }) => {
      await t.stageAbort(stageId);
      return null;
    },
    'transfer.send': async ({ to, stageId, method, desc }) => t.sendStaged(to, stageId, defined({ method, desc })),
    'transfer.accept': async ({ id, folder, name }) => {
      await t.accept(id, folder, name);
      return null;
    },
    'transfer.saveAs': async ({ id }) => {
      if (!deps.chooseSavePath) throw new Error(NO_DIALOGS);
      const offer = t.get(id);
      if (!offer || offer.direction !== 'in' || offer.state !== 'offered') throw new Error('No such file waiting for an answer.');
      const chosen = await deps.chooseSavePath(offer.name, t.downloadFolder());
      if (!chosen) return false;
      if (!path.isAbsolute(chosen)) throw new Error('The save dialog returned a path that is not absolute.');
      await t.accept(id, path.dirname(chosen), path.basename(chosen));
      return true;
    },
    'transfer.decline': async ({ id }) => {
      t.decline(id);
      return null;
    },
    'transfer.cancel': async ({ id }) => {
      t.cancel(id);
      return null;
    },
    'transfer.clearFinished': async () => {
      t.clearFinished();
      return null;
    },
    'transfer.open': async ({ id }) => {
      if (!deps.openPath) throw new Error('Opening files is not available here.');
      await deps.openPath(await t.fileToOpen(id));
      return null;
    },
    'transfer.showInFolder': async ({ id }) => {
      if (!deps.showItemInFolder) throw new Error('Showing files in their folder is not available here.');
      await deps.showItemInFolder(await t.fileToShow(id));
      return null;
    },
  };
}
