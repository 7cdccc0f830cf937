import { describe, expect, it } from 'vitest';
import { events as eventSchemas, type AppEvent } from '../../../shared/ipc/contract';
import { MAX_STAGE_CHUNK_BYTES, MAX_STAGE_FILE_BYTES } from '../../../shared/ipc/transfer-contract';
import { createEventBatcher } from './event-batcher';
import { CommandRejectedError, createHandlers, dispatch, type HandlerDeps } from './handlers';
import { FakeAccount } from './testing/fake-account';
import { FAKE_OFFER } from './testing/fake-transfers';

function setup(deps: Partial<HandlerDeps> = {}) {
  const account = new FakeAccount();
  const handlers = createHandlers(account, { openExternal: async () => {}, ...deps });
  const run = (name: string, args: unknown) => dispatch(handlers, name, args, { checkResult: true });
  const methods = () => account.calls.map((c) => c.method);
  return { account, run, methods };
}

/** Native dialogs that answer as told and record what they were asked. */
function dialogs(answers: { pick?: string[]; save?: string | null; folder?: string | null } = {}) {
  const asked: unknown[][] = [];
  const deps: Partial<HandlerDeps> = {
    pickFilesToSend: async () => (asked.push(['pick']), answers.pick ?? []),
    chooseSavePath: async (name, folder) => (asked.push(['save', name, folder]), answers.save ?? null),
    chooseFolder: async (current) => (asked.push(['folder', current]), answers.folder ?? null),
    openPath: async (file) => void asked.push(['open', file]),
    showItemInFolder: (file) => void asked.push(['show', file]),
  };
  return { asked, deps };
}

describe('transfer.settings', () => {
  it('says whether native dialogs are there', async () => {
    expect(await setup().run('transfer.settings', {})).toEqual({ downloadFolder: '/home/me/Downloads', nativeDialogs: false });
    expect(await setup(dialogs().deps).run('transfer.settings', {})).toEqual({ downloadFolder: '/home/me/Downloads', nativeDialogs: true });
  });

  it('setDownloadFolder answers with the settings now in force', async () => {
    const { run, account } = setup();
    expect(await run('transfer.setDownloadFolder', { folder: '/srv/files' })).toEqual({ downloadFolder: '/srv/files', nativeDialogs: false });
    expect(account.calls).toEqual([{ method: 'transfers.setDownloadFolder', args: ['/srv/files'] }]);
  });

  it('chooseDownloadFolder starts at the current folder; null and nothing saved when cancelled', async () => {
    const cancelled = dialogs();
    const a = setup(cancelled.deps);
    expect(await a.run('transfer.chooseDownloadFolder', {})).toBeNull();
    expect(cancelled.asked).toEqual([['folder', '/home/me/Downloads']]);
    expect(a.methods()).toEqual([]);
    const chosen = dialogs({ folder: '/media/usb' });
    const b = setup(chosen.deps);
    expect(await b.run('transfer.chooseDownloadFolder', {})).toEqual({ downloadFolder: '/media/usb', nativeDialogs: true });
  });
});

describe('without native dialogs (browser bridge)', () => {
  it.each([
    ['transfer.chooseDownloadFolder', {}],
    ['transfer.pickAndSend', { to: 'bob@example.test' }],
    ['transfer.saveAs', { id: 'offer-1' }],
  ])('%s is refused with a way out', async (name, args) => {
    const { run, methods } = setup();
    await expect(run(name, args)).rejects.toThrow(/drop or paste files into the chat, and type a folder/);
    expect(methods()).toEqual([]);
  });

  it('open and show in folder are refused when the shell cannot do them', async () => {
    const { run } = setup();
    await expect(run('transfer.open', { id: 'offer-1' })).rejects.toThrow('Opening files is not available here.');
    await expect(run('transfer.showInFolder', { id: 'offer-1' })).rejects.toThrow('Showing files in their folder is not available here.');
  });
});

