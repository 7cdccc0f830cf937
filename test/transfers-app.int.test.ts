// Issue 6 through the app: two real AccountServices against Prosody (proxy65 and http_file_share
// enabled), driven only through the IPC handler table (createHandlers + dispatch, results checked
// against the contract), with the renderer's view taken from the event batcher. A file the page
// stages in chunks goes out, the other side is offered it, accepts, and both see it done with
// identical bytes; the staged copy is gone. Also: decline, Save as (folder + name, and the native
// dialog), staging errors, Open / Show in folder (and no Open for a program), a native-dialog send,
// HTTPS downloads checked against the account's extra CA, sign-out mid-transfer and switching
// accounts with an offer open.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events as eventSchemas, type AppEvent, type CommandName } from '../shared/ipc/contract';
import type { TransferInfo } from '../shared/transfer';
import type { UploadApi } from '../electron/core/modules';
import { createEventBatcher } from '../electron/main/ipc/event-batcher';
import { createHandlers, dispatch } from '../electron/main/ipc/handlers';
import { createTestCa } from './harness/ca';
import { startProsody, type ProsodyServer } from './harness/prosody';
import { is, moduleApi, TestAccount } from './support/client';

const D = 'example.test';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** One account as the renderer sees it: commands through the handler table, events through the batcher. */
class App {
  readonly events: AppEvent[] = [];
  readonly opened: string[] = [];
  readonly shown: string[] = [];
  /** What the fake native dialogs answer next. */
  savePath: string | null = null;
  pick: string[] = [];
  readonly run: <C extends CommandName>(name: C, args: unknown) => Promise<unknown>;

  constructor(readonly account: TestAccount) {
    const batcher = createEventBatcher((evs) => this.events.push(...evs), { intervalMs: 5 });
    batcher.attach(account.service);
    const handlers = createHandlers(account.service, {
      openExternal: async () => {},
      flushEvents: () => batcher.flush(),
      pickFilesToSend: async () => this.pick,
      chooseSavePath: async () => this.savePath,
      chooseFolder: async () => null,
      openPath: async (p) => void this.opened.push(p),
      showItemInFolder: (p) => void this.shown.push(p),
    });
    this.run = (name, args) => dispatch(handlers, name, args, { checkResult: true });
  }

  get outgoing(): string {
    return path.join(this.account.dataDir, 'outgoing');
  }

  /** The latest record of a transfer as the renderer would hold it (added/updated, then progress). */
  transfer(id: string): TransferInfo | undefined {
    let t: TransferInfo | undefined;
    for (const e of this.events) {
      if ((e.name === 'transfer.added' || e.name === 'transfer.updated') && e.payload.transfer.id === id) t = e.payload.transfer;
    }
    return t;
  }

