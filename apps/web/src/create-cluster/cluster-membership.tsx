import type { ClusterStatusView } from '@quorate/protocol';
import { useState } from 'react';
import { Notice } from '../ui/notice.js';
import { AddNodeDialog } from './add-node-dialog.js';
import { DeleteClusterDialog, DeleteNodeDialog } from './delete-dialogs.js';
import './create-cluster.css';

/** The cluster page's membership actions: add a node, delete a node, delete the cluster. */
export function ClusterMembership(props: { view: ClusterStatusView }) {
  const { view } = props;
  const members = view.status?.members.map((m) => m.name) ?? [];
  const [adding, setAdding] = useState(false);
  const [deletingCluster, setDeletingCluster] = useState(false);
  const [nodeToDelete, setNodeToDelete] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const canMembership = view.myRoles.includes('membership');
  const canRemove = view.myRoles.includes('remove');
  if (!canMembership && !canRemove) return null;
  return (
    <section aria-labelledby="membership-title" data-test="cluster-membership">
      <h2 id="membership-title">Membership</h2>
      {message && (
        <Notice tone="ok" testId="membership-outcome">
          {message}
        </Notice>
      )}
      <div className="membership-actions">
        {canMembership && (
          <>
            <button type="button" onClick={() => setAdding(true)} data-test="add-node">
              Add a node…
            </button>
            <label className="check">
              Node
              <select
                value={chosen}
                onChange={(e) => setChosen(e.target.value)}
                data-test="delete-node-choice"
              >
                <option value="">(choose)</option>
                {members.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="danger"
              disabled={chosen === ''}
              onClick={() => setNodeToDelete(chosen)}
              data-test="delete-node"
            >
              Delete node…
            </button>
          </>
        )}
        {canRemove && (
          <button
            type="button"
            className="danger"
            onClick={() => setDeletingCluster(true)}
            data-test="delete-cluster"
          >
            Delete cluster…
          </button>
        )}
      </div>
      <AddNodeDialog cluster={view.name} open={adding} onClose={() => setAdding(false)} />
      <DeleteNodeDialog
        cluster={view.name}
        node={nodeToDelete}
        onClose={(text) => {
          setNodeToDelete(null);
          if (text) setMessage(text);
        }}
      />
      <DeleteClusterDialog
        cluster={view.name}
        nodes={members}
        open={deletingCluster}
        onClose={() => setDeletingCluster(false)}
      />
    </section>
  );
}
