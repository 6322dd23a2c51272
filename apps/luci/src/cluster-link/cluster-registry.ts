import {
  type AddClusterRequest,
  type ClusterRole,
  type ClusterSummary,
  clusterRoles,
} from '@quorate/protocol';
import { ConsoleError } from '../errors/console-error.js';
import { clusterHealth } from '../live/status-view.js';
import type { ClusterRow, ConsoleStore, UserRow } from '../store/index.js';
import type { ClusterLink, ClusterLinkChange, ClusterLinkFactory } from './cluster-link.js';

/**
 * A change of one cluster's link (state, status or an agent's event); none for a change of the
 * registry itself.
 */
export interface RegistryChange {
  readonly cluster: string;
  readonly change: ClusterLinkChange;
}

/**
 * The clusters this console manages: the store's rows plus one live link per cluster. Every
 * change to the registry calls `onChange`, which the live hub turns into pushes.
 */
export class ClusterRegistry {
  private readonly links = new Map<string, { link: ClusterLink; unsubscribe: () => void }>();

  constructor(
    private readonly store: ConsoleStore,
    private readonly factory: ClusterLinkFactory,
    private readonly now: () => number,
    private readonly onChange: (change?: RegistryChange) => void,
  ) {}

  get linkAvailable(): boolean {
    return this.factory.available;
  }

  /** Opens a link to every registered cluster (at start). */
  start(): void {
    if (!this.factory.available) return;
    for (const cluster of this.store.clusters.list()) {
      this.attach(cluster.name, this.factory.reconnect(this.store.clusters.nodes(cluster.id)));
    }
  }

  close(): void {
    for (const { link, unsubscribe } of this.links.values()) {
      unsubscribe();
      link.close();
    }
    this.links.clear();
  }

  /** The open link to a registered cluster, if any. */
  linkOf(name: string): ClusterLink | undefined {
    return this.links.get(name)?.link;
  }

  /** The roles `user` holds on `cluster`: an administrator holds all of them. */
  rolesOf(user: UserRow, cluster: ClusterRow): ClusterRole[] {
    return user.admin ? [...clusterRoles] : this.store.users.rolesOn(user.id, cluster.id);
  }

  /** The clusters `user` may view, worst first once status exists (by name until then). */
  listFor(user: UserRow): ClusterSummary[] {
    return this.store.clusters
      .list()
      .map((cluster) => ({ cluster, roles: this.rolesOf(user, cluster) }))
      .filter(({ roles }) => roles.includes('view'))
      .map(({ cluster, roles }) => this.summary(cluster, roles));
  }

  summary(cluster: ClusterRow, myRoles: ClusterRole[]): ClusterSummary {
    const entry = this.links.get(cluster.name);
    const link = entry
      ? { state: entry.link.state().state, since: iso(entry.link.state().since) }
      : { state: 'unavailable' as const, since: null };
    const status = entry?.link.snapshot()?.status;
    return {
      name: cluster.name,
      addedAt: iso(cluster.addedAt),
      nodeCount: cluster.nodeCount,
      myRoles,
      link,
      health: status ? clusterHealth(status) : null,
      lastEvent: this.store.events.recent(cluster.id, 1)[0] ?? null,
    };
  }

  /** Connects with the agent password, registers what the agents report, keeps the link. */
  async add(request: Required<AddClusterRequest>, addedBy: string): Promise<ClusterRow> {
    const link = await this.factory.connect(request);
    const snapshot = link.snapshot();
    if (!snapshot) {
      link.close();
      throw new ConsoleError('CONSOLE_LINK_UNAVAILABLE', 'the agent sent no cluster status');
    }
    const row = this.store.clusters.add({
      name: snapshot.clusterName,
      addedBy,
      now: this.now(),
      nodes: snapshot.nodes,
    });
    if (!row) {
      link.close();
      throw new ConsoleError(
        'CONSOLE_CONFLICT',
        `a cluster named "${snapshot.clusterName}" has already been added`,
        { field: 'address' },
      );
    }
    // Attaching announces the first snapshot, which publishes the new cluster.
    this.attach(row.name, link);
    return row;
  }

  /** Forgets the cluster; its agents are asked, where reachable, to stop trusting this console. */
  remove(cluster: ClusterRow): void {
    const entry = this.links.get(cluster.name);
    entry?.unsubscribe();
    this.links.delete(cluster.name);
    this.store.clusters.remove(cluster.id);
    this.onChange();
    if (entry) revokeThenClose(entry.link);
  }

  private attach(name: string, link: ClusterLink): void {
    const unsubscribe = link.subscribe((change) => this.onChange({ cluster: name, change }));
    this.links.set(name, { link, unsubscribe });
    const snapshot = link.snapshot();
    if (snapshot) this.onChange({ cluster: name, change: { kind: 'snapshot', snapshot } });
  }
}

/** A link that holds a trust gives it back first (where an agent is reachable), then closes. */
function revokeThenClose(link: ClusterLink): void {
  if (!link.revokeTrust) {
    link.close();
    return;
  }
  void link
    .revokeTrust()
    .catch(() => false)
    .finally(() => link.close());
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
