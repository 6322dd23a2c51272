import type { SqliteDatabase } from './database.js';

export type ConfigVersionSource = 'edit' | 'upload' | 'rollback' | 'seen';

/** One recorded version of a cluster's cluster.conf (the real text, secrets included). */
export interface ConfigVersionRecord {
  readonly clusterId: number;
  readonly version: number;
  readonly text: string;
  readonly recordedAt: number;
  readonly recordedBy: string | null;
  readonly source: ConfigVersionSource;
  readonly summary: string;
  readonly rollbackOf: number | null;
}

interface RawVersion {
  cluster_id: number;
  version: number;
  text: string;
  recorded_at: number;
  recorded_by: string | null;
  source: ConfigVersionSource;
  summary: string;
  rollback_of: number | null;
}

const fromRaw = (raw: RawVersion): ConfigVersionRecord => ({
  clusterId: raw.cluster_id,
  version: raw.version,
  text: raw.text,
  recordedAt: raw.recorded_at,
  recordedBy: raw.recorded_by,
  source: raw.source,
  summary: raw.summary,
  rollbackOf: raw.rollback_of,
});

/** Each cluster's configuration versions, one row per config_version. */
export class ConfigHistoryStore {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Records a version. A version first recorded as merely seen (the live status may show it
   * before the commit that sent it answers) takes who sent it and why; any other row stays.
   */
  record(record: ConfigVersionRecord): void {
    this.db
      .prepare(
        `INSERT INTO config_versions
           (cluster_id, version, text, recorded_at, recorded_by, source, summary, rollback_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (cluster_id, version) DO UPDATE SET
           recorded_by = excluded.recorded_by, source = excluded.source,
           summary = excluded.summary, rollback_of = excluded.rollback_of
         WHERE config_versions.source = 'seen' AND excluded.source <> 'seen'`,
      )
      .run(
        record.clusterId,
        record.version,
        record.text,
        record.recordedAt,
        record.recordedBy,
        record.source,
        record.summary,
        record.rollbackOf,
      );
  }

  /** The cluster's versions, newest first, without their text. */
  list(clusterId: number): Omit<ConfigVersionRecord, 'text'>[] {
    const rows = this.db
      .prepare(
        `SELECT cluster_id, version, '' AS text, recorded_at, recorded_by, source, summary,
                rollback_of
         FROM config_versions WHERE cluster_id = ? ORDER BY version DESC`,
      )
      .all(clusterId) as RawVersion[];
    return rows.map(fromRaw);
  }

  byVersion(clusterId: number, version: number): ConfigVersionRecord | undefined {
    const raw = this.db
      .prepare('SELECT * FROM config_versions WHERE cluster_id = ? AND version = ?')
      .get(clusterId, version) as RawVersion | undefined;
    return raw && fromRaw(raw);
  }

  /** The newest version recorded below `version` (what a seen version is summarised against). */
  before(clusterId: number, version: number): ConfigVersionRecord | undefined {
    const raw = this.db
      .prepare(
        'SELECT * FROM config_versions WHERE cluster_id = ? AND version < ? ORDER BY version DESC LIMIT 1',
      )
      .get(clusterId, version) as RawVersion | undefined;
    return raw && fromRaw(raw);
  }

  latestVersion(clusterId: number): number | null {
    const row = this.db
      .prepare('SELECT MAX(version) AS v FROM config_versions WHERE cluster_id = ?')
      .get(clusterId) as { v: number | null };
    return row.v;
  }
}
