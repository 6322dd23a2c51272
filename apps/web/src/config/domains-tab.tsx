import type { FailoverDomainConf } from '@quorate/core';
import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import { type EditorState, errorAt, errorOfForm } from './editor-state.js';
import { CheckField, EditDialog, SectionHead } from './form-parts.js';
import { DeleteConfirm, RowActions } from './row-actions.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

interface MemberChoice {
  readonly node: string;
  readonly checked: boolean;
  readonly priority: string;
}

function membersOf(members: readonly MemberChoice[]) {
  return members
    .filter((m) => m.checked)
    .map((m) =>
      m.priority.trim() === ''
        ? { node: m.node }
        : { node: m.node, priority: Number(m.priority.trim()) },
    );
}

function DomainDialog(props: {
  editor: ConfigEditor;
  state: EditorState;
  domain: FailoverDomainConf | null;
  onClose: () => void;
}) {
  const { domain, state } = props;
  const [name, setName] = useState(domain?.name ?? '');
  const [ordered, setOrdered] = useState(domain?.ordered ?? false);
  const [restricted, setRestricted] = useState(domain?.restricted ?? false);
  const [nofailback, setNofailback] = useState(domain?.nofailback ?? false);
  const [members, setMembers] = useState<MemberChoice[]>(() =>
    state.conf.nodes.map((n) => {
      const member = domain?.nodes.find((m) => m.name === n.name);
      return {
        node: n.name,
        checked: member !== undefined,
        priority: member?.attrs.priority ?? '',
      };
    }),
  );
  const { error, busy, submit } = useFormSave(props.editor, props.onClose);
  const save = () => {
    const chosen = membersOf(members);
    const edits: ConfigEditRequestItem[] = domain
      ? [
          { op: 'updateFailoverDomain', name: domain.name, ordered, restricted, nofailback },
          { op: 'setDomainMembers', domain: domain.name, members: chosen },
        ]
      : [{ op: 'addFailoverDomain', name, ordered, restricted, nofailback, members: chosen }];
    return submit(edits);
  };
  return (
    <EditDialog
      title={domain ? `Failover domain ${domain.name}` : 'Add a failover domain'}
      open
      testId="domain-form"
      busy={busy}
      generalError={errorOfForm(error, ['name', 'priority'])}
      onClose={props.onClose}
      onSave={() => void save()}
    >
      <Field
        label="Name"
        testId="domain-name"
        type="text"
        value={name}
        disabled={domain !== null}
        onChange={(e) => setName(e.target.value)}
        error={errorAt(error, 'name')}
      />
      <CheckField
        label="Ordered"
        testId="domain-ordered"
        checked={ordered}
        onChange={setOrdered}
        help="prefer members by priority (1 is best)"
      />
      <CheckField
        label="Restricted"
        testId="domain-restricted"
        checked={restricted}
        onChange={setRestricted}
        help="services run only on members"
      />
      <CheckField
        label="No failback"
        testId="domain-nofailback"
        checked={nofailback}
        onChange={setNofailback}
        help="do not move back when a better member returns"
      />
      <fieldset>
        <legend>Members</legend>
        {members.map((m, i) => (
          <div key={m.node} className="member-row">
            <CheckField
              label={m.node}
              testId={`domain-member-${m.node}`}
              checked={m.checked}
              onChange={(checked) =>
                setMembers(members.map((x, j) => (j === i ? { ...x, checked } : x)))
              }
            />
            {ordered && m.checked && (
              <label>
                priority{' '}
                <input
                  type="text"
                  inputMode="numeric"
                  size={4}
                  data-test={`domain-priority-${m.node}`}
                  value={m.priority}
                  onChange={(e) =>
                    setMembers(
                      members.map((x, j) => (j === i ? { ...x, priority: e.target.value } : x)),
                    )
                  }
                />
              </label>
            )}
          </div>
        ))}
        {errorAt(error, 'priority') && (
          <span className="error" data-test="domain-priority-error">
            {errorAt(error, 'priority')}
          </span>
        )}
      </fieldset>
    </EditDialog>
  );
}

/** Failover domains: where services may run and which node they prefer. */
export function DomainsTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const [editing, setEditing] = useState<FailoverDomainConf | 'new' | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const domains = state.conf.rm?.failoverDomains ?? [];
  const canEdit = state.view.canEdit;
  const usedBy = (name: string) =>
    (state.conf.rm?.services ?? [])
      .filter((s) => s.params.domain === name)
      .map((s) => s.params.name);
  return (
    <>
      <SectionHead
        title="Failover domains"
        addLabel="Add failover domain"
        addTestId="domain-add"
        onAdd={canEdit ? () => setEditing('new') : undefined}
      />
      {domains.length === 0 ? (
        <p className="empty" data-test="domains-empty">
          No failover domains — services may run on any node. Add one to prefer or restrict nodes.
        </p>
      ) : (
        <div className="table-scroll">
          <table data-test="domains-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Flags</th>
                <th>Members</th>
                <th>Used by</th>
                {canEdit && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {domains.map((d) => (
                <tr key={d.name} data-test="domain-row" data-name={d.name}>
                  <td className="mono">{d.name}</td>
                  <td>
                    {[
                      d.ordered && 'ordered',
                      d.restricted && 'restricted',
                      d.nofailback && 'nofailback',
                    ]
                      .filter(Boolean)
                      .join(', ') || '—'}
                  </td>
                  <td className="mono">
                    {d.nodes
                      .map((m) => (m.priority === undefined ? m.name : `${m.name}:${m.priority}`))
                      .join(' ')}
                  </td>
                  <td>{usedBy(d.name).join(', ') || '—'}</td>
                  {canEdit && (
                    <RowActions
                      testPrefix="domain"
                      onEdit={() => setEditing(d)}
                      onDelete={() => setDeleting(d.name)}
                    />
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing !== null && (
        <DomainDialog
          editor={editor}
          state={state}
          domain={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <DeleteConfirm
        editor={editor}
        edit={deleting === null ? null : { op: 'deleteFailoverDomain', name: deleting }}
        title={`Delete failover domain ${deleting ?? ''}`}
        testId="domain-delete-dialog"
        onCancel={() => setDeleting(null)}
      >
        <p>
          Delete the failover domain <span className="mono">{deleting}</span>?
        </p>
      </DeleteConfirm>
    </>
  );
}
