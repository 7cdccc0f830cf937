import { describe, expect, it } from 'vitest';
import { events as eventSchemas } from '../../../shared/ipc/contract';
import type { AppEvent } from '../../../shared/ipc/contract';
import type { ChatMessage } from '../../../shared/domain';
import type { CoreEvent } from '../../core/events';
import { createEventBatcher, createEventHub, toAppEvent } from './event-batcher';
import type { Schedule } from './event-batcher';
import { FakeAccount } from './testing/fake-account';

/** Virtual time: scheduled callbacks run when the test advances the clock past their due time. */
function virtualClock() {
  let t = 0;
  let seq = 0;
  const tasks: { at: number; seq: number; fn: () => void }[] = [];
  const delays: number[] = [];
  const schedule: Schedule = (fn, delayMs) => {
    delays.push(delayMs);
    const task = { at: t + delayMs, seq: seq++, fn };
    tasks.push(task);
    return () => {
      const i = tasks.indexOf(task);
      if (i >= 0) tasks.splice(i, 1);
    };
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = tasks[0];
      if (!next || next.at > end) break;
      tasks.shift();
      t = next.at;
      next.fn();
    }
    t = end;
  };
  return { schedule, advance, now: () => t, delays, pendingTasks: () => tasks.length };
}

const msg = (n: number): ChatMessage => ({
  id: `m${n}`,
  peer: 'bob@example.test',
  from: 'bob@example.test/phone',
  to: 'alice@example.test/flint',
  direction: 'in',
  type: 'chat',
  body: `message ${n}`,
  timestamp: 1_700_000_000_000 + n,
  state: 'delivered',
});

/** A mix of event kinds, each carrying its sequence number so order can be checked after merging. */
function mixed(n: number): AppEvent {
  switch (n % 4) {
    case 0:
      return { name: 'message.received', payload: { message: msg(n) } };
    case 1:
      return { name: 'presence.changed', payload: { updates: [{ jid: `c${n}@example.test`, resource: 'r', presence: null }] } };
    case 2:
      return { name: 'message.updated', payload: { id: `m${n}`, peer: 'bob@example.test', state: 'sent' } };
    default:
      return { name: 'roster.changed', payload: { upserted: [{ jid: `c${n}@example.test`, groups: [], subscription: 'both' }], removed: [] } };
  }
}

/** The sequence numbers carried by a list of events, in order (merged presence lists expanded). */
function sequence(list: AppEvent[]): number[] {
  const out: number[] = [];
  for (const e of list) {
    switch (e.name) {
      case 'message.received':
        out.push(Number(e.payload.message.id.slice(1)));
        break;
      case 'message.updated':
        out.push(Number(e.payload.id.slice(1)));
        break;
      case 'presence.changed':
        for (const u of e.payload.updates) out.push(Number(u.jid.slice(1, u.jid.indexOf('@'))));
        break;
      case 'roster.changed':
        for (const c of e.payload.upserted) out.push(Number(c.jid.slice(1, c.jid.indexOf('@'))));
        break;
      default:
        throw new Error(`unexpected ${e.name}`);
    }
  }
  return out;
}

