import { describe, expect, it } from 'vitest';
import { channel, commandNames } from '../../shared/ipc/contract';
import type { AppEvent } from '../../shared/ipc/contract';
import { EVENTS_CHANNEL, PRELOAD_COMMANDS, buildPreloadApi, commandChannel, ipcErrorMessage } from './api';

function fakeIpc() {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  return {
    invoked,
    listeners,
    invoke: async (ch: string, ...args: unknown[]) => {
      invoked.push({ channel: ch, args });
      return `result of ${ch}`;
    },
    on: (ch: string, l: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(ch)) listeners.set(ch, new Set());
      listeners.get(ch)!.add(l);
    },
    removeListener: (ch: string, l: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(ch)?.delete(l);
    },
    emit(ch: string, ...args: unknown[]) {
      for (const l of listeners.get(ch) ?? []) l({ sender: 'IPC-RENDERER-EVENT', ports: [] }, ...args);
    },
  };
}

describe('preload api', () => {
  it('lists exactly the contract commands, on the contract channels', () => {
    expect([...PRELOAD_COMMANDS].sort()).toEqual([...commandNames].sort());
    for (const name of commandNames) expect(commandChannel(name)).toBe(channel.command(name));
    expect(EVENTS_CHANNEL).toBe(channel.events);
  });

  it('each command invokes its own channel with exactly one argument', async () => {
    const ipc = fakeIpc();
    const api = buildPreloadApi(ipc);
    const send = api.commands['chat.send'] as (...a: unknown[]) => Promise<unknown>;
    await expect(send({ to: 'bob@example.test', body: 'hi' }, 'flint:cmd:account.logout', 'extra')).resolves.toBe('result of flint:cmd:chat.send');
    expect(ipc.invoked).toEqual([{ channel: 'flint:cmd:chat.send', args: [{ to: 'bob@example.test', body: 'hi' }] }]);
    for (const name of commandNames) expect(typeof api.commands[name]).toBe('function');
  });

  it('exposes nothing generic', () => {
    const api = buildPreloadApi(fakeIpc()) as unknown as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['commands', 'onEvents']);
    expect(Object.isFrozen(api.commands)).toBe(true);
  });

  it('event callbacks get the batch only, never the IpcRendererEvent; unsubscribe works once', () => {
    const ipc = fakeIpc();
    const api = buildPreloadApi(ipc);
    const calls: unknown[][] = [];
    const off = api.onEvents((...args: unknown[]) => calls.push(args));
    const batch: AppEvent[] = [{ name: 'presence.own', payload: { show: 'away' } }];
    ipc.emit(EVENTS_CHANNEL, batch);
    ipc.emit(EVENTS_CHANNEL, 'not a batch');
    expect(calls).toEqual([[batch]]);
    off();
    off();
    ipc.emit(EVENTS_CHANNEL, batch);
    expect(calls).toHaveLength(1);
    expect(ipc.listeners.get(EVENTS_CHANNEL)?.size).toBe(0);
    expect(() => api.onEvents('nope' as never)).toThrow(TypeError);
  });
});

describe('ipcErrorMessage', () => {
  it('strips Electron\'s wrapper so both transports report the same text', async () => {
    expect(ipcErrorMessage(new Error("Error invoking remote method 'flint:cmd:chat.send': CommandRejectedError: invalid arguments for chat.send: body"))).toBe('invalid arguments for chat.send: body');
    expect(ipcErrorMessage(new Error("Error invoking remote method 'flint:cmd:roster.add': Error: Not connected."))).toBe('Not connected.');
    expect(ipcErrorMessage(new Error('plain'))).toBe('plain');
    const ipc = fakeIpc();
    ipc.invoke = async () => {
      throw new Error("Error invoking remote method 'flint:cmd:account.logout': Error: boom");
    };
    await expect(buildPreloadApi(ipc).commands['account.logout']({})).rejects.toThrow(/^boom$/);
  });
});