describe('transfer.pickAndSend', () => {
  it('sends every chosen file with the options given', async () => {
    const d = dialogs({ pick: ['/home/me/a.pdf', '/home/me/b.png'] });
    const { run, account } = setup(d.deps);
    const sent = (await run('transfer.pickAndSend', { to: 'bob@example.test', method: 'upload' })) as { name: string }[];
    expect(sent.map((t) => t.name)).toEqual(['a.pdf', 'b.png']);
    expect(account.calls).toEqual([
      { method: 'transfers.checkSend', args: ['bob@example.test'] },
      { method: 'transfers.sendFile', args: ['bob@example.test', '/home/me/a.pdf', { method: 'upload' }] },
      { method: 'transfers.sendFile', args: ['bob@example.test', '/home/me/b.png', { method: 'upload' }] },
    ]);
  });

  it('[] when cancelled; no dialog when nothing can be sent', async () => {
    const d = dialogs();
    const { run, account, methods } = setup(d.deps);
    expect(await run('transfer.pickAndSend', { to: 'bob@example.test' })).toEqual([]);
    expect(methods()).toEqual(['transfers.checkSend']);
    account.transfers.checkSend = () => {
      throw new Error('Not connected: try again when Flint is online.');
    };
    await expect(run('transfer.pickAndSend', { to: 'bob@example.test' })).rejects.toThrow('Not connected');
    expect(d.asked).toEqual([['pick']]);
  });

  it('names the files that could not be sent', async () => {
    const d = dialogs({ pick: ['/home/me/ok.txt', '/home/me/gone.txt'] });
    const { run, account } = setup(d.deps);
    const real = account.transfers.sendFile.bind(account.transfers);
    account.transfers.sendFile = async (to, file, opts) => {
      if (file.endsWith('gone.txt')) throw new Error('file error: ENOENT');
      return real(to, file, opts);
    };
    await expect(run('transfer.pickAndSend', { to: 'bob@example.test' })).rejects.toThrow('Could not send gone.txt: file error: ENOENT');
  });
});

describe('transfer.saveAs', () => {
  it('asks where, starting in the download folder with the offered name, and accepts there', async () => {
    const d = dialogs({ save: '/home/me/Pictures/my photo.jpg' });
    const { run, account } = setup(d.deps);
    expect(await run('transfer.saveAs', { id: 'offer-1' })).toBe(true);
    expect(d.asked).toEqual([['save', 'photo.jpg', '/home/me/Downloads']]);
    expect(account.calls.at(-1)).toEqual({ method: 'transfers.accept', args: ['offer-1', '/home/me/Pictures', 'my photo.jpg'] });
  });

  it('false when cancelled: the offer stays open', async () => {
    const { run, methods } = setup(dialogs().deps);
    expect(await run('transfer.saveAs', { id: 'offer-1' })).toBe(false);
    expect(methods()).toEqual(['transfers.get']);
  });

  it('refused for what is not an open offer', async () => {
    const d = dialogs({ save: '/tmp/x' });
    const { run, account } = setup(d.deps);
    await expect(run('transfer.saveAs', { id: 'nope' })).rejects.toThrow('No such file waiting for an answer.');
    account.transfers.transfers = [{ ...account.transfers.transfers[0]!, state: 'done' }];
    await expect(run('transfer.saveAs', { id: 'offer-1' })).rejects.toThrow('No such file waiting for an answer.');
    expect(d.asked).toEqual([]);
  });
});

describe('transfer.open / transfer.showInFolder', () => {
  it('act on the file main found for the transfer', async () => {
    const d = dialogs();
    const { run, account } = setup(d.deps);
    account.transfers.file = '/home/me/Downloads/photo (1).jpg';
    await run('transfer.open', { id: 'offer-1' });
    await run('transfer.showInFolder', { id: 'offer-1' });
    expect(d.asked).toEqual([['open', '/home/me/Downloads/photo (1).jpg'], ['show', '/home/me/Downloads/photo (1).jpg']]);
  });

  it('nothing is opened when main refuses the file', async () => {
    const d = dialogs();
    const { run, account } = setup(d.deps);
    account.transfers.fileToOpen = async () => {
      throw new Error('Flint does not open programs, scripts, installers or disk images (setup.exe): use Show in folder and decide there.');
    };
    await expect(run('transfer.open', { id: 'offer-1' })).rejects.toThrow(/use Show in folder/);
    expect(d.asked).toEqual([]);
  });
});

describe('staging and answers reach the account as given', () => {
  it('stage, send, accept, decline, cancel', async () => {
    const { run, account } = setup();
    expect(await run('transfer.stageBegin', { name: 'a.txt', size: 3 })).toEqual({ stageId: 'stage-0123456789abcdef' });
    await run('transfer.stageChunk', { stageId: 'stage-0123456789abcdef', offset: 0, data: 'YWJj' });
    await run('transfer.send', { to: 'bob@example.test', stageId: 'stage-0123456789abcdef', desc: 'see this' });
    await run('transfer.accept', { id: 'offer-1' });
    await run('transfer.decline', { id: 'offer-1' });
    await run('transfer.cancel', { id: 'offer-1' });
    expect(account.calls).toEqual([
      { method: 'transfers.stageBegin', args: ['a.txt', 3, undefined] },
      { method: 'transfers.stageChunk', args: ['stage-0123456789abcdef', 0, 'YWJj'] },
      { method: 'transfers.sendStaged', args: ['bob@example.test', 'stage-0123456789abcdef', { desc: 'see this' }] },
      { method: 'transfers.accept', args: ['offer-1', undefined, undefined] },
      { method: 'transfers.decline', args: ['offer-1'] },
      { method: 'transfers.cancel', args: ['offer-1'] },
    ]);
  });
});

