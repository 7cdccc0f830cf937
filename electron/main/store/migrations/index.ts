// The numbered migrations, in order. PRAGMA user_version holds how many have run; each runs in
// its own transaction with the version bump, so a crash leaves the database at a whole step.
// Never edit a released migration: add the next number.
import type { Database } from 'better-sqlite3';
import { m001Messages } from './001-messages';
import { m002Search } from './002-search';
import { m003Archive } from './003-archive';
import { m004Outbox } from './004-outbox';
import { m005Receipts } from './005-receipts';
import { m006DisplayedMarks } from './006-displayed-marks';

export type Migration = (db: Database) => void;

export const MIGRATIONS: readonly Migration[] = [m001Messages, m002Search, m003Archive, m004Outbox, m005Receipts, m006DisplayedMarks];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Runs the migrations not yet applied, up to `target` (all by default). Returns the versions applied. */
export function migrate(db: Database, target = MIGRATIONS.length): number[] {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new Error(`The history database is from a newer Flint (schema ${current}, this version knows ${MIGRATIONS.length}); not opening it.`);
  }
  const applied: number[] = [];
  for (let v = current; v < target; v++) {
    const step = MIGRATIONS[v]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
    applied.push(v + 1);
  }
  return applied;
}
