import type { FailoverDomainConf } from '@quorate/core';
import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { EmptyState } from '../ui/data-table.js';
import { Field } from '../ui/field.js';
import { ConfigList } from './config-list.js';
import type { ConfigColumn } from './config-table.js';
import { type EditorState, errorAt, errorOfForm } from './editor-state.js';
import { CheckField, EditDialog } from './form-parts.js';
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

function domainColumns(
  usedBy: (name: string) => readonly (string | undefined)[],
): readonly ConfigColumn<FailoverDomainConf>[] {
  const flags = (d: FailoverDomainConf) =>
    [d.ordered && 'ordered', d.restricted && 'restricted', d.nofailback && 'nofailback'].filter(
      Boolean,
    );
  return [
    { header: 'Name', mono: true, cell: (d) => d.name },
    { header: 'Flags', cell: (d) => flags(d).join(', ') || '—' },
    {
      header: 'Members',
      mono: true,
      cell: (d) =>
        d.nodes
          .map((m) => (m.priority === undefined ? m.name : `${m.name}:${m.priority}`))
          .join(' '),
    },
    { header: 'Used by', cell: (d) => usedBy(d.name).join(', ') || '—' },
  ];
}

/** Failover domains: where services may run and which node they prefer. */
export function DomainsTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const usedBy = (name: string) =>
    (state.conf.rm?.services ?? [])
      .filter((s) => s.params.domain === name)
      .map((s) => s.params.name);
  return (
    <ConfigList<FailoverDomainConf>
      {...props}
      title="Failover domains"
      add={{ label: 'Add failover domain' }}
      testPrefix="domain"
      table={{
        testId: 'domains-table',
        rowTestId: 'domain-row',
        rows: state.conf.rm?.failoverDomains ?? [],
        nameOf: (d) => d.name,
        columns: domainColumns(usedBy),
        empty: (
          <EmptyState testId="domains-empty">
            No failover domains — services may run on any node. Add one to prefer or restrict nodes.
          </EmptyState>
        ),
      }}
      form={(domain, onClose) => (
        <DomainDialog editor={editor} state={state} domain={domain} onClose={onClose} />
      )}
      deletion={(d) => ({
        edit: { op: 'deleteFailoverDomain', name: d.name },
        title: `Delete failover domain ${d.name}`,
        question: (
          <p>
            Delete the failover domain <span className="mono">{d.name}</span>?
          </p>
        ),
      })}
    />
  );
}
