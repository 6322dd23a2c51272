import type {
  ClusterHealth,
  ClusterRole,
  ClusterStatus,
  ClusterStatusView,
} from '@quorate/protocol';
import type { ClusterRegistry } from '../cluster-link/cluster-registry.js';
import type { ClusterRow, ConsoleStore, UserRow } from '../store/index.js';

/** How many events a cluster page shows (UI.md: "the last ten events"). */
export const recentEventCount = 10;

/** The homebase card's digest of a status. */
export function clusterHealth(status: ClusterStatus): ClusterHealth {
  const count = (state: string) => status.services.filter((s) => s.state === state).length;
  return {
    quorate: status.quorum.quorate,
    totalVotes: status.quorum.totalVotes,
    expectedVotes: status.quorum.expectedVotes,
    quorum: status.quorum.quorum,
    membersOnline: status.members.filter((m) => m.online).length,
    members: status.members.length,
    servicesStarted: count('started'),
    servicesFailed: count('failed'),
    servicesDisabled: count('disabled'),
    services: status.services.length,
    locked: status.resourceManager.locked,
  };
}

/** One cluster's page: the link, the agents' last status and the latest events. */
export function clusterStatusView(
  registry: ClusterRegistry,
  store: ConsoleStore,
  cluster: ClusterRow,
  myRoles: ClusterRole[],
): ClusterStatusView {
  const summary = registry.summary(cluster, myRoles);
  return {
    name: cluster.name,
    myRoles,
    link: summary.link,
    status: registry.linkOf(cluster.name)?.snapshot()?.status ?? null,
    events: store.events.recent(cluster.id, recentEventCount),
  };
}

/** The page state of the cluster named `name` for `user`, or null if that user may not view it. */
export function clusterStatusViewFor(
  registry: ClusterRegistry,
  store: ConsoleStore,
  user: UserRow,
  name: string,
): ClusterStatusView | null {
  const cluster = store.clusters.byName(name);
  if (!cluster) return null;
  const roles = registry.rolesOf(user, cluster);
  return roles.includes('view') ? clusterStatusView(registry, store, cluster, roles) : null;
}
