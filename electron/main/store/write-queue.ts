// The history store's write queue. Writes are queued and committed together, at most one
// transaction per event-loop turn, so a flood of incoming messages costs one commit per socket read
// or fewer, not one per message. Each write's promise settles only after its transaction committed: the
// caller shows a message only then (ARCHITECTURE.md principle 5).
//
// A transaction takes queued writes until it holds MAX_BATCH of them or has worked for
// BATCH_BUDGET_MS, whichever comes first; the rest wait for the next turn. The count bounds memory
// and the promise settling after a commit; the time bounds how long main's event loop is held
// (sockets, IPC, the UI's requests): the commit that follows costs about as much again (FTS5
// writes its pending segment and merges at commit), so one turn stays around 2 × the budget.
//
// A commit has a fixed cost: a one-message transaction writes ≈ 19 pages (the row, four indexes,
// the conversation, a new segment and structure record in each FTS5 index), 0.2–0.7 ms here,
// against ≈ 30 µs per message in a large one. When a flood trickles in a few messages per
// event-loop turn, one commit per turn would spend most of the time committing. So commits start at least
// MIN_COMMIT_INTERVAL_MS apart: the first write after a quiet spell commits in the next turn, and
// during a flood each commit takes what arrived meanwhile. A backlog is not held back: a slice that
// took longer than the interval is followed by the next one in the next turn.
import type { Db } from './db';

/** Writes per transaction at most. */
export const MAX_BATCH = 1_000;
/** Work per transaction before it commits and yields to the event loop (the commit is extra). */
export const BATCH_BUDGET_MS = 12;
/** Commits start at least this far apart (a message waits at most this long to be committed, and so shown). */
export const MIN_COMMIT_INTERVAL_MS = 10;

interface QueuedWrite {
  op: () => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface WriteQueueOptions {
  maxBatch?: number;
  budgetMs?: number;
  minIntervalMs?: number;
  /** Milliseconds, monotonic (tests pass a fake one). */
  now?: () => number;
}

export class WriteQueue {
  private queue: QueuedWrite[] = [];
  private scheduled = false;
  private closed = false;
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private readonly maxBatch: number;
  private readonly budgetMs: number;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    opts: WriteQueueOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? MAX_BATCH;
    this.budgetMs = opts.budgetMs ?? BATCH_BUDGET_MS;
    this.minIntervalMs = opts.minIntervalMs ?? MIN_COMMIT_INTERVAL_MS;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Queues `op` (run inside a transaction); resolves with its result once committed. */
  enqueue<T>(op: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The history store is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Commits every queued write now (close, and before a synchronous write that must come after them). */
  flush(): void {
    while (this.queue.length > 0 && !this.closed) this.commitBatch();
  }

  /** Commits what is queued; later writes reject. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get pending(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      if (this.closed) return;
      this.commitBatch();
      // A flood is committed in slices, one per turn, so the loop keeps serving the UI and sockets.
      if (this.queue.length > 0) this.schedule();
    };
    const wait = this.lastCommitAt + this.minIntervalMs - this.now();
    if (wait > 0 && this.queue.length < this.maxBatch) setTimeout(run, Math.ceil(wait));
    else setImmediate(run);
  }

  /** Commits one slice of the queue in one transaction, then settles its promises in order. */
  private commitBatch(): void {
    if (this.queue.length === 0) return;
    this.lastCommitAt = this.now();
    const deadline = this.lastCommitAt + this.budgetMs;
    const limit = Math.min(this.queue.length, this.maxBatch);
    let taken = 0;
    let results: Outcome[];
    let batch: QueuedWrite[];
    try {
      // Fast path: one transaction, no savepoints (a SAVEPOINT per write costs more than the write).
      results = this.db.transaction(() => {
        const out: Outcome[] = [];
        while (taken < limit) {
          out.push({ ok: true, value: this.queue[taken]!.op() });
          taken++;
          if (this.now() >= deadline) break;
        }
        return out;
      })();
      batch = this.queue.splice(0, taken);
    } catch {
      // A write threw (the one at `taken`) and the slice rolled back: redo the slice up to it with
      // a savepoint per write (a nested transaction), so the bad one fails alone and the rest commit.
      batch = this.queue.splice(0, taken + 1);
      try {
        results = this.db.transaction(() =>
          batch.map((w): Outcome => {
            try {
              return { ok: true, value: this.db.transaction(w.op)() };
            } catch (error) {
              return { ok: false, error };
            }
          }),
        )();
      } catch (error) {
        // The commit itself failed (disk full, I/O error): nothing of the slice is stored.
        for (const w of batch) w.reject(error);
        return;
      }
    }
    batch.forEach((w, i) => {
      const r = results[i]!;
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    });
  }
}
