import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, migrations as releasedMigrations } from './migrations.js';

export type SqliteDatabase = Database.Database;

export const databaseFileName = 'luci.sqlite';

/**
 * Opens (creating when absent) the console's SQLite file in `dataDir` and brings its schema up
 * to date. The directory and file are private to the console's user: they hold password
 * hashes and session tokens' hashes.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, databaseFileName);
  const db = new Database(path);
  chmodSync(path, 0o600);
  configure(db);
  migrate(db);
  return db;
}

/** A private in-memory store, for tests. */
export function openMemoryDatabase(): SqliteDatabase {
  const db = new Database(':memory:');
  configure(db);
  migrate(db);
  return db;
}

function configure(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // Another process (a test fixture, a backup) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every step newer than the file's version, each in its own transaction. */
export function migrate(db: SqliteDatabase, steps: readonly Migration[] = releasedMigrations) {
  const current = schemaVersion(db);
  const latest = steps.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `the console database is at schema version ${current}, newer than this console ` +
        `(${latest}); run the newer console or restore a backup`,
    );
  }
  for (const step of steps) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
}
