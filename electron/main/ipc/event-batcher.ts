// Engine events → contract events, batched for IPC. A presence flood or a 10,000-item roster push
// must cost a handful of messages to the renderer, not thousands (ARCHITECTURE.md principle 3):
// events are collected and flushed at most once per interval (~one frame) while they keep coming;
// the first event after a quiet spell goes out on the next tick, so a lone message is not delayed.
// Order is kept exactly; the only merge is of *adjacent* presence.changed events, whose update
// lists are concatenated — the renderer applies them in the same order either way.
import { eventNames, type AppEvent } from '../../../shared/ipc/contract';
import type { CoreEvent } from '../../core/events';
import type { AccountServiceApi } from '../accounts/types';

/** The contract event for an engine event, or null for events that stay in main (security.rejected). */
export function toAppEvent(e: CoreEvent): AppEvent | null {
  switch (e.type) {
    case 'connection.changed':
      return { name: e.type, payload: { state: e.state } };
    case 'roster.changed': {
      const payload: AppEvent & { name: 'roster.changed' } = { name: e.type, payload: { upserted: e.upserted, removed: e.removed } };
      if (e.replace !== undefined) payload.payload.replace = e.replace;
      if (e.ver !== undefined) payload.payload.ver = e.ver;
      return payload;
    }
    case 'presence.changed':
      return { name: e.type, payload: { updates: e.updates } };
    case 'presence.own':
      return { name: e.type, payload: e.status === undefined ? { show: e.show } : { show: e.show, status: e.status } };
    case 'subscription.request': {
      const { type: _t, ...payload } = e;
      return { name: e.type, payload };
    }
    case 'message.received':
      return { name: e.type, payload: { message: e.message } };
    case 'message.updated': {
      const { type: _t, ...payload } = e;
      return { name: e.type, payload };
    }
    case 'security.rejected':
      // For logs and tests only: what a hostile peer tried is not the renderer's business.
      return null;
    default: {
      // Events whose payload is the event minus its `type` (chat.state, message.corrected, …):
      // passed through when the contract knows them; the router validates payloads in tests.
      const { type, ...payload } = e;
      return (eventNames as string[]).includes(type) ? ({ name: type, payload } as AppEvent) : null;
    }
  }
}

export type Cancel = () => void;
/** Run `fn` after `delayMs` (0 = next tick); returns a cancel function. Injected by tests. */
export type Schedule = (fn: () => void, delayMs: number) => Cancel;

export interface EventBatcherOptions {
  /** Minimum time between two flushes while events keep arriving. Default 16 ms. */
  intervalMs?: number;
  /**
   * Most presence updates one flush carries (issue 4): a server delivering a 10,000-contact
   * presence flood faster than one interval must not become one message the renderer applies in
   * one long task. The rest follows, in order, one interval later. Default 1,000.
   */
  maxPresenceUpdates?: number;
  schedule?: Schedule;
  now?: () => number;
}

export interface EventBatcher {
  push(event: AppEvent): void;
  /** Map and push an engine event (dropping the ones that stay in main). */
  pushCore(event: CoreEvent): void;
  /** Subscribe to an account's events; returns the unsubscribe. */
  attach(account: Pick<AccountServiceApi, 'subscribe'>): () => void;
  /** Send what is pending now (before quitting, or when a window needs a consistent cut). */
  flush(): void;
  /** Number of events waiting for the next flush. */
  pending(): number;
  /** Stop timers; pending events are flushed first. */
  dispose(): void;
}

