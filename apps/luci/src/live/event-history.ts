import {
  type ClusterEventKind,
  type ServiceStatus,
  serviceStateNameSchema,
  type TimelineEvent,
  type TimelinePage,
  type timelineQuerySchema,
} from '@quorate/protocol';
import type { z } from 'zod';
import type { SqliteDatabase } from '../store/index.js';
import { type EventDetail, eventNode } from './event-detail.js';

export type TimelineFilter = z.output<typeof timelineQuerySchema>;

interface RawEvent {
  id: number;
  at: number;
  kind: ClusterEventKind;
  subject: string | null;
  data: string;
}

/** A stored event, with the detail its data column keeps beside the message. */
export interface RecordedEvent {
  readonly id: number;
  readonly at: number;
  readonly kind: ClusterEventKind;
  readonly subject: string | null;
  readonly message: string;
  readonly detail: EventDetail;
}

function recorded(raw: RawEvent): RecordedEvent {
  const { message, ...detail } = JSON.parse(raw.data) as EventDetail & { message: string };
  return { id: raw.id, at: raw.at, kind: raw.kind, subject: raw.subject, message, detail };
}

export function timelineEvent(event: RecordedEvent): TimelineEvent {
  return {
    id: event.id,
    at: new Date(event.at).toISOString(),
    kind: event.kind,
    subject: event.subject,
    message: event.message,
    node: eventNode(event.kind, event.subject, event.detail),
    state: serviceState(event.detail.state),
  };
}

const serviceStates = new Set<string>(serviceStateNameSchema.options);
const serviceState = (state: string | undefined): TimelineEvent['state'] =>
  state !== undefined && serviceStates.has(state) ? (state as TimelineEvent['state']) : null;

/** SQL conditions and their parameters, one per filter given. */
function conditions(filter: TimelineFilter): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter.kind && filter.kind.length > 0) {
    sql.push(`kind IN (${filter.kind.map(() => '?').join(', ')})`);
    params.push(...filter.kind);
  }
  if (filter.node !== undefined) {
    sql.push(
      "((kind IN ('member', 'fence', 'fenced') AND subject = ?) OR (kind = 'service' AND " +
        "(json_extract(data, '$.owner') = ? OR json_extract(data, '$.previousOwner') = ?)))",
    );
    params.push(filter.node, filter.node, filter.node);
  }
  if (filter.service !== undefined) {
    sql.push("kind = 'service' AND subject = ?");
    params.push(filter.service);
  }
  if (filter.from !== undefined) {
    sql.push('at >= ?');
    params.push(Date.parse(filter.from));
  }
  if (filter.to !== undefined) {
    sql.push('at <= ?');
    params.push(Date.parse(filter.to));
  }
  if (filter.before !== undefined) {
    sql.push('id < ?');
    params.push(filter.before);
  }
  return { sql, params };
}

/** One page of a cluster's timeline, newest first, every filter applied in SQL. */
export function timelinePage(
  db: SqliteDatabase,
  clusterId: number,
  filter: TimelineFilter,
): TimelinePage {
  const where = conditions(filter);
  const rows = db
    .prepare(
      `SELECT id, at, kind, subject, data FROM events WHERE cluster_id = ?${where.sql
        .map((condition) => ` AND ${condition}`)
        .join('')} ORDER BY id DESC LIMIT ?`,
    )
    .all(clusterId, ...where.params, filter.limit + 1) as RawEvent[];
  const page = rows.slice(0, filter.limit);
  const more = rows.length > filter.limit;
  return {
    events: page.map((raw) => timelineEvent(recorded(raw))),
    nextBefore: more ? (page.at(-1)?.id ?? null) : null,
  };
}

/** How many events one service's history reads, at most (its newest). */
export const serviceHistoryEventLimit = 5000;

/**
 * What a service's history is derived from, oldest first: the service's own events and every
 * member going offline (a failover's cause), from the newest `serviceHistoryEventLimit`.
 */
export function serviceHistoryEvents(
  db: SqliteDatabase,
  clusterId: number,
  service: ServiceStatus['id'],
): RecordedEvent[] {
  const rows = db
    .prepare(
      `SELECT id, at, kind, subject, data FROM events WHERE cluster_id = ? AND (
         (kind = 'service' AND subject = ?) OR
         (kind = 'member' AND json_extract(data, '$.online') = 0)
       ) ORDER BY id DESC LIMIT ?`,
    )
    .all(clusterId, service, serviceHistoryEventLimit) as RawEvent[];
  return rows.reverse().map(recorded);
}
