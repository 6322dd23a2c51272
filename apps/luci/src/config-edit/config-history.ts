import { configChangeSummary, parseClusterConf } from '@quorate/core';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import type { ConfigVersionSource } from '../store/config-history-store.js';
import type { ConsoleStore } from '../store/index.js';

/**
 * The console's record of every cluster.conf version it committed (with who and why) or saw
 * committed (the live status showed a config_version it had not recorded: ccs_tool, another
 * console, the cluster's own formation). The text is read from the agents when it is seen.
 */

/** What the history list says a version changed, against the newest recorded before it. */
function summaryOf(store: ConsoleStore, clusterId: number, version: number, text: string) {
  const previous = store.configHistory.before(clusterId, version);
  try {
    return configChangeSummary(
      previous ? parseClusterConf(previous.text) : null,
      parseClusterConf(text),
    );
  } catch {
    return 'a file the console could not read';
  }
}

export interface CommitRecord {
  readonly cluster: string;
  readonly version: number;
  readonly text: string;
  readonly user: string;
  readonly source: Exclude<ConfigVersionSource, 'seen'>;
  readonly rollbackOf?: number;
}

/** Records a version this console sent and the cluster accepted. */
export function recordCommit(store: ConsoleStore, record: CommitRecord, nowMs: number): void {
  const row = store.clusters.byName(record.cluster);
  if (!row) return;
  const restored = record.rollbackOf === undefined ? '' : `rollback to ${record.rollbackOf}: `;
  store.configHistory.record({
    clusterId: row.id,
    version: record.version,
    text: record.text,
    recordedAt: nowMs,
    recordedBy: record.user,
    source: record.source,
    summary: restored + summaryOf(store, row.id, record.version, record.text),
    rollbackOf: record.rollbackOf ?? null,
  });
}

/** Clusters whose committed file is being read right now (one read at a time per cluster). */
const reading = new WeakMap<ConsoleStore, Set<string>>();

/**
 * The live status showed `configVersion`: when no version that new is recorded, the committed
 * file is read from the agents and recorded as seen. Failures are left for the next status.
 */
export function noteStatusVersion(
  store: ConsoleStore,
  cluster: string,
  link: ClusterLink | undefined,
  configVersion: number,
  now: () => number,
): void {
  const row = store.clusters.byName(cluster);
  if (!row || !link || configVersion === 0) return;
  if ((store.configHistory.latestVersion(row.id) ?? 0) >= configVersion) return;
  const busy = reading.get(store) ?? new Set<string>();
  reading.set(store, busy);
  if (busy.has(cluster)) return;
  busy.add(cluster);
  link
    .config()
    .then((config) => {
      if (!config || !store.clusters.byName(cluster)) return;
      store.configHistory.record({
        clusterId: row.id,
        version: config.version,
        text: config.text,
        recordedAt: now(),
        recordedBy: null,
        source: 'seen',
        summary: summaryOf(store, row.id, config.version, config.text),
        rollbackOf: null,
      });
    })
    .catch(() => {})
    .finally(() => busy.delete(cluster));
}
