import type { AuditEntry, AuditResult } from '@quorate/protocol';
import type { SqliteDatabase } from './database.js';

export interface AuditRecord {
  readonly at: number;
  readonly user: string | null;
  readonly cluster: string | null;
  readonly action: string;
  readonly target: string | null;
  /** Already redacted by the caller. */
  readonly details: Record<string, unknown>;
  readonly result: AuditResult;
  readonly errorCode: string | null;
}

interface RawAudit {
  id: number;
  at: number;
  user_name: string | null;
  cluster_name: string | null;
  action: string;
  target: string | null;
  details: string;
  result: AuditResult;
  error_code: string | null;
}

/** The audit log: append-only; the console offers no way to edit or delete an entry. */
export class AuditStore {
  constructor(private readonly db: SqliteDatabase) {}

  append(record: AuditRecord): void {
    this.db
      .prepare(
        'INSERT INTO audit_log (at, user_name, cluster_name, action, target, details, result, ' +
          'error_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.at,
        record.user,
        record.cluster,
        record.action,
        record.target,
        JSON.stringify(record.details),
        record.result,
        record.errorCode,
      );
  }

  /** Newest first; `before` pages back by id. */
  page(limit: number, before?: number): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(before ?? Number.MAX_SAFE_INTEGER, limit) as RawAudit[];
    return rows.map((raw) => ({
      id: raw.id,
      at: new Date(raw.at).toISOString(),
      user: raw.user_name,
      cluster: raw.cluster_name,
      action: raw.action,
      target: raw.target,
      details: JSON.parse(raw.details) as Record<string, unknown>,
      result: raw.result,
      errorCode: raw.error_code,
    }));
  }
}
