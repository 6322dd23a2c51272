import type { SqliteDatabase } from './database.js';

export interface ClusterRow {
  readonly id: number;
  readonly name: string;
  readonly addedAt: number;
  readonly addedBy: string;
  readonly nodeCount: number;
}

export interface NodeRow {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly agentFingerprint: string | null;
}

interface RawCluster {
  id: number;
  name: string;
  added_at: number;
  added_by: string;
  node_count: number;
}

const toCluster = (raw: RawCluster): ClusterRow => ({
  id: raw.id,
  name: raw.name,
  addedAt: raw.added_at,
  addedBy: raw.added_by,
  nodeCount: raw.node_count,
});

const selectClusters =
  'SELECT c.*, (SELECT count(*) FROM nodes n WHERE n.cluster_id = c.id) AS node_count ' +
  'FROM clusters c';

/** The cluster registry: the clusters this console manages and how to reach their agents. */
export class ClustersStore {
  constructor(private readonly db: SqliteDatabase) {}

  list(): ClusterRow[] {
    const rows = this.db.prepare(`${selectClusters} ORDER BY c.name`).all() as RawCluster[];
    return rows.map(toCluster);
  }

  byName(name: string): ClusterRow | undefined {
    const raw = this.db.prepare(`${selectClusters} WHERE c.name = ?`).get(name) as
      | RawCluster
      | undefined;
    return raw && toCluster(raw);
  }

  /** Registers a cluster with its nodes; undefined when the name is already registered. */
  add(cluster: { name: string; addedBy: string; now: number; nodes: readonly NodeRow[] }) {
    return this.db.transaction(() => {
      const result = this.db
        .prepare(
          'INSERT INTO clusters (name, added_at, added_by) VALUES (?, ?, ?) ' +
            'ON CONFLICT (name) DO NOTHING',
        )
        .run(cluster.name, cluster.now, cluster.addedBy);
      if (result.changes === 0) return undefined;
      const clusterId = Number(result.lastInsertRowid);
      const insertNode = this.db.prepare(
        'INSERT INTO nodes (cluster_id, name, address, port, agent_fingerprint) ' +
          'VALUES (?, ?, ?, ?, ?)',
      );
      for (const node of cluster.nodes) {
        insertNode.run(clusterId, node.name, node.address, node.port, node.agentFingerprint);
      }
      return this.byName(cluster.name);
    })();
  }

  nodes(clusterId: number): NodeRow[] {
    return (
      this.db
        .prepare(
          'SELECT name, address, port, agent_fingerprint FROM nodes WHERE cluster_id = ? ' +
            'ORDER BY name',
        )
        .all(clusterId) as {
        name: string;
        address: string;
        port: number;
        agent_fingerprint: string | null;
      }[]
    ).map((raw) => ({
      name: raw.name,
      address: raw.address,
      port: raw.port,
      agentFingerprint: raw.agent_fingerprint,
    }));
  }

  /** Removes the cluster with its nodes, roles, tasks and events. */
  remove(id: number): void {
    this.db.prepare('DELETE FROM clusters WHERE id = ?').run(id);
  }
}