  async waitEvent(pred: (e: AppEvent) => boolean, ms = 15_000): Promise<AppEvent> {
    const end = Date.now() + ms;
    for (;;) {
      const found = this.events.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`timed out; transfer events so far: ${JSON.stringify(this.events.filter((e) => e.name.startsWith('transfer.')).slice(-5))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The next offer named `name` (an incoming transfer.added). */
  async offer(name: string): Promise<TransferInfo> {
    const e = await this.waitEvent((ev) => ev.name === 'transfer.added' && ev.payload.transfer.direction === 'in' && ev.payload.transfer.name === name && !this.taken.has(ev.payload.transfer.id));
    const t = (e as AppEvent & { name: 'transfer.added' }).payload.transfer;
    this.taken.add(t.id);
    return t;
  }
  private readonly taken = new Set<string>();

  async settled(id: string, ms = 15_000): Promise<TransferInfo> {
    await this.waitEvent((e) => e.name === 'transfer.updated' && e.payload.transfer.id === id && ['done', 'failed', 'cancelled', 'declined'].includes(e.payload.transfer.state), ms);
    return this.transfer(id)!;
  }

  /** Stages `content` through transfer.stage* in chunks, as the page does with a dropped file. */
  async stage(name: string, content: Buffer, chunk = 256 * 1024): Promise<string> {
    const { stageId } = (await this.run('transfer.stageBegin', { name, size: content.length })) as { stageId: string };
    for (let offset = 0; offset < content.length; offset += chunk) {
      await this.run('transfer.stageChunk', { stageId, offset, data: content.subarray(offset, offset + chunk).toString('base64') });
    }
    return stageId;
  }

  async send(to: string, name: string, content: Buffer, extra: Record<string, unknown> = {}): Promise<TransferInfo> {
    const stageId = await this.stage(name, content);
    return (await this.run('transfer.send', { to, stageId, ...extra })) as TransferInfo;
  }
}

async function emptied(dir: string, ms = 5000): Promise<string[]> {
  const end = Date.now() + ms;
  const list = () => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  while (list().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return list();
}

describe('file transfers through the app’s handler table (Prosody)', () => {
  let server: ProsodyServer;
  let root: string;
  let httpsCaPem: string;
  const accounts: TestAccount[] = [];
  let alice: App;
  let bob: App;

  const account = async (user: string, tuning: Record<string, unknown> = {}) => {
    const a = new TestAccount({
      extraCa: [server.caCertPem, httpsCaPem],
      defaultDownloadFolder: path.join(root, `${user}-downloads`),
      transfers: { allowHttp: true, directAddresses: ['127.0.0.1'], timeouts: { connect: 2000, offer: 30_000, idle: 10_000 }, ...tuning },
    });
    accounts.push(a);
    await a.login({ jid: `${user}@${D}`, resource: 'flint', host: '127.0.0.1', port: server.c2sPort }, `${user}-pw`);
    await a.waitStatus('online', 20_000, false);
    return a;
  };
  const seesOnline = (a: TestAccount, jid: string) => a.waitFor(is('presence.changed', (e) => e.updates.some((u) => u.jid === jid && u.presence !== null)));

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'flint-transfers-app-'));
    const [srv, ca] = await Promise.all([startProsody({ domain: D, proxy65: true, httpFileShare: true }), createTestCa()]);
    server = srv;
    httpsCaPem = ca.caCertPem;
    const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
    await server.registerMany(users.map((user) => ({ user, pass: `${user}-pw` })));
    await server.writeRoster('alice', [{ jid: `bob@${D}` }]);
    await server.writeRoster('bob', [{ jid: `alice@${D}` }]);
    await server.writeRoster('carol', [{ jid: `dave@${D}` }]);
    await server.writeRoster('dave', [{ jid: `carol@${D}` }]);
    const [a, b] = await Promise.all([account('alice'), account('bob')]);
    alice = new App(a);
    bob = new App(b);
    await Promise.all([seesOnline(a, `bob@${D}`), seesOnline(b, `alice@${D}`)]);
  }, 30_000);

  afterAll(async () => {
    // Every transfer event the renderer got is what the contract says.
    for (const app of [alice, bob]) {
      for (const e of app?.events ?? []) {
        if (!e.name.startsWith('transfer.')) continue;
        const parsed = eventSchemas[e.name].safeParse(e.payload);
        expect(parsed.success, `${e.name}: ${JSON.stringify(e.payload)}`).toBe(true);
      }
    }
    await Promise.all(accounts.map((a) => a.close()));
    await server?.stop({ graceful: false });
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('stage in chunks → send → offered → accept: both done, identical bytes, staged copy removed', async () => {
    const content = randomBytes(3 * 1024 * 1024 + 123);
    const out = await alice.send(`bob@${D}`, 'holiday photos.zip', content);
    expect(out).toMatchObject({ direction: 'out', peer: `bob@${D}`, name: 'holiday photos.zip', size: content.length, mediaType: 'application/zip' });
    expect(readdirSync(alice.outgoing)).toHaveLength(1);

    const offer = await bob.offer('holiday photos.zip');
    expect(offer).toMatchObject({ state: 'offered', method: 'jingle', peer: `alice@${D}`, size: content.length });
    // Nothing written before the user accepts.
    expect(readdirSync(root)).not.toContain('bob-downloads');
    // The snapshot a newly opened window gets holds the offer.
    const snap = (await bob.run('app.snapshot', {})) as { transfers: TransferInfo[] };
    expect(snap.transfers.find((t) => t.id === offer.id)?.state).toBe('offered');

    await bob.run('transfer.accept', { id: offer.id });
    const [sent, got] = await Promise.all([alice.settled(out.id), bob.settled(offer.id)]);
    expect(sent).toMatchObject({ state: 'done', method: 'jingle', transport: 'socks5-direct', bytes: content.length });
    expect(got).toMatchObject({ state: 'done', bytes: content.length, path: path.join(root, 'bob-downloads', 'holiday photos.zip') });
    expect(sha256(readFileSync(got.path!))).toBe(sha256(content));
    expect(await emptied(alice.outgoing)).toEqual([]);
    // Progress reached the renderer, ending at the full size.
    const progress = bob.events.filter((e) => e.name === 'transfer.progress' && e.payload.id === offer.id);
    expect(progress.at(-1)?.payload).toMatchObject({ bytes: content.length, size: content.length });
    const list = (await alice.run('transfer.list', {})) as TransferInfo[];
    expect(list.find((t) => t.id === out.id)?.state).toBe('done');

    // Open / Show in folder hand main's own path for the transfer to the shell.
    await bob.run('transfer.open', { id: offer.id });
    await bob.run('transfer.showInFolder', { id: offer.id });
    expect(bob.opened).toEqual([got.path]);
    expect(bob.shown).toEqual([got.path]);
    // The sender's staged copy is not the user's file, and it is gone.
    await expect(alice.run('transfer.open', { id: out.id })).rejects.toThrow(/sent from a copy Flint keeps only while sending/);
  });

  it('decline: the sender hears it, and its staged copy is removed', async () => {
    const out = await alice.send(`bob@${D}`, 'unwanted.bin', randomBytes(1000));
    const offer = await bob.offer('unwanted.bin');
    await bob.run('transfer.decline', { id: offer.id });
    expect(await alice.settled(out.id)).toMatchObject({ state: 'declined', error: { code: 'declined' } });
    expect(await bob.settled(offer.id)).toMatchObject({ state: 'declined' });
    expect(await emptied(alice.outgoing)).toEqual([]);
  });

  it('accept into a typed folder under a new name (HTTP upload); then Save as… through the native dialog', async () => {
    const content = randomBytes(400_000);
    const out = await alice.send(`bob@${D}`, 'report.pdf', content, { method: 'upload' });
    const offer = await bob.offer('report.pdf');
    expect(offer.method).toBe('upload');
    const folder = path.join(root, 'typed folder');
    mkdirSync(folder);
    await expect(bob.run('transfer.accept', { id: offer.id, folder: 'relative/dir' })).rejects.toThrow(/must be a full path/);
    await expect(bob.run('transfer.accept', { id: offer.id, folder: path.join(root, 'missing') })).rejects.toThrow(/does not exist/);
    await bob.run('transfer.accept', { id: offer.id, folder, name: '../Q3 report.pdf' });
    const got = await bob.settled(offer.id);
    expect(got).toMatchObject({ state: 'done', name: 'Q3 report.pdf', path: path.join(folder, 'Q3 report.pdf') });
    expect(sha256(readFileSync(got.path!))).toBe(sha256(content));
    expect((await alice.settled(out.id)).state).toBe('done');
    expect(await emptied(alice.outgoing)).toEqual([]);

    // Save as…: cancelled leaves the offer open; a chosen path is where the file lands.
    const again = await alice.send(`bob@${D}`, 'report.pdf', content, { method: 'upload' });
    const offer2 = await bob.offer('report.pdf');
    bob.savePath = null;
    expect(await bob.run('transfer.saveAs', { id: offer2.id })).toBe(false);
    expect(bob.transfer(offer2.id)?.state).toBe('offered');
    bob.savePath = path.join(folder, 'Q3 report.pdf');
    expect(await bob.run('transfer.saveAs', { id: offer2.id })).toBe(true);
    // Never over an existing file: a numbered name instead.
    expect((await bob.settled(offer2.id)).path).toBe(path.join(folder, 'Q3 report (1).pdf'));
    await alice.settled(again.id);
  });

  it('staging errors: a gap, too much, bad base64, an unknown stage, sending before the end', async () => {
    const { stageId } = (await alice.run('transfer.stageBegin', { name: 'partial.bin', size: 10 })) as { stageId: string };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    await alice.run('transfer.stageChunk', { stageId, offset: 0, data: b64('12345') });
    await expect(alice.run('transfer.stageChunk', { stageId, offset: 6, data: b64('7') })).rejects.toThrow('Staged data out of order: expected offset 5, got 6.');
    await expect(alice.run('transfer.stageChunk', { stageId, offset: 5, data: b64('678901') })).rejects.toThrow('More data than the declared size of 10 bytes.');
    await expect(alice.run('transfer.stageChunk', { stageId, offset: 5, data: 'Njc4*Q==' })).rejects.toThrow('The chunk is not valid base64.');
    await expect(alice.run('transfer.send', { to: `bob@${D}`, stageId })).rejects.toThrow('The file is not completely staged yet (5 of 10 bytes).');
    await expect(alice.run('transfer.stageChunk', { stageId: 'unknownStage0001', offset: 0, data: '' })).rejects.toThrow(/No such staged file/);
    await expect(alice.run('transfer.send', { to: `bob@${D}`, stageId: 'unknownStage0001' })).rejects.toThrow(/No such staged file/);
    await alice.run('transfer.stageAbort', { stageId });
    expect(readdirSync(alice.outgoing)).toEqual([]);
  });

  it('no Open for a program — Show in folder instead; a file from the native open dialog goes out too', async () => {
    const program = randomBytes(5000);
    const file = path.join(root, 'setup.exe');
    writeFileSync(file, program);
    alice.pick = [file];
    const [out] = (await alice.run('transfer.pickAndSend', { to: `bob@${D}` })) as TransferInfo[];
    expect(out).toMatchObject({ name: 'setup.exe', path: file, size: program.length });
    const offer = await bob.offer('setup.exe');
    await bob.run('transfer.accept', { id: offer.id });
    const got = await bob.settled(offer.id);
    expect(got.state).toBe('done');
    const before = bob.opened.length;
    await expect(bob.run('transfer.open', { id: offer.id })).rejects.toThrow('Flint does not open programs, scripts, installers or disk images (setup.exe): use Show in folder and decide there.');
    expect(bob.opened).toHaveLength(before);
    await bob.run('transfer.showInFolder', { id: offer.id });
    expect(bob.shown.at(-1)).toBe(got.path);
    // The sender's own file was sent from where it is: still there, not deleted.
    expect((await alice.settled(out!.id)).state).toBe('done');
    expect(readFileSync(file).equals(program)).toBe(true);
  });

  it('HTTPS downloads are checked against the account’s extra CA', async () => {
    const ca = await createTestCa();
    const [good, selfSigned] = await Promise.all([ca.issue({ names: ['127.0.0.1'] }), ca.issue({ names: ['127.0.0.1'], selfSigned: true })]);
    const body = randomBytes(100_000);
    const servers = [good, selfSigned].map((c) =>
      https.createServer({ key: c.keyPem, cert: c.certPem }, (_req, res) => {
        res.writeHead(200, { 'Content-Length': body.length }).end(body);
      }),
    );
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    try {
      const share = (name: string, s: https.Server) =>
        moduleApi<UploadApi>(alice.account, 'xep0363-upload').share(`bob@${D}`, `https://127.0.0.1:${(s.address() as AddressInfo).port}/${name}`, {
          name,
          size: body.length,
          hashes: [{ algo: 'sha-256', value: createHash('sha256').update(body).digest('base64') }],
        });
      share('trusted.bin', servers[0]!);
      const trusted = await bob.offer('trusted.bin');
      await bob.run('transfer.accept', { id: trusted.id });
      const got = await bob.settled(trusted.id);
      expect(got.state).toBe('done');
      expect(readFileSync(got.path!).equals(body)).toBe(true);