describe('refused before any handler runs', () => {
  const chunkMax = Math.ceil((MAX_STAGE_CHUNK_BYTES * 4) / 3) + 4;
  it.each([
    ['stage id too short', 'transfer.stageChunk', { stageId: 'abc', offset: 0, data: '' }, /stageId/],
    ['stage id with a path', 'transfer.stageAbort', { stageId: '../../../etc/passwd' }, /stageId/],
    ['negative offset', 'transfer.stageChunk', { stageId: 'stage-0123456789abcdef', offset: -1, data: '' }, /offset/],
    ['fractional offset', 'transfer.stageChunk', { stageId: 'stage-0123456789abcdef', offset: 1.5, data: '' }, /offset/],
    ['oversized chunk', 'transfer.stageChunk', { stageId: 'stage-0123456789abcdef', offset: 0, data: 'A'.repeat(chunkMax + 4) }, /data/],
    ['file too large to stage', 'transfer.stageBegin', { name: 'big.iso', size: MAX_STAGE_FILE_BYTES + 1 }, /size/],
    ['empty file name', 'transfer.stageBegin', { name: '', size: 1 }, /name/],
    ['file name too long', 'transfer.stageBegin', { name: 'x'.repeat(1025), size: 1 }, /name/],
    ['send without a stage', 'transfer.send', { to: 'bob@example.test' }, /stageId/],
    ['unknown method', 'transfer.send', { to: 'bob@example.test', stageId: 'stage-0123456789abcdef', method: 'ftp' }, /method/],
    ['a path instead of a stage', 'transfer.send', { to: 'bob@example.test', stageId: 'stage-0123456789abcdef', path: '/etc/passwd' }, /unrecognized/i],
    ['empty folder', 'transfer.accept', { id: 'offer-1', folder: '' }, /folder/],
    ['empty id', 'transfer.open', { id: '' }, /id/],
    ['a path to open', 'transfer.open', { id: 'offer-1', path: '/bin/sh' }, /unrecognized/i],
    ['a path to show', 'transfer.showInFolder', { path: '/etc' }, /id/],
    ['a folder for the dialog', 'transfer.chooseDownloadFolder', { folder: '/' }, /unrecognized/i],
  ])('%s', async (_label, name, args, message) => {
    const d = dialogs({ pick: ['/x'], save: '/x', folder: '/x' });
    const { run, account } = setup(d.deps);
    const p = run(name, args);
    await expect(p).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(p).rejects.toThrow(message);
    expect(account.calls).toEqual([]);
    expect(d.asked).toEqual([]);
  });
});

describe('transfer events through the batcher', () => {
  it('reach the renderer unchanged, in order, valid against the contract', () => {
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: () => () => {} });
    const account = new FakeAccount();
    b.attach(account);
    const done = { ...FAKE_OFFER, state: 'done' as const, bytes: 1234, path: '/home/me/Downloads/photo.jpg', transport: 'socks5-direct' as const, endedAt: 1_700_000_001_000 };
    account.emit({ type: 'transfer.added', transfer: FAKE_OFFER });
    account.emit({ type: 'transfer.progress', id: 'offer-1', bytes: 600, size: 1234, rate: 5000, eta: 0 });
    account.emit({ type: 'transfer.updated', transfer: done });
    // The engine's own offer event stays in main: the renderer hears of it as transfer.added.
    account.emit({ type: 'file.offered', offer: { method: 'upload', sid: 's', from: 'bob@example.test', peer: 'bob@example.test', name: 'x', hashes: [] } });
    b.flush();
    expect(batches).toEqual([
      [
        { name: 'transfer.added', payload: { transfer: FAKE_OFFER } },
        { name: 'transfer.progress', payload: { id: 'offer-1', bytes: 600, size: 1234, rate: 5000, eta: 0 } },
        { name: 'transfer.updated', payload: { transfer: done } },
      ],
    ]);
    for (const e of batches[0]!) expect(eventSchemas[e.name].safeParse(e.payload).success).toBe(true);
  });
});
