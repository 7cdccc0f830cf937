// The issue 6 half of FakeAccount: records every TransferApi call (into the FakeAccount's list, as
// `transfers.<method>`) and answers with fixed, contract-valid data. Not used by the app itself.
import type { TransferInfo } from '../../../../shared/transfer';
import type { TransferApi, TransferSendOptions } from '../../accounts/transfer-bridge';
import type { FakeCall } from './fake-account';

export const FAKE_OFFER: TransferInfo = {
  id: 'offer-1',
  direction: 'in',
  peer: 'bob@example.test',
  peerJid: 'bob@example.test/phone',
  name: 'photo.jpg',
  size: 1234,
  mediaType: 'image/jpeg',
  method: 'jingle',
  state: 'offered',
  bytes: 0,
  rate: 0,
  attempts: [],
  startedAt: 1_700_000_000_000,
};

export class FakeTransfers implements TransferApi {
  folder = '/home/me/Downloads';
  transfers: TransferInfo[] = [FAKE_OFFER];
  /** What fileToOpen/fileToShow answer (a transfer's file as main found it). */
  file = '/home/me/Downloads/photo.jpg';

  constructor(private readonly calls: FakeCall[]) {}

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method: `transfers.${method}`, args });
  }

  private outgoing(to: string, name: string): TransferInfo {
    return { id: `out-${this.calls.length}`, direction: 'out', peer: to.split('/')[0]!, name, size: 10, state: 'connecting', bytes: 0, rate: 0, attempts: [], startedAt: 1_700_000_000_000 };
  }

  list(): TransferInfo[] {
    this.record('list');
    return this.transfers;
  }
  get(id: string): TransferInfo | undefined {
    this.record('get', id);
    return this.transfers.find((t) => t.id === id);
  }
  downloadFolder(): string {
    return this.folder;
  }
  async setDownloadFolder(folder: string): Promise<string> {
    this.record('setDownloadFolder', folder);
    this.folder = folder;
    return folder;
  }
  checkSend(to: string): void {
    this.record('checkSend', to);
  }
  async stageBegin(name: string, size: number, mediaType?: string): Promise<string> {
    this.record('stageBegin', name, size, mediaType);
    return 'stage-0123456789abcdef';
  }
  async stageChunk(stageId: string, offset: number, data: string): Promise<void> {
    this.record('stageChunk', stageId, offset, data);
  }
  async stageAbort(stageId: string): Promise<void> {
    this.record('stageAbort', stageId);
  }
  async sendStaged(to: string, stageId: string, opts?: TransferSendOptions): Promise<TransferInfo> {
    this.record('sendStaged', to, stageId, opts);
    return this.outgoing(to, 'staged.bin');
  }
  async sendFile(to: string, filePath: string, opts?: TransferSendOptions): Promise<TransferInfo> {
    this.record('sendFile', to, filePath, opts);
    return this.outgoing(to, filePath.split('/').pop()!);
  }
  async accept(id: string, folder?: string, name?: string): Promise<void> {
    this.record('accept', id, folder, name);
  }
  decline(id: string): void {
    this.record('decline', id);
  }
  cancel(id: string): void {
    this.record('cancel', id);
  }
  clearFinished(): void {
    this.record('clearFinished');
  }
  async fileToOpen(id: string): Promise<string> {
    this.record('fileToOpen', id);
    return this.file;
  }
  async fileToShow(id: string): Promise<string> {
    this.record('fileToShow', id);
    return this.file;
  }
}
