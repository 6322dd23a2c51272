import type { ClusterRole, ClusterRoleGrants } from '@quorate/protocol';
import type { SqliteDatabase } from './database.js';

export interface UserRow {
  readonly id: number;
  readonly name: string;
  readonly passwordHash: string;
  readonly admin: boolean;
  readonly createdAt: number;
  readonly lastLoginAt: number | null;
}

interface RawUser {
  id: number;
  name: string;
  password_hash: string;
  admin: number;
  created_at: number;
  last_login_at: number | null;
}

const toUser = (raw: RawUser): UserRow => ({
  id: raw.id,
  name: raw.name,
  passwordHash: raw.password_hash,
  admin: raw.admin === 1,
  createdAt: raw.created_at,
  lastLoginAt: raw.last_login_at,
});

/** Users and their per-cluster roles. Names compare without case, as logins do. */
export class UsersStore {
  constructor(private readonly db: SqliteDatabase) {}

  count(): number {
    return this.db.prepare('SELECT count(*) FROM users').pluck().get() as number;
  }

  countAdmins(): number {
    return this.db.prepare('SELECT count(*) FROM users WHERE admin = 1').pluck().get() as number;
  }

  list(): UserRow[] {
    const rows = this.db.prepare('SELECT * FROM users ORDER BY name').all() as RawUser[];
    return rows.map(toUser);
  }

  byName(name: string): UserRow | undefined {
    const raw = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as
      | RawUser
      | undefined;
    return raw && toUser(raw);
  }

  byId(id: number): UserRow | undefined {
    const raw = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as RawUser | undefined;
    return raw && toUser(raw);
  }

  /** Creates a user; undefined when the name is taken. */
  create(user: { name: string; passwordHash: string; admin: boolean; now: number }) {
    const result = this.db
      .prepare(
        'INSERT INTO users (name, password_hash, admin, created_at) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (name) DO NOTHING',
      )
      .run(user.name, user.passwordHash, user.admin ? 1 : 0, user.now);
    return result.changes === 1 ? this.byId(Number(result.lastInsertRowid)) : undefined;
  }

  /** Creates the first administrator only while no user exists, atomically. */
  createFirst(user: { name: string; passwordHash: string; now: number }): UserRow | undefined {
    return this.db.transaction(() =>
      this.count() === 0 ? this.create({ ...user, admin: true }) : undefined,
    )();
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  }

  setAdmin(id: number, admin: boolean): void {
    this.db.prepare('UPDATE users SET admin = ? WHERE id = ?').run(admin ? 1 : 0, id);
  }

  recordLogin(id: number, now: number): void {
    this.db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?').run(now, id);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
  }

  rolesOn(userId: number, clusterId: number): ClusterRole[] {
    return this.db
      .prepare('SELECT role FROM cluster_roles WHERE user_id = ? AND cluster_id = ? ORDER BY role')
      .pluck()
      .all(userId, clusterId) as ClusterRole[];
  }

  /** Every grant the user holds, by cluster name. */
  grants(userId: number): ClusterRoleGrants {
    const rows = this.db
      .prepare(
        'SELECT c.name AS cluster, r.role AS role FROM cluster_roles r ' +
          'JOIN clusters c ON c.id = r.cluster_id WHERE r.user_id = ? ORDER BY c.name',
      )
      .all(userId) as { cluster: string; role: ClusterRole }[];
    const grants: Record<string, ClusterRole[]> = {};
    for (const row of rows) grants[row.cluster] = [...(grants[row.cluster] ?? []), row.role];
    return grants;
  }

  /** Replaces all of the user's grants; the caller has checked every cluster id exists. */
  replaceGrants(userId: number, grants: readonly { clusterId: number; role: ClusterRole }[]) {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cluster_roles WHERE user_id = ?').run(userId);
      const insert = this.db.prepare(
        'INSERT OR IGNORE INTO cluster_roles (user_id, cluster_id, role) VALUES (?, ?, ?)',
      );
      for (const grant of grants) insert.run(userId, grant.clusterId, grant.role);
    })();
  }
}
