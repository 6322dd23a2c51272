/**
 * The store's schema, one numbered step at a time. A step is never edited once released: a
 * change is a new step. `PRAGMA user_version` records the last step applied.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, roles, sessions, clusters, nodes, tasks, audit log, event history',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL CHECK (admin IN (0, 1)),
        created_at INTEGER NOT NULL,
        last_login_at INTEGER
      );
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions(user_id);
      CREATE TABLE clusters (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        added_at INTEGER NOT NULL,
        added_by TEXT NOT NULL
      );
      CREATE TABLE nodes (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        address TEXT NOT NULL,
        port INTEGER NOT NULL,
        agent_fingerprint TEXT,
        UNIQUE (cluster_id, name)
      );
      CREATE TABLE cluster_roles (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN
          ('view', 'membership', 'config', 'node-commands', 'service-commands', 'remove')),
        PRIMARY KEY (user_id, cluster_id, role)
      );
      CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER REFERENCES clusters(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        user_name TEXT,
        cluster_name TEXT,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
        error_code TEXT
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT,
        data TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX events_cluster_at ON events(cluster_id, at);
    `,
  },
  {
    version: 2,
    name: 'alert targets and the alert delivery log',
    sql: `
      CREATE TABLE alert_targets (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('webhook', 'email')),
        settings TEXT NOT NULL,
        secret TEXT,
        events TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (cluster_id, name)
      );
      CREATE TABLE alert_deliveries (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        alert_id TEXT NOT NULL,
        target_id INTEGER REFERENCES alert_targets(id) ON DELETE SET NULL,
        target_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT
      );
      CREATE INDEX alert_deliveries_cluster ON alert_deliveries(cluster_id, id);
    `,
  },
  {
    version: 3,
    name: 'configuration history',
    // The text is the real file, secrets included (a rollback must restore them); the API
    // shows it only redacted. The database file is 0600.
    sql: `
      CREATE TABLE config_versions (
        id INTEGER PRIMARY KEY,
        cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        recorded_by TEXT,
        source TEXT NOT NULL CHECK (source IN ('edit', 'upload', 'rollback', 'seen')),
        summary TEXT NOT NULL,
        rollback_of INTEGER,
        UNIQUE (cluster_id, version)
      );
    `,
  },
];
