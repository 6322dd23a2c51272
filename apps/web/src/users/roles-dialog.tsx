import {
  type ClusterRole,
  clusterRoles,
  clusterRoleTitles,
  type UserSummary,
} from '@quorate/protocol';
import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { useLive } from '../live/live-provider.js';
import { Dialog } from '../ui/dialog.js';
import { ErrorNotice } from '../ui/notice.js';

/** luci's six roles per cluster, as a grid of checkboxes. */
export function RolesDialog(props: { user: UserSummary; onClose: () => void }) {
  const clusters = useLive().clusters ?? [];
  const [grants, setGrants] = useState<Record<string, ClusterRole[]>>({ ...props.user.roles });
  const [error, setError] = useState<string | null>(null);
  const toggle = (cluster: string, role: ClusterRole, on: boolean) => {
    const current = new Set(grants[cluster] ?? []);
    if (on) current.add(role);
    else current.delete(role);
    setGrants({ ...grants, [cluster]: clusterRoles.filter((r) => current.has(r)) });
  };
  const save = async () => {
    try {
      await callApi('PUT', `/api/users/${encodeURIComponent(props.user.name)}/roles`, {
        body: { roles: grants },
      });
      props.onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <Dialog
      title={`Roles of ${props.user.name}`}
      open
      onClose={props.onClose}
      testId="roles-dialog"
    >
      <ErrorNotice testId="roles-error" message={error} />
      {clusters.length === 0 ? (
        <p data-test="roles-no-clusters">
          No clusters yet: roles are granted per cluster, once one is added.
        </p>
      ) : (
        <table className="role-grid">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              {clusterRoles.map((role) => (
                <th scope="col" key={role} title={clusterRoleTitles[role]}>
                  {role}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {clusters.map((cluster) => (
              <tr key={cluster.name}>
                <th scope="row" className="mono">
                  {cluster.name}
                </th>
                {clusterRoles.map((role) => (
                  <td key={role}>
                    <input
                      type="checkbox"
                      aria-label={`${clusterRoleTitles[role]} on ${cluster.name}`}
                      checked={grants[cluster.name]?.includes(role) ?? false}
                      onChange={(e) => toggle(cluster.name, role, e.target.checked)}
                      data-test={`role-${role}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => void save()}
          data-test="roles-save"
        >
          Save roles
        </button>
      </div>
    </Dialog>
  );
}
