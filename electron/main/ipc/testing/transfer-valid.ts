// One valid call per issue 6 command and the FakeAccount methods it must reach, in order
// (handlers.test.ts spreads this into its table of every command; its setup() gives the native
// dialogs: one picked file, a save path, a folder). Only tests import it.
import type { transferCommands } from '../../../../shared/ipc/transfer-contract';

export const TRANSFER_VALID: { [C in keyof typeof transferCommands]: { args: unknown; method: string | string[] | null } } = {
  'transfer.list': { args: {}, method: 'transfers.list' },
  // Reads the folder setting only (not a recorded call).
  'transfer.settings': { args: {}, method: null },
  'transfer.setDownloadFolder': { args: { folder: '/home/me/Files' }, method: 'transfers.setDownloadFolder' },
  'transfer.chooseDownloadFolder': { args: {}, method: 'transfers.setDownloadFolder' },
  'transfer.pickAndSend': { args: { to: 'bob@example.test', method: 'auto', desc: 'the report' }, method: ['transfers.checkSend', 'transfers.sendFile'] },
  'transfer.stageBegin': { args: { name: 'photo.png', size: 5, mediaType: 'image/png' }, method: 'transfers.stageBegin' },
  'transfer.stageChunk': { args: { stageId: 'stage-0123456789abcdef', offset: 0, data: 'aGVsbG8=' }, method: 'transfers.stageChunk' },
  'transfer.stageAbort': { args: { stageId: 'stage-0123456789abcdef' }, method: 'transfers.stageAbort' },
  'transfer.send': { args: { to: 'bob@example.test/phone', stageId: 'stage-0123456789abcdef', method: 'jingle' }, method: 'transfers.sendStaged' },
  'transfer.accept': { args: { id: 'offer-1', folder: '/home/me/Files', name: 'holiday.jpg' }, method: 'transfers.accept' },
  'transfer.saveAs': { args: { id: 'offer-1' }, method: ['transfers.get', 'transfers.accept'] },
  'transfer.decline': { args: { id: 'offer-1' }, method: 'transfers.decline' },
  'transfer.cancel': { args: { id: 'offer-1' }, method: 'transfers.cancel' },
  'transfer.clearFinished': { args: {}, method: 'transfers.clearFinished' },
  'transfer.open': { args: { id: 'offer-1' }, method: 'transfers.fileToOpen' },
  'transfer.showInFolder': { args: { id: 'offer-1' }, method: 'transfers.fileToShow' },
};
