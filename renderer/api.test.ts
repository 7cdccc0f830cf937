import { describe, expect, it } from 'vitest';
import type { BridgeServerMessage } from '../shared/ipc/bridge-protocol';
import { bridgeApi, BridgeLostError, electronApi, type PreloadApi, type SocketLike, type TransportState } from './api';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  serve(msg: BridgeServerMessage | string) {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const api = bridgeApi({
    url: 'ws://127.0.0.1:1/bridge',
    token: 'T0K',
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    random: () => 0.5,
  });
  const states: TransportState[] = [];
  api.onTransport((s) => states.push(s));
  return { api, sockets, timers, states };
}

describe('bridge client', () => {
  it('says hello with the token, queues commands until ready, then matches results by id', async () => {
    const { api, sockets, states } = setup();
    const ws = sockets[0]!;
    const snapshot = api.invoke('app.snapshot', {});
    const list = api.invoke('account.list', {});
    ws.open();
    expect(ws.sent).toEqual([{ t: 'hello', token: 'T0K' }]);
    ws.serve({ t: 'ready' });
    expect(ws.sent.slice(1)).toEqual([
      { t: 'cmd', id: 1, name: 'app.snapshot', args: {} },
      { t: 'cmd', id: 2, name: 'account.list', args: {} },
    ]);
    ws.serve({ t: 'result', id: 2, ok: true, value: [] });
    ws.serve({ t: 'result', id: 1, ok: false, error: 'nope' });
    await expect(list).resolves.toEqual([]);
    await expect(snapshot).rejects.toThrow('nope');
    expect(states).toEqual(['connecting', 'open']);
  });

  it('delivers event batches in order and ignores malformed frames', () => {
    const { api, sockets } = setup();
    const got: string[] = [];
    const off = api.onEvents((events) => got.push(...events.map((e) => e.name)));
    const ws = sockets[0]!;
    ws.open();
    ws.serve({ t: 'ready' });
    ws.serve('not json');
    ws.serve({ t: 'events', events: [{ name: 'presence.own', payload: { show: 'away' } }, { name: 'roster.changed', payload: { upserted: [], removed: [] } }] });
    off();
    ws.serve({ t: 'events', events: [{ name: 'presence.own', payload: { show: 'dnd' } }] });
    expect(got).toEqual(['presence.own', 'roster.changed']);
  });

  it('rejects commands in flight when the socket drops, reconnects with backoff, and sends queued ones after', async () => {
    const { api, sockets, timers, states } = setup();
    sockets[0]!.open();
    sockets[0]!.serve({ t: 'ready' });
    const inFlight = api.invoke('account.reconnectNow', {});
    sockets[0]!.drop();
    await expect(inFlight).rejects.toBeInstanceOf(BridgeLostError);
    expect(states).toEqual(['connecting', 'open', 'lost']);
    const queued = api.invoke('app.snapshot', {});
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(250);
    timers[0]!.fn();
    const ws2 = sockets[1]!;
    // A second failure backs off further.
    ws2.drop();
    expect(timers[1]!.ms).toBe(500);
    timers[1]!.fn();
    const ws3 = sockets[2]!;
    ws3.open();
    ws3.serve({ t: 'ready' });
    expect(ws3.sent).toEqual([{ t: 'hello', token: 'T0K' }, { t: 'cmd', id: 2, name: 'app.snapshot', args: {} }]);
    ws3.serve({ t: 'result', id: 2, ok: true, value: 'ok' });
    await expect(queued).resolves.toBe('ok');
    expect(states.at(-1)).toBe('open');
  });

  it('ignores results for unknown ids and frames from a replaced socket', async () => {
    const { api, sockets, timers } = setup();
    const old = sockets[0]!;
    old.open();
    old.serve({ t: 'ready' });
    old.serve({ t: 'result', id: 99, ok: true, value: 1 });
    old.drop();
    timers[0]!.fn();
    const p = api.invoke('account.list', {});
    const fresh = sockets[1]!;
    fresh.open();
    fresh.serve({ t: 'ready' });
    // A late frame on the dead socket must not resolve the new command.
    old.onmessage?.({ data: JSON.stringify({ t: 'result', id: 1, ok: true, value: 'stale' }) });
    fresh.serve({ t: 'result', id: 1, ok: true, value: [] });
    await expect(p).resolves.toEqual([]);
  });
});

describe('electron api', () => {
  it('calls the preload function named after the command', async () => {
    const calls: unknown[] = [];
    const flint = {
      commands: new Proxy({}, { get: (_t, name) => (args: unknown) => (calls.push([name, args]), Promise.resolve(null)) }),
      onEvents: () => () => {},
    } as unknown as PreloadApi;
    const api = electronApi(flint);
    await api.invoke('presence.set', { show: 'away' });
    expect(calls).toEqual([['presence.set', { show: 'away' }]]);
    const states: TransportState[] = [];
    api.onTransport((s) => states.push(s));
    expect(states).toEqual(['open']);
  });

  it('rejects commands the preload does not offer', async () => {
    const api = electronApi({ commands: {}, onEvents: () => () => {} } as unknown as PreloadApi);
    await expect(api.invoke('app.snapshot', {})).rejects.toThrow('not available');
  });
});
