import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { MIGRATIONS, migrate, schemaVersion } from './migrations';

type Db = Database.Database;

const objects = (db: Db) =>
  db
    .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' AND name NOT LIKE '%_cjk_%' ORDER BY name")
    .all()
    .map((r) => `${(r as { type: string }).type}:${(r as { name: string }).name}`);
const columns = (db: Db, table: string) => db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table);

// What each numbered migration adds, checked after running it on top of the ones before it.
const EXPECTED: { adds: string[]; check?: (db: Db) => void }[] = [
  {
    adds: ['table:messages', 'index:messages_conversation', 'index:messages_stanza_id', 'index:messages_dedupe', 'table:conversations', 'index:conversations_recent'],
    check: (db) => {
      expect(columns(db, 'messages')).toEqual([
        'id', 'account', 'peer', 'direction', 'type', 'msg_id', 'origin_id', 'dedupe_key', 'stanza_id', 'from_jid', 'to_jid',
        'body', 'body_utf16', 'thread', 'subject', 'timestamp', 'state', 'error', 'corrected_at',
      ]);
      // The constraints are real: a bad direction or state is refused.
      expect(() =>
        db.prepare("INSERT INTO messages (account, peer, direction, type, msg_id, dedupe_key, from_jid, to_jid, body, timestamp, state) VALUES ('a','p','sideways','chat','1','1','f','t','b',0,'sent')").run(),
      ).toThrow(/CHECK/);
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM messages WHERE account='a' AND peer='p' AND (timestamp, id) < (5, 5) ORDER BY timestamp DESC, id DESC LIMIT 50").all();
      expect(JSON.stringify(plan)).toMatch(/messages_conversation/);
      expect(JSON.stringify(plan)).not.toMatch(/TEMP B-TREE/);
    },
  },
  {
    adds: ['table:messages_fts', 'table:messages_cjk'],
    check: (db) => {
      db.prepare('INSERT INTO messages_fts (rowid, body) VALUES (1, ?)').run('数据库 Café');
      expect(db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH '\"据库 c\"'").pluck().all()).toEqual([1]);
      expect(db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH '\"cafe\"'").pluck().all()).toEqual([1]);
      db.prepare('DELETE FROM messages_fts WHERE rowid = 1').run(); // contentless_delete
    },
  },
  { adds: ['table:archive_sync', 'table:archive_start'] },
  {
    adds: ['table:outbox', 'index:outbox_account'],
    check: (db) => expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'sqlite_sequence'").pluck().get()).toBe('sqlite_sequence'),
  },
  {
    adds: ['index:messages_awaiting_receipt'],
    check: (db) => {
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT msg_id FROM messages WHERE account = 'a' AND direction = 'out' AND state = 'sent' ORDER BY id DESC LIMIT 10").all();
      expect(JSON.stringify(plan)).toMatch(/messages_awaiting_receipt/);
    },
  },
  {
    adds: ['table:displayed_marks', 'index:displayed_marks_message'],
    check: (db) => {
      expect(columns(db, 'displayed_marks')).toEqual(['account', 'peer', 'message']);
      db.pragma('foreign_keys = ON');
      const insertMessage = db.prepare(
        "INSERT INTO messages (account, peer, direction, type, msg_id, dedupe_key, from_jid, to_jid, body, timestamp, state) VALUES ('a','p','out','chat',?,?,'a','p','b',0,'sent')",
      );
      const m1 = Number(insertMessage.run('m1', 'm1').lastInsertRowid);
      const m2 = Number(insertMessage.run('m2', 'm2').lastInsertRowid);
      const mark = db.prepare("INSERT INTO displayed_marks (account, peer, message) VALUES ('a', ?, ?)");
      mark.run('p', m1);
      // One mark per conversation; it must name a stored message, and goes with it.
      expect(() => mark.run('p', m2)).toThrow(/UNIQUE/);
      expect(() => mark.run('q', 999)).toThrow(/FOREIGN KEY/);
      db.prepare('DELETE FROM messages WHERE id = ?').run(m1);
      expect(db.prepare('SELECT count(*) FROM displayed_marks').pluck().get()).toBe(0);
    },
  },
];

describe('history database migrations', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('has a test entry for every migration', () => {
    expect(EXPECTED).toHaveLength(MIGRATIONS.length);
  });

  it.each(MIGRATIONS.map((_, i) => i + 1))('migration %i runs on the schema before it and adds what it should', (n) => {
    const db = new Database(':memory:');
    migrate(db, n - 1);
    const before = objects(db);
    expect(migrate(db, n)).toEqual([n]);
    expect(schemaVersion(db)).toBe(n);
    const added = objects(db).filter((o) => !before.includes(o));
    expect(added.sort()).toEqual([...EXPECTED[n - 1]!.adds].sort());
    EXPECTED[n - 1]!.check?.(db);
    db.close();
  });

  it('runs all from an empty file once, with WAL, foreign keys and NORMAL sync', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flint-mig-'));
    dirs.push(dir);
    const file = join(dir, 'sub', 'history.sqlite3');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(objects(db)).toEqual(expect.arrayContaining(EXPECTED.flatMap((e) => e.adds)));
    db.close();
    // Reopening applies nothing again.
    const again = new Database(file);
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('refuses a database written by a newer Flint', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(/newer Flint/);
    db.close();
  });

  it('leaves the database at the last whole step when a migration fails', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.exec('CREATE TABLE archive_sync (x)'); // makes migration 3 fail halfway
    migrate(db, 2);
    expect(() => migrate(db)).toThrow(/archive_sync/);
    expect(schemaVersion(db)).toBe(2);
    expect(objects(db)).not.toContain('table:archive_start');
    db.close();
  });
});