describe('toAppEvent', () => {
  const core: CoreEvent[] = [
    { type: 'connection.changed', state: { status: 'online', jid: 'alice@example.test/flint' } },
    { type: 'roster.changed', upserted: [{ jid: 'bob@example.test', groups: ['A'], subscription: 'to', ask: true }], removed: ['carol@example.test'], replace: true, ver: 'v7' },
    { type: 'roster.changed', upserted: [], removed: [] },
    { type: 'presence.changed', updates: [{ jid: 'bob@example.test', resource: 'phone', presence: { resource: 'phone', show: 'away', priority: 5 } }] },
    { type: 'presence.own', show: 'dnd', status: 'busy' },
    { type: 'presence.own', show: 'offline' },
    { type: 'subscription.request', from: 'dave@example.test', kind: 'subscribe', nick: 'Dave' },
    { type: 'message.received', message: msg(1) },
    { type: 'message.updated', id: 'm1', peer: 'bob@example.test', state: 'error', error: 'service-unavailable' },
  ];

  it.each(core.map((e) => [e.type, e] as const))('%s maps to a contract event with the same name', (_n, e) => {
    const mapped = toAppEvent(e);
    expect(mapped?.name).toBe(e.type);
    const parsed = eventSchemas[mapped!.name].safeParse(mapped!.payload);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('keeps every field of the engine event', () => {
    for (const e of core) {
      const mapped = toAppEvent(e)!;
      const { type: _t, ...rest } = e;
      expect(mapped.payload).toEqual(rest);
    }
  });

  it('drops security.rejected', () => {
    expect(toAppEvent({ type: 'security.rejected', what: 'roster push from a stranger', from: 'eve@evil.test' })).toBeNull();
  });
});

describe('createEventBatcher', () => {
  it('a burst of 10,000 events is one flush, in order', async () => {
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { maxPresenceUpdates: 10_000 });
    const input = Array.from({ length: 10_000 }, (_, i) => mixed(i));
    for (const e of input) b.push(e);
    expect(batches).toHaveLength(0); // nothing sent synchronously
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1);
    expect(sequence(batches.flat())).toEqual(input.map((_, i) => i));
  });

  it('a presence flood faster than the interval goes out at most 1,000 updates per flush, in order', () => {
    const clock = virtualClock();
    const batches: { at: number; events: AppEvent[] }[] = [];
    const b = createEventBatcher((events) => batches.push({ at: clock.now(), events }), { schedule: clock.schedule, now: clock.now });
    const p = (n: number): AppEvent => ({ name: 'presence.changed', payload: { updates: [{ jid: `c${n}@x.test`, resource: 'r', presence: null }] } });
    // 10,000 single updates at once (adjacent: merged into one event), then a message, then more.
    const first = { name: 'presence.changed', payload: { updates: [{ jid: 'c0@x.test', resource: 'r', presence: null }] } } satisfies AppEvent;
    b.push(first);
    for (let i = 1; i < 10_000; i++) b.push(p(i));
    b.push(mixed(10_000));
    for (let i = 10_001; i < 10_500; i++) b.push(p(i));
    clock.advance(0);
    expect(batches).toHaveLength(1);
    clock.advance(16 * 20);
    expect(b.pending()).toBe(0);
    const counts = batches.map((x) => x.events.reduce((n, e) => n + (e.name === 'presence.changed' ? e.payload.updates.length : 0), 0));
    expect(counts).toEqual([...Array<number>(10).fill(1000), 499]);
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.at - batches[i - 1]!.at).toBe(16);
    expect(sequence(batches.flatMap((x) => x.events))).toEqual(Array.from({ length: 10_500 }, (_, i) => i));
    expect(first.payload.updates).toHaveLength(1); // the caller's event untouched
    // What was sent is not changed afterwards by later merges.
    const sent = JSON.stringify(batches.map((x) => x.events));
    b.push(p(20_000));
    b.push(p(20_001));
    clock.advance(100);
    expect(JSON.stringify(batches.slice(0, -1).map((x) => x.events))).toBe(sent);
    expect(sequence(batches[batches.length - 1]!.events)).toEqual([20_000, 20_001]);
  });

  it('flush() sends everything pending at once, still in capped batches', () => {
    const clock = virtualClock();
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: clock.schedule, now: clock.now, maxPresenceUpdates: 3 });
    for (let i = 0; i < 8; i++) b.push(mixed(4 * i + 1)); // 8 single-update presence events, interleaved with nothing
    b.push(mixed(40));
    b.flush();
    expect(b.pending()).toBe(0);
    expect(clock.pendingTasks()).toBe(0);
    expect(batches.map((x) => sequence(x).length)).toEqual([3, 3, 3]);
    expect(sequence(batches.flat())).toEqual([1, 5, 9, 13, 17, 21, 25, 29, 40]);
  });

  it('sustained load: at most one flush per interval, order kept', () => {
    const clock = virtualClock();
    const batches: { at: number; events: AppEvent[] }[] = [];
    const b = createEventBatcher((events) => batches.push({ at: clock.now(), events }), { schedule: clock.schedule, now: clock.now, intervalMs: 16 });
    // 10,000 events spread evenly over one second (one every 0.1 ms).
    for (let i = 0; i < 10_000; i++) {
      b.push(mixed(i));
      clock.advance(0.1);
    }
    clock.advance(100);
    expect(b.pending()).toBe(0);
    expect(batches.length).toBeGreaterThan(50); // it does keep flushing while busy …
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(1000 / 16) + 2); // … but no more than once per frame
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(16 - 1e-9);
    expect(sequence(batches.flatMap((x) => x.events))).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('the first event after a quiet spell goes out on the next tick', () => {
    const clock = virtualClock();
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: clock.schedule, now: clock.now });
    b.push(mixed(0));
    expect(clock.delays).toEqual([0]);
    clock.advance(0);
    expect(batches).toHaveLength(1);
    // Right after a flush the next event waits for the rest of the interval …
    clock.advance(5);
    b.push(mixed(2));
    expect(clock.delays[1]).toBeCloseTo(11);
    clock.advance(10);
    expect(batches).toHaveLength(1);
    clock.advance(1);
    expect(batches).toHaveLength(2);
    // … and after a long pause it goes out immediately again.
    clock.advance(1000);
    b.push(mixed(4));
    expect(clock.delays[2]).toBe(0);
  });

  it('merges only adjacent presence.changed events', () => {
    const clock = virtualClock();
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: clock.schedule, now: clock.now });
    const p = (n: number): AppEvent => ({ name: 'presence.changed', payload: { updates: [{ jid: `c${n}@x.test`, resource: 'r', presence: null }] } });
    const first = p(1);
    b.push(first);
    b.push(mixed(4)); // message 4
    b.push(p(5));
    b.push(p(6));
    b.push(p(7));
    b.push(mixed(8));
    clock.advance(0);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((e) => e.name)).toEqual(['presence.changed', 'message.received', 'presence.changed', 'message.received']);
    expect(sequence(batches[0]!)).toEqual([1, 4, 5, 6, 7, 8]);
    expect(first.payload).toEqual({ updates: [{ jid: 'c1@x.test', resource: 'r', presence: null }] }); // caller's object untouched
  });

  it('flush() sends now and cancels the timer; dispose() flushes and stops', () => {
    const clock = virtualClock();
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: clock.schedule, now: clock.now });
    b.push(mixed(0));
    b.flush();
    expect(batches).toHaveLength(1);
    expect(clock.pendingTasks()).toBe(0);
    b.push(mixed(1));
    b.dispose();
    expect(batches).toHaveLength(2);
    b.push(mixed(2));
    clock.advance(100);
    expect(batches).toHaveLength(2);
  });

  it('attach() maps account events, drops security.rejected, and detaches', () => {
    const clock = virtualClock();
    const batches: AppEvent[][] = [];
    const b = createEventBatcher((evs) => batches.push(evs), { schedule: clock.schedule, now: clock.now });
    const account = new FakeAccount();
    const detach = b.attach(account);
    account.emit({ type: 'security.rejected', what: 'spoofed roster push' });
    account.emit({ type: 'presence.own', show: 'away' });
    clock.advance(0);
    expect(batches).toEqual([[{ name: 'presence.own', payload: { show: 'away' } }]]);
    detach();
    expect(account.listenerCount()).toBe(0);
  });
});

describe('createEventHub', () => {
  it('one throwing consumer does not starve the others', () => {
    const errors: unknown[] = [];
    const hub = createEventHub((e) => errors.push(e));
    const got: AppEvent[][] = [];
    hub.subscribe(() => {
      throw new Error('socket closed');
    });
    const off = hub.subscribe((evs) => got.push(evs));
    hub.publish([mixed(0)]);
    expect(got).toHaveLength(1);
    expect(errors).toHaveLength(1);
    off();
    hub.publish([mixed(1)]);
    expect(got).toHaveLength(1);
  });
});
