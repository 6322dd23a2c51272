import { membershipOutcomeSchema } from '@quorate/protocol';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { callApi } from '../api/api-client.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { accessInput, emptyAccess, SshAccessFields } from './ssh-access-fields.js';

/** A checkbox that, ticked, asks for SSH access to uninstall the agent(s) as well. */
function UninstallChoice(props: {
  label: string;
  uninstall: boolean;
  onToggle: (on: boolean) => void;
  access: typeof emptyAccess;
  onAccess: (access: typeof emptyAccess) => void;
}) {
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          data-test="uninstall-choice"
          checked={props.uninstall}
          onChange={(e) => props.onToggle(e.target.checked)}
        />
        {props.label}
      </label>
      {props.uninstall && (
        <SshAccessFields
          draft={props.access}
          errors={{}}
          path="uninstall"
          onChange={props.onAccess}
        />
      )}
    </>
  );
}

/** Deleting a node: out of cluster.conf (the cluster refuses while it owns services). */
export function DeleteNodeDialog(props: {
  cluster: string;
  node: string | null;
  onClose: (message?: string) => void;
}) {
  const [, navigate] = useLocation();
  const [uninstall, setUninstall] = useState(false);
  const [access, setAccess] = useState(emptyAccess);
  const node = props.node ?? '';
  const confirm = async () => {
    const path = `/api/clusters/${encodeURIComponent(props.cluster)}/nodes/${encodeURIComponent(node)}/delete`;
    const body = uninstall ? { uninstall: accessInput(access) } : {};
    const outcome = await callApi('POST', path, { body, schema: membershipOutcomeSchema });
    if (outcome.task) navigate(`/tasks/${outcome.task.id}`);
    else props.onClose(outcome.text);
  };
  return (
    <ConfirmDialog
      open={props.node !== null}
      title={`Delete node ${node} from ${props.cluster}?`}
      confirmLabel={`Delete ${node}`}
      testId="delete-node-dialog"
      onCancel={() => props.onClose()}
      onConfirm={confirm}
    >
      <p>
        <span className="mono">{node}</span> leaves cluster.conf (config_version + 1). The cluster
        refuses while services run on it: relocate or disable them first.
      </p>
      <UninstallChoice
        label="Also stop and remove its agent over SSH"
        uninstall={uninstall}
        onToggle={setUninstall}
        access={access}
        onAccess={setAccess}
      />
    </ConfirmDialog>
  );
}

/** Deleting a cluster: stop and uninstall every agent (one SSH access for all), or only forget it. */
export function DeleteClusterDialog(props: {
  cluster: string;
  nodes: readonly string[];
  open: boolean;
  onClose: () => void;
}) {
  const [, navigate] = useLocation();
  const [uninstall, setUninstall] = useState(false);
  const [access, setAccess] = useState(emptyAccess);
  const confirm = async () => {
    const path = `/api/clusters/${encodeURIComponent(props.cluster)}/delete`;
    const every = Object.fromEntries(props.nodes.map((node) => [node, accessInput(access)]));
    const body = { uninstall: uninstall ? every : {} };
    const outcome = await callApi('POST', path, { body, schema: membershipOutcomeSchema });
    navigate(outcome.task ? `/tasks/${outcome.task.id}` : '/');
  };
  return (
    <ConfirmDialog
      open={props.open}
      title={`Delete cluster ${props.cluster}?`}
      confirmLabel={`Delete ${props.cluster}`}
      testId="delete-cluster-dialog"
      onCancel={props.onClose}
      onConfirm={confirm}
    >
      <p>
        Without SSH access the console only forgets the cluster, and its agents keep running. With
        it, every node's agent is stopped and removed, and its services stop.
      </p>
      <UninstallChoice
        label={`Stop and remove the agents on ${props.nodes.join(', ')} over SSH`}
        uninstall={uninstall}
        onToggle={setUninstall}
        access={access}
        onAccess={setAccess}
      />
    </ConfirmDialog>
  );
}
