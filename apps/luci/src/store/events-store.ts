import type { ClusterEvent, ClusterEventKind } from '@quorate/protocol';
import type { SqliteDatabase } from './database.js';

export interface EventRecord {
  readonly clusterId: number;
  readonly at: number;
  readonly kind: ClusterEventKind;
  readonly subject: string | null;
  readonly message: string;
  /** What the message says as data (a service's state and owner, a member's presence). */
  readonly detail?: Readonly<Record<string, unknown>>;
}

interface RawEvent {
  id: number;
  at: number;
  kind: ClusterEventKind;
  subject: string | null;
  data: string;
}

/** Each cluster's event history (members, fencing, services, quorum, lock, link), append-only. */
export class EventsStore {
  constructor(private readonly db: SqliteDatabase) {}

  append(record: EventRecord): ClusterEvent {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO events (cluster_id, at, kind, subject, data) VALUES (?, ?, ?, ?, ?)')
      .run(
        record.clusterId,
        record.at,
        record.kind,
        record.subject,
        JSON.stringify({ ...record.detail, message: record.message }),
      );
    return {
      id: Number(lastInsertRowid),
      at: new Date(record.at).toISOString(),
      kind: record.kind,
      subject: record.subject,
      message: record.message,
    };
  }

  /** The cluster's latest events, newest first. */
  recent(clusterId: number, limit: number): ClusterEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM events WHERE cluster_id = ? ORDER BY id DESC LIMIT ?')
      .all(clusterId, limit) as RawEvent[];
    return rows.map((raw) => ({
      id: raw.id,
      at: new Date(raw.at).toISOString(),
      kind: raw.kind,
      subject: raw.subject,
      message: (JSON.parse(raw.data) as { message: string }).message,
    }));
  }
}
