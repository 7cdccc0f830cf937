import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../core/events';
import { silentLogger } from '../../core/ports';
import { ManualIdleMonitor } from './idle';
import { ProfileService, vcardFields, type ProfileDeps } from './profile-service';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const dirs: string[] = [];
const services: ProfileService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(apis: Record<string, unknown> = {}, over: Partial<ProfileDeps> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'flint-profile-'));
  dirs.push(dataDir);
  const emitted: CoreEvent[] = [];
  const forgotten: string[][] = [];
  const service = new ProfileService({
    dataDir,
    log: silentLogger,
    emit: (e) => emitted.push(e),
    api: <T>(name: string) => apis[name] as T | undefined,
    account: () => 'me@example.test',
    online: () => true,
    resourcesOf: () => [],
    chosenPresence: () => ({ show: 'available' }),
    forgetPresence: (jids) => forgotten.push(jids),
    passwordChanged: () => {},
    registration: {},
    ...over,
  });
  services.push(service);
  return { service, emitted, forgotten, dataDir };
}

describe('vcardFields', () => {
  it('keeps what a vCard says within the contract limits and never the photo', () => {
    const out = vcardFields({ fn: 'x'.repeat(5000), email: Array.from({ length: 80 }, (_, i) => `e${i}@x`), tel: ['1'], org: { unit: 'u' }, photo: { type: 'image/png', data: 'AAAA' } });
    expect(out.fn).toHaveLength(1023);
    expect(out.email).toHaveLength(50);
    expect(out).not.toHaveProperty('photo');
    expect(out.org).toEqual({ unit: 'u' });
  });
});

