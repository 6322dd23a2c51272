import type { ClusterSummary } from '@quorate/protocol';
import { useState } from 'react';
import { Link } from 'wouter';
import { useLive } from '../live/live-provider.js';
import { useSignedIn } from '../session/session.js';
import { AddClusterDialog } from './add-cluster-dialog.js';
import { ClusterCard } from './cluster-card.js';

const linkRank: Record<ClusterSummary['link']['state'], number> = {
  lost: 0,
  connecting: 1,
  unavailable: 2,
  connected: 3,
};

/** How bad a cluster looks: inquorate, failed services, members offline (bigger is worse). */
function trouble(cluster: ClusterSummary): number {
  const health = cluster.health;
  if (!health) return 0;
  const offline = health.members - health.membersOnline;
  return (health.quorate ? 0 : 1000) + health.servicesFailed * 10 + offline;
}

/** Worst first (UI.md): by link state, then by trouble, then by name. */
function worstFirst(clusters: readonly ClusterSummary[]): ClusterSummary[] {
  return [...clusters].sort(
    (a, b) =>
      linkRank[a.link.state] - linkRank[b.link.state] ||
      trouble(b) - trouble(a) ||
      a.name.localeCompare(b.name),
  );
}

export function HomebasePage() {
  const session = useSignedIn();
  const live = useLive();
  const [adding, setAdding] = useState(false);
  const canAdd = session.user.admin && session.clusterLinkAvailable;
  return (
    <>
      <div className="page-head">
        <h1>Clusters</h1>
        {session.user.admin && (
          <div>
            <button
              type="button"
              className="primary"
              disabled={!canAdd}
              onClick={() => setAdding(true)}
              aria-describedby={canAdd ? undefined : 'add-cluster-why'}
              data-test="add-cluster"
            >
              Add cluster
            </button>{' '}
            {canAdd && (
              <Link href="/create-cluster" className="button" data-test="create-cluster">
                Create cluster
              </Link>
            )}
            {!canAdd && (
              <p id="add-cluster-why" className="explain" data-test="add-cluster-why">
                Adding a cluster needs a connection to its agents, which this version of the console
                cannot make yet.
              </p>
            )}
          </div>
        )}
      </div>
      {live.clusters === null ? (
        <p className="muted" data-test="clusters-loading">
          Loading clusters…
        </p>
      ) : live.clusters.length === 0 ? (
        <section className="empty" data-test="clusters-empty">
          <h2 className="empty-title">No clusters yet</h2>
          <p>
            {!session.user.admin
              ? 'No cluster has been shared with you. Ask an administrator for the view role on a cluster.'
              : session.clusterLinkAvailable
                ? 'Create a cluster from bare Linux hosts over SSH, or add an existing one by one node’s address and its agent password; the console discovers the rest.'
                : 'Once this console can reach cluster agents, add an existing cluster by one node’s address and its agent password.'}
          </p>
        </section>
      ) : (
        <section className="cards" data-test="cluster-list">
          {worstFirst(live.clusters).map((cluster) => (
            <ClusterCard key={cluster.name} cluster={cluster} />
          ))}
        </section>
      )}
      <AddClusterDialog open={adding} onClose={() => setAdding(false)} />
    </>
  );
}
