import { describe, expect, it } from 'vitest';
import type { CommandArgs, CommandName, CommandResult, FlintApi } from '../../../shared/ipc/contract';
import { isAbort, stageFile, StageChangedError, StageTooLargeError, type StageSource } from './stage-upload';

type Call = { name: CommandName; args: unknown };

/** A fake main that checks the staging rules as main does: chunks in order, offset = bytes so far. */
function fakeMain(opts: { failChunkAt?: number; onChunk?: (offset: number) => void } = {}) {
  const calls: Call[] = [];
  const staged = new Map<string, Buffer[]>();
  let received = 0;
  const api: Pick<FlintApi, 'invoke'> = {
    invoke<C extends CommandName>(name: C, args: CommandArgs<C>): Promise<CommandResult<C>> {
      calls.push({ name, args });
      const ok = (v: unknown) => Promise.resolve(v as CommandResult<C>);
      if (name === 'transfer.stageBegin') {
        staged.set('stage-0001', []);
        return ok({ stageId: 'stage-0001' });
      }
      if (name === 'transfer.stageChunk') {
        const a = args as CommandArgs<'transfer.stageChunk'>;
        opts.onChunk?.(a.offset);
        if (opts.failChunkAt === a.offset) return Promise.reject(new Error('disk full'));
        if (a.offset !== received) return Promise.reject(new Error(`out of order: ${a.offset} != ${received}`));
        const bytes = Buffer.from(a.data, 'base64');
        if (bytes.length > 1024 * 1024) return Promise.reject(new Error('chunk too large'));
        staged.get(a.stageId)!.push(bytes);
        received += bytes.length;
        return ok(null);
      }
      if (name === 'transfer.stageAbort') {
        staged.delete((args as CommandArgs<'transfer.stageAbort'>).stageId);
        return ok(null);
      }
      return Promise.reject(new Error(`unexpected ${name}`));
    },
  };
  return { api, calls, staged };
}

const fileOf = (bytes: Uint8Array, name = 'data.bin', type = 'application/octet-stream'): StageSource => {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type });
  return { name, size: blob.size, type, slice: (s, e) => blob.slice(s, e) };
};

const random = (n: number) => {
  const b = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
};

describe('stageFile', () => {
  it('streams the file in order in ≤ 1 MiB chunks and main gets exactly its bytes', async () => {
    const main = fakeMain();
    const bytes = random(2 * 1024 * 1024 + 333);
    const progress: number[] = [];
    const id = await stageFile(main.api, fileOf(bytes, 'r.bin'), { onProgress: (b) => progress.push(b) });
    expect(id).toBe('stage-0001');
    expect(main.calls[0]).toEqual({ name: 'transfer.stageBegin', args: { name: 'r.bin', size: bytes.length, mediaType: 'application/octet-stream' } });
    expect(main.calls.filter((c) => c.name === 'transfer.stageChunk').map((c) => (c.args as { offset: number }).offset)).toEqual([0, 1048576, 2097152]);
    expect(Buffer.concat(main.staged.get(id)!).equals(Buffer.from(bytes))).toBe(true);
    expect(progress).toEqual([1048576, 2097152, bytes.length]);
  });

  it('an empty file is begun and sent without chunks; no media type is left out', async () => {
    const main = fakeMain();
    await stageFile(main.api, fileOf(new Uint8Array(0), 'empty', ''));
    expect(main.calls).toEqual([{ name: 'transfer.stageBegin', args: { name: 'empty', size: 0 } }]);
  });

  it('a failing chunk aborts the staging in main and rethrows', async () => {
    const main = fakeMain({ failChunkAt: 1048576 });
    await expect(stageFile(main.api, fileOf(random(3 * 1024 * 1024)))).rejects.toThrow('disk full');
    expect(main.calls.at(-1)).toEqual({ name: 'transfer.stageAbort', args: { stageId: 'stage-0001' } });
    expect(main.staged.size).toBe(0);
  });

  it('cancelling stops before the next chunk and aborts in main', async () => {
    const ctrl = new AbortController();
    const main = fakeMain({ onChunk: (offset) => offset === 1048576 && ctrl.abort() });
    const err = await stageFile(main.api, fileOf(random(4 * 1024 * 1024)), { signal: ctrl.signal }).catch((e: unknown) => e);
    expect(isAbort(err)).toBe(true);
    const chunks = main.calls.filter((c) => c.name === 'transfer.stageChunk');
    expect(chunks).toHaveLength(2);
    expect(main.calls.at(-1)!.name).toBe('transfer.stageAbort');
  });

  it('refuses files over the staging limit before asking main, and a file that shrank while read', async () => {
    const main = fakeMain();
    const huge: StageSource = { name: 'huge', size: 9 * 1024 ** 3, type: '', slice: () => ({ arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)) }) };
    await expect(stageFile(main.api, huge)).rejects.toBeInstanceOf(StageTooLargeError);
    expect(main.calls).toEqual([]);
    const blob = new Blob([random(100)]);
    const shrunk: StageSource = { name: 's', size: 200, type: '', slice: (s, e) => blob.slice(s, e) };
    await expect(stageFile(main.api, shrunk)).rejects.toBeInstanceOf(StageChangedError);
    expect(main.calls.at(-1)!.name).toBe('transfer.stageAbort');
  });
});
