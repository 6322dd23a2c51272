import type { ClusterSummary } from '@quorate/protocol';
import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

const linkWords: Record<
  ClusterSummary['link']['state'],
  { tone: string; icon: string; word: string }
> = {
  unavailable: { tone: 'idle', icon: '○', word: 'No status' },
  connecting: { tone: 'busy', icon: '◌', word: 'Connecting' },
  connected: { tone: 'ok', icon: '●', word: 'Connected' },
  lost: { tone: 'bad', icon: '✕', word: 'Agents unreachable' },
};

/** One cluster on the homebase. Status details (quorum, members, services) come with the agent link. */
export function ClusterCard(props: { cluster: ClusterSummary }) {
  const { cluster } = props;
  const [confirming, setConfirming] = useState(false);
  const link = linkWords[cluster.link.state];
  return (
    <article className="card" data-test="cluster-card" aria-label={`Cluster ${cluster.name}`}>
      <h2 className="card-title" data-test="cluster-name">
        {cluster.name}
      </h2>
      <dl>
        <dt>Status</dt>
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
        <dt>Nodes</dt>
        <dd data-test="cluster-node-count">{cluster.nodeCount}</dd>
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
