import type {
  AlertDelivery,
  AlertKind,
  AlertTarget,
  NewAlertTarget,
  subscribableAlertKinds,
} from '@quorate/protocol';
import type { SqliteDatabase } from './database.js';

type SubscribableKind = (typeof subscribableAlertKinds)[number];

/** A target with its secret, for the sender only: never handed to a route's reply. */
export interface AlertTargetRecord {
  readonly target: AlertTarget;
  readonly clusterId: number;
  /** The webhook's shared secret or the SMTP password. */
  readonly secret: string | null;
}

interface RawTarget {
  id: number;
  cluster_id: number;
  name: string;
  kind: 'webhook' | 'email';
  settings: string;
  secret: string | null;
  events: string;
}

interface RawDelivery {
  id: number;
  alert_id: string;
  target_id: number | null;
  target_name: string;
  kind: AlertKind;
  summary: string;
  created_at: number;
  updated_at: number;
  state: AlertDelivery['state'];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
}

/** How many deliveries each cluster's log keeps; older ones are dropped as new ones come. */
export const deliveryLogLimit = 1000;

function toRecord(raw: RawTarget): AlertTargetRecord {
  const events = JSON.parse(raw.events) as SubscribableKind[];
  const settings = JSON.parse(raw.settings) as Record<string, unknown>;
  const hasSecret = raw.secret !== null;
  const target = { id: raw.id, kind: raw.kind, name: raw.name, hasSecret, events, ...settings };
  return { target: target as AlertTarget, clusterId: raw.cluster_id, secret: raw.secret };
}

function toDelivery(raw: RawDelivery): AlertDelivery {
  return {
    id: raw.id,
    alertId: raw.alert_id,
    targetId: raw.target_id,
    targetName: raw.target_name,
    kind: raw.kind,
    summary: raw.summary,
    createdAt: new Date(raw.created_at).toISOString(),
    updatedAt: new Date(raw.updated_at).toISOString(),
    state: raw.state,
    attempts: raw.attempts,
    lastStatus: raw.last_status,
    lastError: raw.last_error,
  };
}

/** The settings column: everything the browser may see again (no secret, no name or kind). */
function settingsOf(target: NewAlertTarget): Record<string, unknown> {
  if (target.kind === 'webhook') return { url: target.url };
  const { host, port, security, user, from, to } = target;
  return { host, port, security, from, to, ...(user ? { user } : {}) };
}

function secretOf(target: NewAlertTarget): string | null {
  return (target.kind === 'webhook' ? target.secret : target.password) ?? null;
}

/**
 * Each cluster's alert targets and the log of deliveries to them. Secrets live in their own
 * column of the 0600 database file and leave this class only inside `AlertTargetRecord`.
 */
export class AlertsStore {
  constructor(private readonly db: SqliteDatabase) {}

  /** Adds a target; undefined when the cluster already has one of that name. */
  addTarget(clusterId: number, target: NewAlertTarget, now: number): AlertTarget | undefined {
    const result = this.db
      .prepare(
        'INSERT INTO alert_targets (cluster_id, name, kind, settings, secret, events, created_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cluster_id, name) DO NOTHING',
      )
      .run(
        clusterId,
        target.name,
        target.kind,
        JSON.stringify(settingsOf(target)),
        secretOf(target),
        JSON.stringify([...new Set(target.events)]),
        now,
      );
    if (result.changes === 0) return undefined;
    return this.target(clusterId, Number(result.lastInsertRowid))?.target;
  }

  targets(clusterId: number): AlertTargetRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM alert_targets WHERE cluster_id = ? ORDER BY name')
      .all(clusterId) as RawTarget[];
    return rows.map(toRecord);
  }

  target(clusterId: number, id: number): AlertTargetRecord | undefined {
    const raw = this.db
      .prepare('SELECT * FROM alert_targets WHERE cluster_id = ? AND id = ?')
      .get(clusterId, id) as RawTarget | undefined;
    return raw && toRecord(raw);
  }

  deleteTarget(clusterId: number, id: number): boolean {
    const result = this.db
      .prepare('DELETE FROM alert_targets WHERE cluster_id = ? AND id = ?')
      .run(clusterId, id);
    return result.changes > 0;
  }

  /** Starts a delivery (state `sending`, no attempt yet) and trims the cluster's log. */
  startDelivery(
    clusterId: number,
    delivery: { alertId: string; target: AlertTarget; kind: AlertKind; summary: string },
    now: number,
  ): AlertDelivery {
    return this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          'INSERT INTO alert_deliveries (cluster_id, alert_id, target_id, target_name, kind, ' +
            "summary, created_at, updated_at, state, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', 0)",
        )
        .run(
          clusterId,
          delivery.alertId,
          delivery.target.id,
          delivery.target.name,
          delivery.kind,
          delivery.summary,
          now,
          now,
        );
      this.db
        .prepare(
          'DELETE FROM alert_deliveries WHERE cluster_id = ? AND id <= (SELECT id FROM ' +
            'alert_deliveries WHERE cluster_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
        )
        .run(clusterId, clusterId, deliveryLogLimit);
      return this.delivery(Number(lastInsertRowid)) as AlertDelivery;
    })();
  }

  /** Records one attempt's outcome. */
  recordAttempt(
    id: number,
    attempt: { state: AlertDelivery['state']; status: number | null; error: string | null },
    now: number,
  ): void {
    this.db
      .prepare(
        'UPDATE alert_deliveries SET attempts = attempts + 1, state = ?, last_status = ?, ' +
          'last_error = ?, updated_at = ? WHERE id = ?',
      )
      .run(attempt.state, attempt.status, attempt.error, now, id);
  }

  delivery(id: number): AlertDelivery | undefined {
    const raw = this.db.prepare('SELECT * FROM alert_deliveries WHERE id = ?').get(id) as
      | RawDelivery
      | undefined;
    return raw && toDelivery(raw);
  }

  /** The cluster's latest deliveries, newest first. */
  deliveries(clusterId: number, limit: number): AlertDelivery[] {
    const rows = this.db
      .prepare('SELECT * FROM alert_deliveries WHERE cluster_id = ? ORDER BY id DESC LIMIT ?')
      .all(clusterId, limit) as RawDelivery[];
    return rows.map(toDelivery);
  }
}
