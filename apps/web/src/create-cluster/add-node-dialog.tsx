import { addNodeRequestSchema, taskStartedSchema } from '@quorate/protocol';
import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, callApi } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { Field } from '../ui/field.js';
import { Notice } from '../ui/notice.js';
import { emptyHost, type FieldErrors, fieldErrors, hostInput } from './host-draft.js';
import { HostRow } from './host-row.js';

/** "Add a node": one more host installed over SSH and committed into cluster.conf. */
export function AddNodeDialog(props: { cluster: string; open: boolean; onClose: () => void }) {
  const [, navigate] = useLocation();
  const [host, setHost] = useState(emptyHost);
  const [agentPassword, setAgentPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral(null);
    const body = { node: hostInput(host), agentPassword };
    const found = fieldErrors(addNodeRequestSchema, body);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const path = `/api/clusters/${encodeURIComponent(props.cluster)}/nodes`;
      const { task } = await callApi('POST', path, { body, schema: taskStartedSchema });
      navigate(`/tasks/${task.id}`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.field)
        setErrors({ [failure.field]: failure.message });
      else setGeneral(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={`Add a node to ${props.cluster}`}
      open={props.open}
      onClose={props.onClose}
      testId="add-node-dialog"
    >
      <form onSubmit={submit} noValidate>
        {general && (
          <Notice tone="bad" testId="add-node-error">
            {general}
          </Notice>
        )}
        <HostRow
          path="node"
          title="New host"
          draft={host}
          errors={errors}
          canRemove={false}
          onChange={setHost}
          onRemove={() => undefined}
        />
        <Field
          label="The cluster's agent password"
          testId="add-node-agent-password"
          type="password"
          autoComplete="off"
          value={agentPassword}
          onChange={(e) => setAgentPassword(e.target.value)}
          error={errors.agentPassword}
          help="The password the cluster was created with; the new node's agent gets it too."
        />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-test="add-node-submit">
            Add node
          </button>
        </div>
      </form>
    </Dialog>
  );
}
