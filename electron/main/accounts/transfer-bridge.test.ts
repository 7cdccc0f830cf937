// TransferBridge without an XMPP server: offers arrive as the engine's file.offered events, shared
// links are served by a loopback HTTP server, and sending fails for want of a connection — which
// is enough to check the folder rules, Open/Show in folder, staging and clean-up.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TransferInfo } from '../../../shared/transfer';
import type { CoreEvent, FileOffer } from '../../core/events';
import { silentLogger } from '../../core/ports';
import { httpsCa, TransferBridge } from './transfer-bridge';

const files: Record<string, Buffer> = {
  '/photo.jpg': Buffer.from('not really a jpeg, but bytes all the same'),
  '/setup.exe': Buffer.from('MZ pretend program'),
};
let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = files[req.url ?? ''];
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const roots: string[] = [];
const bridges: TransferBridge[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.dispose()));
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function setup() {
  const root = mkdtempSync(path.join(tmpdir(), 'flint-bridge-'));
  roots.push(root);
  const dataDir = path.join(root, 'profile');
  mkdirSync(dataDir);
  const downloads = path.join(root, 'home', 'Downloads');
  const listeners = new Set<(e: CoreEvent) => void>();
  const events: CoreEvent[] = [];
  const state = { online: true };
  // What the account does: everything it emits reaches its listeners (the TransferService among them).
  const emit = (e: CoreEvent) => {
    events.push(e);
    for (const l of [...listeners]) l(e);
  };
  const bridge = new TransferBridge({
    dataDir,
    defaultDownloadFolder: downloads,
    log: silentLogger,
    api: () => undefined,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    emit,
    online: () => state.online,
    tuning: { allowHttp: true, staging: { freeBytes: async () => 1024 ** 4 } },
  });
  bridges.push(bridge);
  let sid = 0;
  const offer = (name: string, urlPath: string, extra: Partial<FileOffer> = {}): TransferInfo => {
    const body = files[urlPath];
    emit({
      type: 'file.offered',
      offer: { method: 'upload', sid: `s${++sid}`, from: 'bob@example.test', peer: 'bob@example.test', name, size: body?.length, hashes: body ? [{ algo: 'sha-256', value: createHash('sha256').update(body).digest('base64') }] : [], url: `${base}${urlPath}`, ...extra },
    });
    return bridge.list().at(-1)!;
  };
  const settled = async (id: string): Promise<TransferInfo> => {
    const until = Date.now() + 5000;
    for (;;) {
      const t = bridge.get(id)!;
      if (['done', 'failed', 'cancelled', 'declined'].includes(t.state) || Date.now() > until) return t;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { root, dataDir, downloads, bridge, events, state, offer, settled, outgoing: path.join(dataDir, 'outgoing') };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

describe('accepting offers', () => {
  it('saves into the default Downloads folder (created when missing) only after accept', async () => {
    const { bridge, downloads, offer, settled, events } = setup();
    const t = offer('photo.jpg', '/photo.jpg');
    expect(t).toMatchObject({ direction: 'in', state: 'offered', name: 'photo.jpg', method: 'upload' });
    expect(events.filter((e) => e.type === 'transfer.added')).toHaveLength(1);
    expect(existsSync(downloads)).toBe(false);
    expect(bridge.downloadFolder()).toBe(downloads);
    await bridge.accept(t.id);
    const done = await settled(t.id);
    expect(done).toMatchObject({ state: 'done', path: path.join(downloads, 'photo.jpg') });
    expect(readFileSync(done.path!).equals(files['/photo.jpg']!)).toBe(true);
    await expect(bridge.fileToOpen(t.id)).resolves.toBe(done.path);
    await expect(bridge.fileToShow(t.id)).resolves.toBe(done.path);
  });

  it('Save as: into a checked folder under a sanitized name, never over an existing file', async () => {
    const { bridge, root, offer, settled } = setup();
    const folder = path.join(root, 'chosen');
    mkdirSync(folder);
    const first = offer('photo.jpg', '/photo.jpg');
    await bridge.accept(first.id, folder, '../../holiday\u202Egpj.exe');
    expect(await settled(first.id)).toMatchObject({ state: 'done', name: 'holidaygpj.exe', path: path.join(folder, 'holidaygpj.exe') });
    const second = offer('photo.jpg', '/photo.jpg');
    await bridge.accept(second.id, folder, 'holidaygpj.exe');
    expect((await settled(second.id)).path).toBe(path.join(folder, 'holidaygpj (1).exe'));
    expect(readdirSync(folder).sort()).toEqual(['holidaygpj (1).exe', 'holidaygpj.exe']);
  });

  it('refuses a folder that is relative, missing or a file, and leaves the offer open', async () => {
    const { bridge, root, offer } = setup();
    const t = offer('photo.jpg', '/photo.jpg');
    await expect(bridge.accept(t.id, 'Downloads')).rejects.toThrow(/full path/);
    await expect(bridge.accept(t.id, path.join(root, 'nope'))).rejects.toThrow(/does not exist/);
    await expect(bridge.accept(t.id, path.join(root, 'profile', 'transfer-settings.json'))).rejects.toThrow();
    expect(bridge.get(t.id)?.state).toBe('offered');
    await expect(bridge.accept('no-such-id')).rejects.toThrow('No such incoming file.');
    bridge.decline(t.id);
    expect(bridge.get(t.id)).toMatchObject({ state: 'declined', error: { code: 'declined' } });
    await expect(bridge.accept(t.id)).rejects.toThrow('This file was already answered (declined).');
    expect(() => bridge.decline(t.id)).toThrow('already answered');
  });

  it('uses the download folder the user set', async () => {
    const { bridge, root, offer, settled } = setup();
    const mine = path.join(root, 'mine');
    mkdirSync(mine);
    expect(await bridge.setDownloadFolder(mine)).toBe(mine);
    expect(bridge.downloadFolder()).toBe(mine);
    const t = offer('photo.jpg', '/photo.jpg');
    await bridge.accept(t.id);
    expect((await settled(t.id)).path).toBe(path.join(mine, 'photo.jpg'));
  });
});

describe('Open and Show in folder', () => {
  it('refuses to open a program, but shows it in its folder', async () => {
    const { bridge, downloads, offer, settled } = setup();
    const t = offer('setup.exe', '/setup.exe');
    await bridge.accept(t.id);
    expect((await settled(t.id)).state).toBe('done');
    await expect(bridge.fileToOpen(t.id)).rejects.toThrow('Flint does not open programs, scripts, installers or disk images (setup.exe): use Show in folder and decide there.');
    await expect(bridge.fileToShow(t.id)).resolves.toBe(path.join(downloads, 'setup.exe'));
  });

  it('only for a transfer whose file is there', async () => {
    const { bridge, offer, settled } = setup();
    await expect(bridge.fileToOpen('nope')).rejects.toThrow('No such transfer.');
    const t = offer('photo.jpg', '/photo.jpg');
    await expect(bridge.fileToOpen(t.id)).rejects.toThrow('The file has not been received yet.');
    await expect(bridge.fileToShow(t.id)).rejects.toThrow('The file has not been received yet.');
    await bridge.accept(t.id);
    const done = await settled(t.id);
    rmSync(done.path!);
    await expect(bridge.fileToOpen(t.id)).rejects.toThrow(`The file is no longer there: ${done.path}`);
    // A failed download has no file to open.
    const broken = offer('gone.bin', '/missing');
    await bridge.accept(broken.id);
    expect((await settled(broken.id)).state).toBe('failed');
    await expect(bridge.fileToShow(broken.id)).rejects.toThrow('The file has not been received yet.');
  });
});

describe('sending staged files', () => {
  const stage = async (bridge: TransferBridge, content: string, name = 'note.txt') => {
    const id = await bridge.stageBegin(name, Buffer.byteLength(content), 'text/plain');
    await bridge.stageChunk(id, 0, Buffer.from(content).toString('base64'));
    return id;
  };

  it('refuses while offline or to an address that is not a contact’s, keeping the stage for a retry', async () => {
    const { bridge, state, outgoing } = setup();
    const id = await stage(bridge, 'hello');
    state.online = false;
    await expect(bridge.sendStaged('bob@example.test', id)).rejects.toThrow('Not connected: try again when Flint is online.');
    state.online = true;
    await expect(bridge.sendStaged('example.test', id)).rejects.toThrow('Files can be sent only to a contact address');
    expect(readdirSync(outgoing)).toEqual([id]);
    await bridge.stageAbort(id);
    expect(readdirSync(outgoing)).toEqual([]);
  });

  it('deletes the staged copy once the transfer is over, and never opens that copy', async () => {
    const { bridge, outgoing, events, settled } = setup();
    const id = await stage(bridge, 'hello bob');
    // The connection has no module APIs here, so every method fails: the transfer ends at once.
    const t = await bridge.sendStaged('bob@example.test', id, { desc: 'a note' });
    expect(t).toMatchObject({ direction: 'out', peer: 'bob@example.test', name: 'note.txt', size: 9, mediaType: 'text/plain', desc: 'a note' });
    expect(t.path).toBe(path.join(outgoing, id, 'note.txt'));
    expect((await settled(t.id)).state).toBe('failed');
    await until(() => readdirSync(outgoing).length === 0);
    expect(readdirSync(outgoing)).toEqual([]);
    await expect(bridge.fileToOpen(t.id)).rejects.toThrow('sent from a copy Flint keeps only while sending');
    await expect(bridge.stageChunk(id, 9, '')).rejects.toThrow('No such staged file');
    expect(events.filter((e) => e.type === 'transfer.added' || e.type === 'transfer.updated').map((e) => e.type)[0]).toBe('transfer.added');
  });

  it('sendFile (a native dialog’s path) is refused offline too', async () => {
    const { bridge, state, root } = setup();
    state.online = false;
    await expect(bridge.sendFile('bob@example.test', path.join(root, 'x'))).rejects.toThrow('Not connected');
  });

  it('an unusable media type from the page is replaced by one from the name', async () => {
    const { bridge, settled } = setup();
    const id = await bridge.stageBegin('pic.png', 1, 'image/png; name="x"\r\nX-Evil: 1');
    await bridge.stageChunk(id, 0, 'AA==');
    const t = await bridge.sendStaged('bob@example.test', id);
    expect(t.mediaType).toBe('image/png');
    await settled(t.id);
  });
});

describe('account lifecycle', () => {
  it('cancelAll answers open offers, cancels transfers and drops unsent stages; resetAccount forgets them', async () => {
    const { bridge, offer, outgoing } = setup();
    const t = offer('photo.jpg', '/photo.jpg');
    const half = await bridge.stageBegin('half.bin', 10);
    await bridge.stageChunk(half, 0, Buffer.from('12345').toString('base64'));
    await bridge.cancelAll();
    expect(bridge.get(t.id)?.state).toBe('declined');
    expect(readdirSync(outgoing)).toEqual([]);
    await expect(bridge.stageChunk(half, 5, Buffer.from('67890').toString('base64'))).rejects.toThrow('No such staged file');
    await bridge.resetAccount();
    expect(bridge.list()).toEqual([]);
    // The new service hears offers as the old one did.
    offer('photo.jpg', '/photo.jpg');
    expect(bridge.list()).toHaveLength(1);
  });

  it('cancel and clearFinished', async () => {
    const { bridge, offer } = setup();
    expect(() => bridge.cancel('nope')).toThrow('No such transfer.');
    const a = offer('a.jpg', '/photo.jpg');
    const b = offer('b.jpg', '/photo.jpg');
    bridge.cancel(a.id);
    expect(bridge.get(a.id)?.state).toBe('declined');
    bridge.clearFinished();
    expect(bridge.list().map((t) => t.id)).toEqual([b.id]);
  });
});

describe('httpsCa', () => {
  it('is Node’s default store without extra CAs, else the default roots plus NODE_EXTRA_CA_CERTS plus the extra CAs', () => {
    expect(httpsCa(undefined)).toBeUndefined();
    expect(httpsCa([])).toBeUndefined();
    const extra = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const ca = httpsCa([extra], {})!;
    expect(ca.slice(0, rootCertificates.length)).toEqual([...rootCertificates]);
    expect(ca.at(-1)).toBe(extra);
    expect(ca).toHaveLength(rootCertificates.length + 1);
    // An unreadable NODE_EXTRA_CA_CERTS is skipped, as Node itself does.
    expect(httpsCa([extra], { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' })).toHaveLength(rootCertificates.length + 1);
  });
});
