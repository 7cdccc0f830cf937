import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../core/events';
import { UploadError } from '../../core/modules/xep0363-upload';
import { TransferService } from './transfer-service';
import type { TransferEvent, TransferInfo } from './types';

/** A host with hand-made module APIs and an event pump. */
function host(apis: Record<string, unknown>) {
  const listeners = new Set<(e: CoreEvent) => void>();
  return {
    host: { api: <T>(name: string) => apis[name] as T | undefined, subscribe: (l: (e: CoreEvent) => void) => (listeners.add(l), () => listeners.delete(l)) },
    emit: (e: CoreEvent) => listeners.forEach((l) => l(e)),
  };
}
const settled = (svc: TransferService, id: string) =>
  new Promise<TransferInfo>((resolve) => {
    const check = (e: TransferEvent) => e.type === 'transfer.updated' && e.transfer.id === id && ['done', 'failed', 'cancelled', 'declined'].includes(e.transfer.state) && resolve(e.transfer);
    svc.subscribe(check);
  });

describe('TransferService', () => {
  let dir = '';
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
  const tmpFile = () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flint-svc-'));
    const p = path.join(dir, 'a.txt');
    writeFileSync(p, 'hello');
    return p;
  };

  it('turns offers into records with a sanitized name, and tells an SI sender about a decline', () => {
    const declined: string[] = [];
    const h = host({ 'xep0095-si': { decline: (from: string, sid: string) => declined.push(`${from} ${sid}`) } });
    const svc = new TransferService({ host: h.host });
    const events: TransferEvent[] = [];
    svc.subscribe((e) => events.push(e));
    h.emit({ type: 'file.offered', offer: { method: 'si', sid: 's1', from: 'bob@example.org/x', peer: 'bob@example.org', name: '../../a\u202Etxt.exe', size: 5, hashes: [] } });
    const t = svc.list()[0]!;
    expect(t).toMatchObject({ direction: 'in', state: 'offered', name: 'atxt.exe', method: 'si', peer: 'bob@example.org', peerJid: 'bob@example.org/x', size: 5 });
    expect(events[0]).toMatchObject({ type: 'transfer.added' });
    svc.decline(t.id);
    expect(declined).toEqual(['bob@example.org/x s1']);
    expect(svc.get(t.id)).toMatchObject({ state: 'declined', error: { code: 'declined', message: 'you declined the file' } });
  });

  it('marks a withdrawn offer as cancelled by the peer', () => {
    const h = host({});
    const svc = new TransferService({ host: h.host });
    h.emit({ type: 'file.offered', offer: { method: 'jingle', sid: 'j1', from: 'bob@example.org/x', peer: 'bob@example.org', name: 'f', hashes: [] } });
    h.emit({ type: 'file.withdrawn', method: 'jingle', sid: 'j1', from: 'mallory@evil.example/x', reason: 'cancel' });
    expect(svc.list()[0]!.state).toBe('offered'); // someone else cannot withdraw it
    h.emit({ type: 'file.withdrawn', method: 'jingle', sid: 'j1', from: 'bob@example.org/x', reason: 'cancel' });
    expect(svc.list()[0]).toMatchObject({ state: 'failed', error: { code: 'cancelled-by-peer' } });
  });

  it('says why when no method can carry the file (no peer-to-peer client online, upload too large)', async () => {
    const h = host({ 'xep0363-upload': { requestSlot: () => Promise.reject(new UploadError('too-large', 'file too large: limit is 1 MB', 1 << 20)) } });
    const svc = new TransferService({ host: h.host });
    const t = await svc.send('bob@example.org', tmpFile());
    expect(await settled(svc, t.id)).toMatchObject({ state: 'failed', method: 'upload', error: { code: 'too-large', message: 'file too large: limit is 1 MB' } });
  });

  it('refuses what is not a file or not a contact address, and reports being offline', async () => {
    const svc = new TransferService({ host: host({}).host });
    await expect(svc.send('not a jid', tmpFile())).rejects.toMatchObject({ code: 'protocol' });
    await expect(svc.send('bob@example.org', dir)).rejects.toMatchObject({ code: 'file-error' });
    const t = await svc.send('bob@example.org', path.join(dir, 'a.txt'), { method: 'upload' });
    expect(await settled(svc, t.id)).toMatchObject({ state: 'failed', error: { code: 'not-online' } });
  });

  it('cancels an outgoing transfer at once', async () => {
    const h = host({ 'xep0363-upload': { requestSlot: () => new Promise(() => undefined) } });
    const svc = new TransferService({ host: h.host });
    const t = await svc.send('bob@example.org', tmpFile());
    svc.cancel(t.id);
    expect(svc.get(t.id)).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
  });
});