describe('ProfileService', () => {
  it('keeps the blocklist and known avatar hashes for the snapshot; a blocked contact’s presence is dropped', () => {
    const { service, forgotten } = setup();
    service.handle({ type: 'blocklist.changed', blocked: ['a@x', 'b@x'], unblocked: [], replace: true });
    service.handle({ type: 'blocklist.changed', blocked: ['c@x'], unblocked: ['a@x'] });
    service.handle({ type: 'avatar.changed', jid: 'bob@x', hash: sha1(PNG), source: 'pep' });
    service.handle({ type: 'avatar.changed', jid: 'eve@x', hash: 'f'.repeat(40), source: 'vcard' });
    service.handle({ type: 'avatar.changed', jid: 'eve@x', hash: null, source: 'vcard' });
    const snap = service.snapshot();
    expect(snap.blocked.sort()).toEqual(['b@x', 'c@x']);
    expect(snap.avatars).toEqual({ 'bob@x': sha1(PNG) });
    expect(snap.autoAway).toEqual({ enabled: true, awayMinutes: 5, xaMinutes: 20 });
    expect(forgotten).toEqual([['a@x', 'b@x'], ['c@x']]);
  });

  it('fetches an avatar only when asked, once, from the announced source; then serves it from disk', async () => {
    let fetches = 0;
    const pep = {
      fetch: async (jid: string, hash: string) => {
        fetches++;
        expect([jid, hash]).toEqual(['bob@x', sha1(PNG)]);
        return { type: 'image/png', data: PNG.toString('base64') };
      },
    };
    const { service, emitted, dataDir } = setup({ 'xep0084-avatar': pep });
    service.handle({ type: 'avatar.changed', jid: 'bob@x', hash: sha1(PNG), source: 'pep' });
    expect(fetches).toBe(0);
    const url = `data:image/png;base64,${PNG.toString('base64')}`;
    const [a, b] = await Promise.all([service.avatar('bob@x/phone'), service.avatar('bob@x')]);
    expect([a, b]).toEqual([url, url]);
    expect(fetches).toBe(1);
    expect(existsSync(join(dataDir, 'avatars', sha1(PNG)))).toBe(true);
    expect(emitted).toEqual([{ type: 'avatar.updated', jid: 'bob@x', hash: sha1(PNG), dataUrl: url }]);
    await expect(service.avatar('bob@x')).resolves.toBe(url);
    expect(fetches).toBe(1);
    await expect(service.avatar('nobody@x')).resolves.toBeNull();
  });

  it('does not show (or ask again for) an avatar that fails or is not a raster image', async () => {
    let fetches = 0;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const vcard = {
      fetch: async () => {
        fetches++;
        return { type: 'image/svg+xml', data: svg.toString('base64') };
      },
    };
    const { service, emitted } = setup({ 'xep0153-vcard-avatar': vcard });
    service.handle({ type: 'avatar.changed', jid: 'eve@x', hash: sha1(svg), source: 'vcard' });
    await expect(service.avatar('eve@x')).resolves.toBeNull();
    await expect(service.avatar('eve@x')).resolves.toBeNull();
    expect(fetches).toBe(1);
    expect(emitted).toEqual([]);
  });

  it('fetches at most four avatars at a time', async () => {
    let running = 0;
    let peak = 0;
    const pep = {
      fetch: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        throw new Error('item-not-found');
      },
    };
    const { service } = setup({ 'xep0084-avatar': pep });
    const jids = Array.from({ length: 20 }, (_, i) => `u${i}@x`);
    for (const [i, jid] of jids.entries()) service.handle({ type: 'avatar.changed', jid, hash: sha1(Buffer.from([i])), source: 'pep' });
    await Promise.all(jids.map((j) => service.avatar(j)));
    expect(peak).toBe(4);
  });

  it('refuses an own avatar that is not what it claims or is too large, before publishing anything', async () => {
    let published = 0;
    const pep = { publishOwn: async () => (published++, sha1(PNG)) };
    const { service } = setup({ 'xep0084-avatar': pep });
    await expect(service.setOwnAvatar({ type: 'image/jpeg', data: PNG.toString('base64') })).rejects.toThrow(/not a image\/jpeg/);
    const big = Buffer.from(PNG);
    big.writeUInt32BE(193, 16);
    await expect(service.setOwnAvatar({ type: 'image/png', data: big.toString('base64') })).rejects.toThrow(/192/);
    expect(published).toBe(0);
    await service.setOwnAvatar({ type: 'image/png', data: PNG.toString('base64') });
    expect(published).toBe(1);
    expect(service.snapshot().avatars['me@example.test']).toBe(sha1(PNG));
  });

  it('auto-away: the debug hook works only with test hooks; settings are saved and survive a restart', () => {
    const applied: string[] = [];
    const presence = { set: (show: string) => applied.push(show) };
    const idle = { setIdleSince: () => {} };
    const { service, dataDir } = setup({ 'rfc6121-presence': presence, 'xep0319-idle': idle }, { testHooks: true, idleMonitor: new ManualIdleMonitor() });
    service.setAutoAway({ enabled: true, awayMinutes: 2, xaMinutes: 4 });
    service.setDebugIdleSeconds(130);
    expect(applied).toEqual(['away']);
    const again = setup({}, { dataDir });
    expect(again.service.snapshot().autoAway).toEqual({ enabled: true, awayMinutes: 2, xaMinutes: 4 });
    expect(() => again.service.setDebugIdleSeconds(1)).toThrow(/FLINT_TEST_HOOKS/);
  });

  it('a directory search uses the form main fetched and refuses incomplete values', async () => {
    const forms = { kind: 'form', form: { type: 'form', instructions: [], fields: [{ var: 'fn', type: 'text-single', required: true, values: [], options: [] }] } };
    const searched: unknown[] = [];
    const search = {
      fields: async () => forms,
      search: async (_s: string, form: unknown, values: unknown) => (searched.push([form, values]), { columns: [], items: [] }),
    };
    const { service } = setup({ 'xep0055-search': search });
    await expect(service.directorySearch('vjud.x', {})).rejects.toThrow(/not complete/);
    await service.directorySearch('vjud.x', { fn: ['Ann'] });
    expect(searched).toEqual([[forms, { fn: ['Ann'] }]]);
  });
});
