import type { ClusterHealth, ClusterSummary } from '@quorate/protocol';
import { useState } from 'react';
import { Link } from 'wouter';
import { callApi } from '../api/api-client.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

export const linkWords: Record<
  ClusterSummary['link']['state'],
  { tone: string; icon: string; word: string }
> = {
  unavailable: { tone: 'idle', icon: '○', word: 'No status' },
  connecting: { tone: 'busy', icon: '◌', word: 'Connecting' },
  connected: { tone: 'ok', icon: '●', word: 'Connected' },
  lost: { tone: 'bad', icon: '✕', word: 'Agents unreachable' },
};

/** Quorum, members online and services by state, as the card's rows. */
function HealthRows(props: { health: ClusterHealth }) {
  const { health } = props;
  const offline = health.members - health.membersOnline;
  return (
    <>
      <dt>Quorum</dt>
      <dd>
        <span
          className="state"
          data-tone={health.quorate ? 'ok' : 'bad'}
          data-test="cluster-quorum"
        >
          <span aria-hidden="true">{health.quorate ? '●' : '✕'}</span>{' '}
          {health.quorate ? 'Quorate' : 'Inquorate'}
        </span>{' '}
        <span className="muted">
          {health.totalVotes} of {health.expectedVotes} votes
        </span>
      </dd>
      <dt>Members</dt>
      <dd data-test="cluster-members">
        <span className="state" data-tone={offline === 0 ? 'ok' : 'bad'}>
          {health.membersOnline} of {health.members} online
        </span>
      </dd>
      <dt>Services</dt>
      <dd data-test="cluster-services">
        {health.servicesStarted} started
        {health.servicesFailed > 0 && (
          <span className="state" data-tone="bad">
            , {health.servicesFailed} failed
          </span>
        )}
        {health.servicesDisabled > 0 && <span>, {health.servicesDisabled} disabled</span>}
        {health.locked && <span className="badge">locked</span>}
      </dd>
    </>
  );
}

/** One cluster on the homebase: is it healthy, what changed last; its name opens its page. */
export function ClusterCard(props: { cluster: ClusterSummary }) {
  const { cluster } = props;
  const [confirming, setConfirming] = useState(false);
  const link = linkWords[cluster.link.state];
  return (
    <article className="card" data-test="cluster-card" aria-label={`Cluster ${cluster.name}`}>
      <h2 className="card-title">
        <Link href={`/clusters/${encodeURIComponent(cluster.name)}`} data-test="cluster-name">
          {cluster.name}
        </Link>
      </h2>
      <dl>
        <dt>Link</dt>
        <dd>
          <span className="state" data-tone={link.tone} data-test="cluster-link-state">
            <span aria-hidden="true">{link.icon}</span> {link.word}
          </span>
          {cluster.link.state === 'unavailable' && (
            <div className="explain">
              This console cannot reach cluster agents yet, so it shows no status rather than a
              guess.
            </div>
          )}
        </dd>
        {cluster.health ? (
          <HealthRows health={cluster.health} />
        ) : (
          <>
            <dt>Nodes</dt>
            <dd data-test="cluster-node-count">{cluster.nodeCount}</dd>
          </>
        )}
        {cluster.lastEvent && (
          <>
            <dt>Last event</dt>
            <dd data-test="cluster-last-event">{cluster.lastEvent.message}</dd>
          </>
        )}
      </dl>
      {cluster.myRoles.includes('remove') && (
        <button
          type="button"
          className="danger"
          onClick={() => setConfirming(true)}
          data-test="cluster-remove"
        >
          Remove from console…
        </button>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Remove cluster ${cluster.name}?`}
        confirmLabel="Remove from console"
        testId="cluster-remove-dialog"
        onCancel={() => setConfirming(false)}
        onConfirm={() => callApi('DELETE', `/api/clusters/${encodeURIComponent(cluster.name)}`)}
      >
        <p>
          The console forgets <span className="mono">{cluster.name}</span> and everyone's roles on
          it. The cluster itself keeps running.
        </p>
      </ConfirmDialog>
    </article>
  );
}