/** The head of `queue` holding at most `max` presence updates (a presence event split at the limit), and the rest. */
function cut(queue: AppEvent[], max: number): [AppEvent[], AppEvent[]] {
  let room = max;
  for (let i = 0; i < queue.length; i++) {
    const e = queue[i]!;
    if (e.name !== 'presence.changed') continue;
    const { updates } = e.payload;
    if (updates.length <= room) {
      room -= updates.length;
      continue;
    }
    const head = queue.slice(0, i);
    if (room > 0 || head.length === 0) {
      const n = Math.max(room, 1);
      head.push({ name: 'presence.changed', payload: { updates: updates.slice(0, n) } });
      room = n;
    }
    return [head, [{ name: 'presence.changed', payload: { updates: updates.slice(room) } }, ...queue.slice(i + 1)]];
  }
  return [queue, []];
}

const defaultSchedule: Schedule = (fn, delayMs) => {
  if (delayMs <= 0) {
    const h = setImmediate(fn);
    return () => clearImmediate(h);
  }
  const h = setTimeout(fn, delayMs);
  return () => clearTimeout(h);
};

export function createEventBatcher(sink: (events: AppEvent[]) => void, opts: EventBatcherOptions = {}): EventBatcher {
  const intervalMs = opts.intervalMs ?? 16;
  const maxPresenceUpdates = Math.max(1, opts.maxPresenceUpdates ?? 1000);
  const schedule = opts.schedule ?? defaultSchedule;
  const now = opts.now ?? (() => performance.now());
  let queue: AppEvent[] = [];
  let cancel: Cancel | null = null;
  let lastFlush = -Infinity;
  let disposed = false;
  // The merged presence event at the queue's tail, made here (not the engine's): extended in place.
  let ownTail: (AppEvent & { name: 'presence.changed' }) | null = null;

  /** Sends one batch (at most maxPresenceUpdates); what is left goes out one interval later. */
  const flushOne = (): void => {
    cancel?.();
    cancel = null;
    if (queue.length === 0) return;
    const [batch, rest] = cut(queue, maxPresenceUpdates);
    queue = rest;
    if (rest.length === 0 || rest[rest.length - 1] !== ownTail) ownTail = null;
    lastFlush = now();
    sink(batch);
    if (queue.length > 0 && !cancel) cancel = schedule(onTimer, intervalMs);
  };
  const onTimer = (): void => {
    cancel = null;
    flushOne();
  };

  /** Sends everything pending now (in batches of at most maxPresenceUpdates). */
  const flush = (): void => {
    while (queue.length > 0) flushOne();
    cancel?.();
    cancel = null;
  };

  const push = (event: AppEvent): void => {
    if (disposed) return;
    const last = queue[queue.length - 1];
    if (event.name === 'presence.changed' && last?.name === 'presence.changed') {
      // Replace rather than mutate the engine's payload; once the merged event is ours, extend it
      // (a flood of single updates would otherwise copy the growing list once per update).
      if (last === ownTail) for (const u of event.payload.updates) last.payload.updates.push(u);
      else queue[queue.length - 1] = ownTail = { name: 'presence.changed', payload: { updates: [...last.payload.updates, ...event.payload.updates] } };
    } else {
      queue.push(event);
    }
    if (cancel) return;
    cancel = schedule(onTimer, Math.max(0, lastFlush + intervalMs - now()));
  };

  return {
    push,
    pushCore(e) {
      const mapped = toAppEvent(e);
      if (mapped) push(mapped);
    },
    attach(account) {
      return account.subscribe((e) => {
        const mapped = toAppEvent(e);
        if (mapped) push(mapped);
      });
    },
    flush,
    pending: () => queue.length,
    dispose() {
      flush();
      disposed = true;
    },
  };
}

/** One batched stream, many consumers (the Electron window, bridge clients). */
export interface EventHub {
  publish(events: AppEvent[]): void;
  subscribe(listener: (events: AppEvent[]) => void): () => void;
}

export function createEventHub(onListenerError?: (err: unknown) => void): EventHub {
  const listeners = new Set<(events: AppEvent[]) => void>();
  return {
    publish(events) {
      for (const l of [...listeners]) {
        try {
          l(events);
        } catch (err) {
          // One broken consumer (a closed socket) must not starve the others.
          onListenerError?.(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
