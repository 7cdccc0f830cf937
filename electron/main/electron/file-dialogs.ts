// Issue 6: the native file dialogs and shell actions behind the transfer commands (TransferDeps).
// Paths come from these dialogs — the user's own choice in a window main draws — never from the
// page. Open / Show in folder receive only a transfer's file that main looked up and checked.
import { dialog, shell, type BrowserWindow } from 'electron';
import path from 'node:path';
import type { TransferDeps } from '../ipc/transfer-handlers';

/** The dialogs are modal to the Flint window when it is open. */
export function fileDialogs(window: () => BrowserWindow | null): Required<TransferDeps> {
  const parent = () => {
    const w = window();
    return w && !w.isDestroyed() ? w : null;
  };
  return {
    async pickFilesToSend() {
      const options: Electron.OpenDialogOptions = { title: 'Send files', properties: ['openFile', 'multiSelections'] };
      const w = parent();
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled ? [] : r.filePaths;
    },
    async chooseSavePath(defaultName, folder) {
      const options: Electron.SaveDialogOptions = { title: 'Save file as', defaultPath: path.join(folder, defaultName), properties: ['createDirectory', 'showOverwriteConfirmation'] };
      const w = parent();
      const r = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseFolder(current) {
      const options: Electron.OpenDialogOptions = { title: 'Download folder', defaultPath: current, properties: ['openDirectory', 'createDirectory'] };
      const w = parent();
      const r = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openPath(file) {
      // Resolves with an error message ('' on success) rather than rejecting.
      const error = await shell.openPath(file);
      if (error) throw new Error(`Could not open ${path.basename(file)}: ${error}`);
    },
    showItemInFolder(file) {
      shell.showItemInFolder(file);
    },
  };
}
