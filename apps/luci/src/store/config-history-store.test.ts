import { describe, expect, it } from 'vitest';
import type { ConfigVersionRecord } from './config-history-store.js';
import { ConsoleStore, openMemoryDatabase } from './index.js';

function storeWithCluster() {
  const store = new ConsoleStore(openMemoryDatabase());
  store.db
    .prepare("INSERT INTO clusters (name, added_at, added_by) VALUES ('c', 0, 'admin')")
    .run();
  return { store, clusterId: store.clusters.byName('c')!.id };
}

const record = (clusterId: number, over: Partial<ConfigVersionRecord>): ConfigVersionRecord => ({
  clusterId,
  version: 2,
  text: '<cluster name="c" config_version="2"/>',
  recordedAt: 1000,
  recordedBy: null,
  source: 'seen',
  summary: 'seen',
  rollbackOf: null,
  ...over,
});

describe('ConfigHistoryStore', () => {
  it('lets the commit that sent a version name its author after the status showed it first', () => {
    const { store, clusterId } = storeWithCluster();
    store.configHistory.record(record(clusterId, {}));
    store.configHistory.record(
      record(clusterId, { recordedBy: 'admin', source: 'rollback', summary: 'r', rollbackOf: 1 }),
    );
    expect(store.configHistory.list(clusterId)).toEqual([
      expect.objectContaining({
        version: 2,
        recordedBy: 'admin',
        source: 'rollback',
        rollbackOf: 1,
      }),
    ]);
  });

  it('never lets a later sighting overwrite who committed a version', () => {
    const { store, clusterId } = storeWithCluster();
    store.configHistory.record(record(clusterId, { recordedBy: 'admin', source: 'edit' }));
    store.configHistory.record(record(clusterId, { summary: 'other' }));
    expect(store.configHistory.byVersion(clusterId, 2)).toMatchObject({
      recordedBy: 'admin',
      source: 'edit',
    });
  });

  it('lists newest first, finds the version before, and goes with its cluster', () => {
    const { store, clusterId } = storeWithCluster();
    for (const version of [1, 3, 2]) store.configHistory.record(record(clusterId, { version }));
    expect(store.configHistory.list(clusterId).map((r) => r.version)).toEqual([3, 2, 1]);
    expect(store.configHistory.before(clusterId, 3)?.version).toBe(2);
    expect(store.configHistory.latestVersion(clusterId)).toBe(3);
    store.db.prepare('DELETE FROM clusters WHERE id = ?').run(clusterId);
    expect(store.configHistory.latestVersion(clusterId)).toBeNull();
  });
});
