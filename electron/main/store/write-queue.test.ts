import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue';

describe('WriteQueue', () => {
  let db: Database.Database;
  let clock: number;
  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (v INTEGER NOT NULL CHECK (v >= 0))');
    clock = 0;
  });
  afterEach(() => db.close());

  const insert = (v: number, costMs = 0) => () => {
    clock += costMs;
    return Number(db.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid);
  };
  const rows = () => db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all();
  const nextTurn = () => new Promise<void>((r) => setImmediate(r));

  it('ends a transaction once its writes used the time budget, and commits the rest in later turns', async () => {
    const q = new WriteQueue(db, { budgetMs: 12, now: () => clock });
    const settled: number[] = [];
    const ps = Array.from({ length: 10 }, (_, i) => q.enqueue(insert(i, 5)).then((id) => settled.push(id)));
    // Budget 12 ms, 5 ms a write: the third write crosses it, so three per transaction.
    await nextTurn();
    expect(settled).toHaveLength(3);
    expect(q.pending).toBe(7);
    await nextTurn();
    expect(settled).toHaveLength(6);
    await Promise.all(ps);
    expect(rows()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(settled).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('ends a transaction at the count limit when the writes are quick', async () => {
    const q = new WriteQueue(db, { maxBatch: 4, budgetMs: 1_000, now: () => clock });
    let settled = 0;
    const ps = Array.from({ length: 10 }, (_, i) => q.enqueue(insert(i)).then(() => settled++));
    await nextTurn();
    expect(settled).toBe(4);
    await Promise.all(ps);
    expect(settled).toBe(10);
  });

  it('starts commits at least the minimum interval apart, but commits the first write after a quiet spell at once', async () => {
    // The wait is a real timer: long enough that a loaded machine does not fire it between two turns.
    const q = new WriteQueue(db, { minIntervalMs: 300, now: () => clock });
    await q.enqueue(insert(1)); // committed at clock 0
    let second = false;
    const p2 = q.enqueue(insert(2)).then(() => (second = true));
    const p3 = q.enqueue(insert(3));
    await nextTurn();
    await nextTurn();
    expect(second).toBe(false); // waits for the interval (a timer), gathering what comes meanwhile
    expect(q.pending).toBe(2);
    clock = 300;
    await Promise.all([p2, p3]);
    clock = 1_000; // a quiet spell: the next write commits in the next turn
    let fourth = false;
    void q.enqueue(insert(4)).then(() => (fourth = true));
    await nextTurn();
    expect(fourth).toBe(true);
    expect(rows()).toEqual([1, 2, 3, 4]);
  });

  it('takes at least one write per transaction, however slow', async () => {
    const q = new WriteQueue(db, { budgetMs: 1, now: () => clock });
    const ps = [q.enqueue(insert(1, 50)), q.enqueue(insert(2, 50))];
    await nextTurn();
    expect(rows()).toEqual([1]);
    await Promise.all(ps);
    expect(rows()).toEqual([1, 2]);
  });

  it('fails a bad write alone, whether it is first, inside or at the end of its slice', async () => {
    const q = new WriteQueue(db, { budgetMs: 12, now: () => clock });
    const ps = [-1, 1, 2, -2, 3, 4, -3].map((v) => q.enqueue(insert(v, 5)));
    const outcomes = await Promise.allSettled(ps);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'rejected']);
    expect(rows()).toEqual([1, 2, 3, 4]);
  });

  it('flush commits everything queued at once; after close, writes reject', async () => {
    const q = new WriteQueue(db, { budgetMs: 12, now: () => clock });
    const ps = Array.from({ length: 5 }, (_, i) => q.enqueue(insert(i, 5)));
    q.flush();
    expect(rows()).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(ps);
    q.close();
    await expect(q.enqueue(insert(9))).rejects.toThrow(/closed/);
  });
});
