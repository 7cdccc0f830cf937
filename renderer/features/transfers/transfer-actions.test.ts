import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandArgs, CommandName, CommandResult, FlintApi } from '../../../shared/ipc/contract';
import type { TransferInfo } from '../../../shared/transfer';
import { emptyRoot } from '../../store/root';
import { flintStore, getState } from '../../store/store';
import { TransferActions } from './transfer-actions';
import type { StageSource } from './stage-upload';

const sent = (to: string, name: string, size: number): TransferInfo => ({ id: `t-${name}`, direction: 'out', peer: to, name, size, state: 'waiting', bytes: 0, rate: 0, attempts: [], startedAt: 1 });

/** Main as far as staging and sending go; `refuseSend` makes transfer.send fail. */
function fakeMain(opts: { refuseSend?: boolean } = {}) {
  const calls: { name: CommandName; args: unknown }[] = [];
  const stages = new Map<string, { name: string; size: number; got: number }>();
  let n = 0;
  const api: Pick<FlintApi, 'invoke'> = {
    async invoke<C extends CommandName>(name: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      calls.push({ name, args });
      const r = (v: unknown) => v as CommandResult<C>;
      switch (name) {
        case 'transfer.stageBegin': {
          const a = args as CommandArgs<'transfer.stageBegin'>;
          const stageId = `stage-id-${++n}`;
          stages.set(stageId, { name: a.name, size: a.size, got: 0 });
          return r({ stageId });
        }
        case 'transfer.stageChunk': {
          const a = args as CommandArgs<'transfer.stageChunk'>;
          stages.get(a.stageId)!.got += Buffer.from(a.data, 'base64').length;
          return r(null);
        }
        case 'transfer.stageAbort':
          stages.delete((args as CommandArgs<'transfer.stageAbort'>).stageId);
          return r(null);
        case 'transfer.send': {
          if (opts.refuseSend) throw new Error('not online');
          const a = args as CommandArgs<'transfer.send'>;
          const st = stages.get(a.stageId)!;
          if (st.got !== st.size) throw new Error('not fully staged');
          return r(sent(a.to, st.name, st.size));
        }
        case 'transfer.clearFinished':
          return r(null);
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  };
  return { api, calls, stages };
}

const file = (name: string, size: number): StageSource => {
  const blob = new Blob([new Uint8Array(size)]);
  return { name, size, type: '', slice: (s, e) => blob.slice(s, e) };
};

beforeEach(() => flintStore.setState(emptyRoot, true));

describe('TransferActions.sendFiles', () => {
  it('stages each file in turn, then sends it; the transfers appear and the staging cards go', async () => {
    const main = fakeMain();
    const actions = new TransferActions(main.api, () => 42);
    const run = actions.sendFiles('bob@x', [file('a.bin', 1500), file('b.bin', 10)], { method: 'auto', desc: '  holiday  ' }, String);
    // Both are shown as being prepared at once.
    expect(getState().transfers.staging.map((e) => e.name)).toEqual(['a.bin', 'b.bin']);
    await run;
    expect(getState().transfers.staging).toEqual([]);
    expect(getState().transfers.order).toEqual(['t-a.bin', 't-b.bin']);
    const sends = main.calls.filter((c) => c.name === 'transfer.send').map((c) => c.args);
    // 'auto' is the default and is not sent; the description is trimmed.
    expect(sends).toEqual([
      { to: 'bob@x', stageId: 'stage-id-1', desc: 'holiday' },
      { to: 'bob@x', stageId: 'stage-id-2', desc: 'holiday' },
    ]);
  });

  it('a refused send aborts the staging in main and leaves a failure card until dismissed', async () => {
    const main = fakeMain({ refuseSend: true });
    const actions = new TransferActions(main.api);
    await actions.sendFiles('bob@x', [file('a.bin', 5)], { method: 'jingle' }, (err) => `failed: ${(err as Error).message}`);
    expect(main.calls.map((c) => c.name)).toEqual(['transfer.stageBegin', 'transfer.stageChunk', 'transfer.send', 'transfer.stageAbort']);
    expect((main.calls[2]!.args as { method?: string }).method).toBe('jingle');
    const [entry] = getState().transfers.staging;
    expect(entry!.error).toBe('failed: not online');
    // "Clear finished" removes failed stagings too.
    await actions.clearFinished();
    expect(getState().transfers.staging).toEqual([]);
  });

  it('cancelling a queued file removes it at once and it is never begun', async () => {
    const main = fakeMain();
    const actions = new TransferActions(main.api);
    const run = actions.sendFiles('bob@x', [file('a.bin', 5), file('b.bin', 5)], {}, String);
    const queued = getState().transfers.staging.find((e) => e.name === 'b.bin')!;
    actions.cancelStaging(queued.key);
    expect(getState().transfers.staging.map((e) => e.name)).toEqual(['a.bin']);
    await run;
    expect(main.calls.filter((c) => c.name === 'transfer.stageBegin')).toHaveLength(1);
    expect(getState().transfers.order).toEqual(['t-a.bin']);
    expect(getState().transfers.staging).toEqual([]);
  });
});
