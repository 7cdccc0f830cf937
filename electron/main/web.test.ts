import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { silentLogger } from '../core/ports';
import { FakeAccount } from './ipc/testing/fake-account';
import { DEFAULT_WEB_PORT, parseWebArgs, startWebMode } from './web';

describe('parseWebArgs', () => {
  it('defaults to port 5780 and accepts 0 (any free port)', () => {
    expect(parseWebArgs([])).toEqual({ port: DEFAULT_WEB_PORT });
    expect(parseWebArgs(['--port', '0'])).toEqual({ port: 0 });
    expect(parseWebArgs(['--port=6001', '--static', '/srv/r'])).toEqual({ port: 6001, staticDir: path.resolve('/srv/r') });
  });

  it.each([['--port', '-1'], ['--port', '65536'], ['--port', 'abc'], ['--port', '80.5'], ['--bogus'], ['positional']])('refuses %j', (...argv) => {
    expect(() => parseWebArgs(argv)).toThrow();
  });
});

class DisposableFake extends FakeAccount {
  disposed = 0;
  async dispose(): Promise<void> {
    this.disposed++;
    await this.logout();
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('startWebMode', () => {
  it('serves the bridge, and stop() signs out before closing', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'flint-web-'));
    dirs.push(root);
    const staticDir = path.join(root, 'renderer');
    const dataDir = path.join(root, 'profile');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Flint</title>');
    const account = new DisposableFake();
    const web = await startWebMode({ port: 0, dataDir, staticDir, log: silentLogger, createAccount: () => account, openExternal: async () => {} });
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}$/);
    const token = new URL(web.url).hash.slice('#token='.length);

    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge`, { origin: `http://127.0.0.1:${web.port}` });
    const got: { t: string; events?: { name: string; payload: unknown }[] }[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    await new Promise<void>((r) => ws.once('open', () => r()));
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ t: 'hello', token }));
    while (!got.some((m) => m.t === 'ready')) await new Promise((r) => setTimeout(r, 5));

    await web.stop();
    await web.stop(); // idempotent
    expect(account.disposed).toBe(1);
    // The sign-out's connection.changed reached the tab before the server closed it.
    expect(got.flatMap((m) => m.events ?? [])).toContainEqual({ name: 'connection.changed', payload: { state: { status: 'offline' } } });
    expect(await closed).toBe(1001);
    expect(account.listenerCount()).toBe(0);
  });
});
