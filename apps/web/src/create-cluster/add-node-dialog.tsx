import { addNodeRequestSchema } from '@quorate/protocol';
import { type FormEvent, useState } from 'react';
import { Dialog } from '../ui/dialog.js';
import { Field } from '../ui/field.js';
import { ErrorNotice } from '../ui/notice.js';
import { emptyHost, fieldErrors, hostInput } from './host-draft.js';
import { HostRow } from './host-row.js';
import { useTaskStart } from './use-task-start.js';

/** "Add a node": one more host installed over SSH and committed into cluster.conf. */
export function AddNodeDialog(props: { cluster: string; open: boolean; onClose: () => void }) {
  const [host, setHost] = useState(emptyHost);
  const [agentPassword, setAgentPassword] = useState('');
  const { errors, general, busy, start } = useTaskStart();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { node: hostInput(host), agentPassword };
    const path = `/api/clusters/${encodeURIComponent(props.cluster)}/nodes`;
    await start(path, body, fieldErrors(addNodeRequestSchema, body));
  };

  return (
    <Dialog
      title={`Add a node to ${props.cluster}`}
      open={props.open}
      onClose={props.onClose}
      testId="add-node-dialog"
    >
      <form onSubmit={submit} noValidate>
        <ErrorNotice testId="add-node-error" message={general} />
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
