// Opens (creating if needed) the SQLite database of the history store, migrated to the current schema.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

// Under Electron the addon must be built for Electron's ABI, while tests and web mode run on plain
// Node with node_modules' build. The Electron entry point sets the Electron build here
// (scripts/electron-native.mjs makes it); plain Node leaves it unset.
let nativeBinding: string | undefined;
export function useSqliteBinding(path: string | undefined): void {
  nativeBinding = path;
}

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, nativeBinding ? { nativeBinding } : undefined);
  try {
    // WAL: readers never wait for the writer; NORMAL: in WAL mode a commit survives an app crash
    // and only a power loss may drop the last transactions, at a fraction of FULL's cost.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
