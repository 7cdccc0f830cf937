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
  const schedule = opts.schedule ?? defaultSchedule;
  const now = opts.now ?? (() => performance.now());
  let queue: AppEvent[] = [];
  let cancel: Cancel | null = null;
  let lastFlush = -Infinity;
  let disposed = false;

  const flush = (): void => {
    cancel?.();
    cancel = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    lastFlush = now();
    sink(batch);
  };

  const push = (event: AppEvent): void => {
    if (disposed) return;
    const last = queue[queue.length - 1];
    if (event.name === 'presence.changed' && last?.name === 'presence.changed') {
      // Replace rather than mutate: the previous payload object may be the engine's own.
      queue[queue.length - 1] = { name: 'presence.changed', payload: { updates: [...last.payload.updates, ...event.payload.updates] } };
    } else {
      queue.push(event);
    }
    if (cancel) return;
    const wait = Math.max(0, lastFlush + intervalMs - now());
    cancel = schedule(() => {
      cancel = null;
      flush();
    }, wait);
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
