import { useState } from 'react';
import { callApi } from '../api/api-client.js';
import { Dialog } from '../ui/dialog.js';
import { Field } from '../ui/field.js';
import { fieldError, formError } from '../ui/form-errors.js';
import { ErrorNotice } from '../ui/notice.js';
import { useFormSubmit } from '../ui/use-form-submit.js';

const fields = ['address', 'port', 'agentPassword'];

/** luci's "Add an existing cluster": one node's address and agent password; the rest is discovered. */
export function AddClusterDialog(props: { open: boolean; onClose: () => void }) {
  const [address, setAddress] = useState('');
  const [port, setPort] = useState('11111');
  const [agentPassword, setAgentPassword] = useState('');
  const { error, busy, submit } = useFormSubmit(async () => {
    await callApi('POST', '/api/clusters', {
      body: { address, port: Number(port), agentPassword },
    });
    setAgentPassword('');
    props.onClose();
  });

  const general = formError(error, fields);
  return (
    <Dialog
      title="Add an existing cluster"
      open={props.open}
      onClose={props.onClose}
      testId="add-cluster-dialog"
    >
      <form onSubmit={submit}>
        <ErrorNotice testId="add-cluster-error" message={general} />
        <Field
          label="Node address"
          testId="add-cluster-address"
          type="text"
          required
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={fieldError(error, 'address')}
          help="Any one node of the cluster: a host name or an IP address."
        />
        <Field
          label="Agent port"
          testId="add-cluster-port"
          type="text"
          inputMode="numeric"
          required
          value={port}
          onChange={(e) => setPort(e.target.value)}
          error={fieldError(error, 'port')}
        />
        <Field
          label="Agent password"
          testId="add-cluster-password"
          type="password"
          required
          value={agentPassword}
          autoComplete="off"
          onChange={(e) => setAgentPassword(e.target.value)}
          error={fieldError(error, 'agentPassword')}
        />
        <div className="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy} data-test="add-cluster-submit">
            Add cluster
          </button>
        </div>
      </form>
    </Dialog>
  );
}