      share('untrusted.bin', servers[1]!);
      const untrusted = await bob.offer('untrusted.bin');
      const folder = mkdtempSync(path.join(root, 'untrusted-'));
      await bob.run('transfer.accept', { id: untrusted.id, folder });
      expect(await bob.settled(untrusted.id)).toMatchObject({ state: 'failed', error: { code: 'connection-failed' } });
      expect(await emptied(folder)).toEqual([]);
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('signing out mid-transfer cancels it cleanly; switching accounts keeps nothing of the old one', async () => {
    // In-band bytestreams only (no SOCKS5 candidates): slow enough to sign out in the middle.
    const [c, d] = await Promise.all([account('carol', { directAddresses: [], useProxy: false }), account('dave', { directAddresses: [], useProxy: false })]);
    const carol = new App(c);
    const dave = new App(d);
    await Promise.all([seesOnline(c, `dave@${D}`), seesOnline(d, `carol@${D}`)]);

    const out = await carol.send(`dave@${D}`, 'big.bin', randomBytes(6 * 1024 * 1024));
    const offer = await dave.offer('big.bin');
    await dave.run('transfer.accept', { id: offer.id });
    await dave.waitEvent((e) => e.name === 'transfer.progress' && e.payload.id === offer.id && e.payload.bytes > 0);
    await carol.run('account.logout', {});
    expect(await carol.settled(out.id)).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
    expect(await emptied(carol.outgoing)).toEqual([]);
    const ended = await dave.settled(offer.id);
    expect(ended.state).toBe('failed');
    expect(await emptied(path.join(root, 'dave-downloads'))).toEqual([]);

    // Dave has an offer open and a file half staged when he signs in as someone else.
    await carol.run('account.login', { jid: `carol@${D}`, password: 'carol-pw', remember: false, tlsMode: 'starttls', host: '127.0.0.1', port: server.c2sPort });
    await c.waitStatus('online', 20_000, false);
    // Carol's new session must know dave's device, or the file would go by HTTP upload.
    const deadline = Date.now() + 10_000;
    while (!c.service.snapshot().presence.some((u) => u.jid === `dave@${D}` && u.presence) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const pending = await carol.send(`dave@${D}`, 'later.txt', Buffer.from('read me later'));
    const open = await dave.offer('later.txt');
    expect(open.method).toBe('jingle');
    const { stageId } = (await dave.run('transfer.stageBegin', { name: 'half.bin', size: 100 })) as { stageId: string };
    await dave.run('transfer.stageChunk', { stageId, offset: 0, data: Buffer.alloc(50).toString('base64') });
    await dave.run('account.login', { jid: `erin@${D}`, password: 'erin-pw', remember: false, tlsMode: 'starttls', host: '127.0.0.1', port: server.c2sPort });
    await d.waitStatus('online', 20_000, false);
    expect((await dave.settled(open.id)).state).toBe('declined');
    expect(((await dave.run('app.snapshot', {})) as { transfers: TransferInfo[] }).transfers).toEqual([]);
    expect(await dave.run('transfer.list', {})).toEqual([]);
    expect(await emptied(dave.outgoing)).toEqual([]);
    await expect(dave.run('transfer.stageChunk', { stageId, offset: 50, data: '' })).rejects.toThrow(/No such staged file/);
    // Carol was told before dave's old session closed.
    expect(await carol.settled(pending.id)).toMatchObject({ state: 'declined' });
    expect(await emptied(carol.outgoing)).toEqual([]);
  });
});
