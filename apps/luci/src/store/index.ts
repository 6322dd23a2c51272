import { AlertsStore } from './alerts-store.js';
import { AuditStore } from './audit-store.js';
import { ClustersStore } from './clusters-store.js';
import { ConfigHistoryStore } from './config-history-store.js';
import type { SqliteDatabase } from './database.js';
import { EventsStore } from './events-store.js';
import { SessionsStore } from './sessions-store.js';
import { UsersStore } from './users-store.js';

export type { AlertTargetRecord } from './alerts-store.js';
export type { AuditRecord } from './audit-store.js';
export type { ClusterRow, NodeRow } from './clusters-store.js';
export type { ConfigVersionRecord, ConfigVersionSource } from './config-history-store.js';
export {
  databaseFileName,
  openDatabase,
  openMemoryDatabase,
  type SqliteDatabase,
} from './database.js';
export type { EventRecord } from './events-store.js';
export type { SessionRow } from './sessions-store.js';
export type { UserRow } from './users-store.js';

/** The console's store: one SQLite database, one object per table group. */
export class ConsoleStore {
  readonly users: UsersStore;
  readonly sessions: SessionsStore;
  readonly clusters: ClustersStore;
  readonly audit: AuditStore;
  readonly events: EventsStore;
  readonly alerts: AlertsStore;
  readonly configHistory: ConfigHistoryStore;

  constructor(readonly db: SqliteDatabase) {
    this.users = new UsersStore(db);
    this.sessions = new SessionsStore(db);
    this.clusters = new ClustersStore(db);
    this.audit = new AuditStore(db);
    this.events = new EventsStore(db);
    this.alerts = new AlertsStore(db);
    this.configHistory = new ConfigHistoryStore(db);
  }

  close(): void {
    this.db.close();
  }
}
