import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { useSignedIn } from '../session/session.js';
import { Field } from '../ui/field.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import {
  type ClusterDraft,
  checkDraft,
  createRequest,
  emptyHost,
  type FieldErrors,
  type HostDraft,
  rememberDraft,
  rememberedDraft,
} from './host-draft.js';
import { HostRow } from './host-row.js';
import { useTaskStart } from './use-task-start.js';
import './create-cluster.css';

const initialDraft = (): ClusterDraft => ({
  clusterName: '',
  agentPassword: '',
  hosts: [emptyHost(), emptyHost(), emptyHost()],
  tokenMs: '',
  twoNode: false,
  waitForAll: false,
});

/**
 * luci's "Create a new cluster": a name, the agent password every node gets, the hosts with
 * their SSH access, and cman's options. The form is checked with the server's own schema before
 * anything is sent; the progress then follows on the task's page.
 */
export function CreateClusterPage() {
  const session = useSignedIn();
  // "Try again" from a failed creation brings the form back as it was sent, secrets blank.
  const again = new URLSearchParams(window.location.search).has('again');
  const [draft, setDraft] = useState(() => (again && rememberedDraft()) || initialDraft());
  const { errors, general, busy, start } = useTaskStart();
  const set = (change: Partial<ClusterDraft>) => setDraft((d) => ({ ...d, ...change }));
  const setHost = (index: number, host: HostDraft) =>
    setDraft((d) => ({ ...d, hosts: d.hosts.map((h, i) => (i === index ? host : h)) }));

  if (!session.user.admin) {
    return (
      <Notice tone="bad" testId="create-cluster-forbidden">
        Only administrators create clusters.
      </Notice>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const request = createRequest(draft);
    await start('/api/create-cluster', request, checkDraft(request), () => rememberDraft(draft));
  };

  return (
    <form onSubmit={submit} noValidate data-test="create-cluster-form">
      <div className="page-head">
        <h1>Create a cluster</h1>
        <Link href="/">Back to clusters</Link>
      </div>
      <p className="muted">
        The console logs in to each host over SSH, checks it, installs the agent, issues the node
        certificates from a new cluster CA, writes cluster.conf version 1 and starts the agents. If
        any host fails, nothing is left installed on the others.
      </p>
      <ErrorNotice testId="create-cluster-error" message={general} />
      <section className="create-panel" aria-labelledby="cluster-title">
        <h2 id="cluster-title">Cluster</h2>
        <Field
          label="Cluster name"
          testId="create-cluster-name"
          type="text"
          className="mono"
          value={draft.clusterName}
          onChange={(e) => set({ clusterName: e.target.value })}
          error={errors.clusterName}
          help="As in cluster.conf: letters, digits, . _ -"
        />
        <Field
          label="Agent password"
          testId="create-cluster-agent-password"
          type="password"
          autoComplete="new-password"
          value={draft.agentPassword}
          onChange={(e) => set({ agentPassword: e.target.value })}
          error={errors.agentPassword}
          help="Every node's agent (ricci) password, at least 12 characters. Adding the cluster to another console, or a node to this cluster, asks for it."
        />
      </section>
      <section className="create-panel" aria-labelledby="hosts-title">
        <h2 id="hosts-title">Hosts</h2>
        {errors.nodes && (
          <p className="form-error" data-test="create-cluster-nodes-error">
            {errors.nodes}
          </p>
        )}
        {draft.hosts.map((host, index) => (
          <HostRow
            key={host.key}
            path={`nodes.${index}`}
            title={`Host ${index + 1}`}
            draft={host}
            errors={errors}
            canRemove={draft.hosts.length > 1}
            onChange={(changed) => setHost(index, changed)}
            onRemove={() => set({ hosts: draft.hosts.filter((_, i) => i !== index) })}
          />
        ))}
        <button
          type="button"
          onClick={() => set({ hosts: [...draft.hosts, emptyHost()] })}
          data-test="host-add"
        >
          Add a host
        </button>
      </section>
      <ClusterOptions draft={draft} errors={errors} onChange={set} />
      <div className="actions">
        <Link href="/">Cancel</Link>
        <button type="submit" className="primary" disabled={busy} data-test="create-cluster-submit">
          Create cluster
        </button>
      </div>
    </form>
  );
}

function ClusterOptions(props: {
  draft: ClusterDraft;
  errors: FieldErrors;
  onChange: (change: Partial<ClusterDraft>) => void;
}) {
  const { draft, errors } = props;
  return (
    <section className="create-panel" aria-labelledby="options-title">
      <h2 id="options-title">Options</h2>
      <Field
        label="Token timeout (ms)"
        testId="create-cluster-token"
        type="text"
        inputMode="numeric"
        placeholder="1000"
        value={draft.tokenMs}
        onChange={(e) => props.onChange({ tokenMs: e.target.value })}
        error={errors['options.tokenMs']}
        help="<totem token>: how long a silent node takes to be declared lost. Empty: 1000."
      />
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            data-test="create-cluster-two-node"
            checked={draft.twoNode}
            aria-invalid={errors['options.twoNode'] ? true : undefined}
            onChange={(e) => props.onChange({ twoNode: e.target.checked })}
          />
          two_node: a two-node cluster where either node alone keeps quorum after fencing the other
        </label>
        {errors['options.twoNode'] && (
          <span className="error" data-test="create-cluster-two-node-error">
            {errors['options.twoNode']}
          </span>
        )}
      </div>
      <label className="check">
        <input
          type="checkbox"
          data-test="create-cluster-wait-for-all"
          checked={draft.waitForAll}
          onChange={(e) => props.onChange({ waitForAll: e.target.checked })}
        />
        wait_for_all: after a cold start, quorate only once every node has been seen
      </label>
    </section>
  );
}
