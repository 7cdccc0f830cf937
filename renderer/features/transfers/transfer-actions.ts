// Issue 6 use cases: send files (native dialog, or staged from the page), answer offers, cancel,
// open, settings. Like ChatActions they pair the command to main with the store update, so
// components never touch the api directly.
import { useMemo } from 'react';
import type { CommandArgs, FlintApi } from '../../../shared/ipc/contract';
import type { TransferSettings } from '../../../shared/ipc/transfer-contract';
import { action } from '../../store/actions';
import { dispatch, getState } from '../../store/store';
import { useSession } from '../app/session-context';
import { isAbort, stageFile, type StageSource } from './stage-upload';

export type SendMethod = NonNullable<CommandArgs<'transfer.send'>['method']>;

export interface SendOptions {
  method?: SendMethod;
  desc?: string;
}

/** Words for a failed staging (the component translates the known cases). */
export type StageFailure = (err: unknown) => string;

const sendArgs = (o: SendOptions) => ({ ...(o.method && o.method !== 'auto' ? { method: o.method } : {}), ...(o.desc && o.desc.trim() !== '' ? { desc: o.desc.trim().slice(0, 4096) } : {}) });

export class TransferActions {
  private readonly staging = new Map<string, AbortController>();
  private seq = 0;
  private settingsLoad: Promise<TransferSettings> | undefined;

  constructor(
    private readonly api: Pick<FlintApi, 'invoke'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** transfer.settings once (again after a failure); the store keeps the answer. */
  loadSettings(): Promise<TransferSettings> {
    this.settingsLoad ??= this.api.invoke('transfer.settings', {}).then(
      (settings) => {
        dispatch(action('local.transferSettings', { settings }));
        return settings;
      },
      (err: unknown) => {
        this.settingsLoad = undefined;
        throw err;
      },
    );
    return this.settingsLoad;
  }

  async setDownloadFolder(folder: string): Promise<TransferSettings> {
    const settings = await this.api.invoke('transfer.setDownloadFolder', { folder });
    dispatch(action('local.transferSettings', { settings }));
    return settings;
  }

  /** Native folder dialog; false when the user cancelled it. */
  async chooseDownloadFolder(): Promise<boolean> {
    const settings = await this.api.invoke('transfer.chooseDownloadFolder', {});
    if (!settings) return false;
    dispatch(action('local.transferSettings', { settings }));
    return true;
  }

  /** Native open dialog in main: the chosen files go to `to` at once (the dialog was the choice). */
  async pickAndSend(to: string, opts: SendOptions = {}): Promise<number> {
    const transfers = await this.api.invoke('transfer.pickAndSend', { to, ...sendArgs(opts) });
    if (transfers.length > 0) dispatch(action('local.transfersStarted', { transfers }));
    return transfers.length;
  }

  /**
   * Files from the page (drop, paste, file input): each shows as "Preparing…" while it streams to
   * main, one file at a time, then goes out with transfer.send. A failure stays on screen (with
   * `describe`'s words) until dismissed; a cancel just removes it.
   */
  async sendFiles(to: string, files: readonly StageSource[], opts: SendOptions, describe: StageFailure): Promise<void> {
    const queued = files.map((file) => {
      const key = `stage-${++this.seq}`;
      const ctrl = new AbortController();
      this.staging.set(key, ctrl);
      dispatch(action('local.stagingStarted', { key, peer: to, name: file.name, size: file.size, startedAt: this.now() }));
      return { key, file, ctrl };
    });
    for (const { key, file, ctrl } of queued) {
      try {
        const stageId = await stageFile(this.api, file, {
          signal: ctrl.signal,
          onProgress: (bytes) => dispatch(action('local.stagingProgress', { key, bytes })),
        });
        if (ctrl.signal.aborted) {
          void this.api.invoke('transfer.stageAbort', { stageId }).catch(() => {});
          dispatch(action('local.stagingEnded', { key }));
          continue;
        }
        try {
          const transfer = await this.api.invoke('transfer.send', { to, stageId, ...sendArgs(opts) });
          dispatch(action('local.transfersStarted', { transfers: [transfer] }), action('local.stagingEnded', { key }));
        } catch (err) {
          // Refused before it started: main may still hold the staged copy.
          void this.api.invoke('transfer.stageAbort', { stageId }).catch(() => {});
          throw err;
        }
      } catch (err) {
        if (isAbort(err)) dispatch(action('local.stagingEnded', { key }));
        else dispatch(action('local.stagingFailed', { key, error: describe(err) }));
      } finally {
        this.staging.delete(key);
      }
    }
  }

  /** Stop preparing a file (it was never offered to anyone). */
  cancelStaging(key: string): void {
    // stageFile sees the abort before its next chunk (or before it starts, for a queued file) and
    // tells main; the card goes at once.
    this.staging.get(key)?.abort();
    dispatch(action('local.stagingEnded', { key }));
  }

  dismissStaging(key: string): void {
    dispatch(action('local.stagingEnded', { key }));
  }

  /** Accept into the download folder, or into `folder` under `name` (Save as… without native dialogs). */
  accept(id: string, target?: { folder: string; name: string }): Promise<null> {
    return this.api.invoke('transfer.accept', target ? { id, folder: target.folder, name: target.name } : { id });
  }

  /** Native save dialog; false when the user cancelled it (the offer stays open). */
  saveAs(id: string): Promise<boolean> {
    return this.api.invoke('transfer.saveAs', { id });
  }

  decline(id: string): Promise<null> {
    return this.api.invoke('transfer.decline', { id });
  }

  cancel(id: string): Promise<null> {
    return this.api.invoke('transfer.cancel', { id });
  }

  async clearFinished(): Promise<void> {
    await this.api.invoke('transfer.clearFinished', {});
    dispatch(action('local.transfersCleared', {}));
    // Failed stagings are finished too.
    for (const e of getState().transfers.staging) if (e.error !== undefined) dispatch(action('local.stagingEnded', { key: e.key }));
  }

  open(id: string): Promise<null> {
    return this.api.invoke('transfer.open', { id });
  }

  showInFolder(id: string): Promise<null> {
    return this.api.invoke('transfer.showInFolder', { id });
  }
}

const bySession = new WeakMap<object, TransferActions>();

export function useTransferActions(): TransferActions {
  const session = useSession();
  return useMemo(() => {
    let a = bySession.get(session);
    if (!a) bySession.set(session, (a = new TransferActions(session.api)));
    return a;
  }, [session]);
}
