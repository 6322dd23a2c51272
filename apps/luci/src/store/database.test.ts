import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFileName, migrate, openDatabase, schemaVersion } from './database.js';
import { migrations } from './migrations.js';

const latest = migrations.at(-1)?.version ?? 0;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'luci-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the file private to the console and applies every migration', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'data'));
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'alert_deliveries',
      'alert_targets',
      'audit_log',
      'cluster_roles',
      'clusters',
      'config_versions',
      'events',
      'nodes',
      'sessions',
      'tasks',
      'users',
    ]);
    db.close();
    expect(statSync(join(dir, 'data', databaseFileName)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
  });

  it('keeps the data when opened again', () => {
    const dir = tempDir();
    const first = openDatabase(dir);
    first
      .prepare('INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, ?, 1, 0)')
      .run('admin', 'x');
    first.close();
    const second = openDatabase(dir);
    expect(second.prepare('SELECT name FROM users').pluck().all()).toEqual(['admin']);
    second.close();
  });

  it('applies only the steps newer than the file', () => {
    const db = openDatabase(tempDir());
    const next = latest + 1;
    migrate(db, [...migrations, { version: next, name: 'test', sql: 'CREATE TABLE later (x);' }]);
    expect(schemaVersion(db)).toBe(next);
    db.close();
  });

  it('refuses a file written by a newer console', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(dir)).toThrow(/schema version 99, newer than this console/);
  });

  it('rolls back a step that fails, leaving the previous version', () => {
    const db = openDatabase(tempDir());
    const broken = { version: latest + 1, name: 'broken', sql: 'CREATE TABLE ok (x); NOT SQL;' };
    expect(() => migrate(db, [...migrations, broken])).toThrow();
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ok'").pluck().get()).toBe(
      0,
    );
    db.close();
  });
});
