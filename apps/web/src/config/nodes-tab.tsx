import type { ClusterNodeConf } from '@quorate/core';
import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import { type EditorState, errorAt, errorOfForm } from './editor-state.js';
import { FenceLevelsEditor, levelsOf, methodsOf } from './fence-levels-editor.js';
import { EditDialog, SectionHead } from './form-parts.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

function nodeEdits(
  node: ClusterNodeConf,
  votes: string,
  altname: string,
  methods: ReturnType<typeof methodsOf>,
): ConfigEditRequestItem[] {
  const edits: ConfigEditRequestItem[] = [];
  const oldVotes = node.attrs.votes ?? '';
  const oldAltname = node.altnames[0]?.name ?? '';
  if (votes.trim() !== oldVotes || altname.trim() !== oldAltname) {
    edits.push({
      op: 'setNodeProperties',
      name: node.name,
      ...(votes.trim() === oldVotes
        ? {}
        : { votes: votes.trim() === '' ? null : Number(votes.trim()) }),
      ...(altname.trim() === oldAltname
        ? {}
        : { altname: altname.trim() === '' ? null : altname.trim() }),
    });
  }
  if (JSON.stringify(methods) !== JSON.stringify(methodsOf(levelsOf(node)))) {
    edits.push({ op: 'setNodeFencing', node: node.name, methods });
  }
  return edits;
}

function NodeDialog(props: {
  editor: ConfigEditor;
  state: EditorState;
  node: ClusterNodeConf;
  onClose: () => void;
}) {
  const { node } = props;
  const [votes, setVotes] = useState(node.attrs.votes ?? '');
  const [altname, setAltname] = useState(node.altnames[0]?.name ?? '');
  const [levels, setLevels] = useState(() => levelsOf(node));
  const { error, busy, submit } = useFormSave(props.editor, props.onClose);
  // A votes value that is not a number goes to the core as NaN, which names the field and rule.
  const save = () => submit(nodeEdits(node, votes, altname, methodsOf(levels)));
  const levelAttrs = ['port', 'nodename', 'switch'];
  return (
    <EditDialog
      title={`Node ${node.name}`}
      open
      testId="node-form"
      busy={busy}
      generalError={errorOfForm(error, ['votes', 'name', ...levelAttrs])}
      onClose={props.onClose}
      onSave={() => void save()}
    >
      <Field
        label="Votes"
        testId="node-votes"
        type="text"
        inputMode="numeric"
        value={votes}
        placeholder="1"
        onChange={(e) => setVotes(e.target.value)}
        error={errorAt(error, 'votes')}
        help="How many votes this node brings to the quorum (default 1)."
      />
      <Field
        label="Second link (altname)"
        testId="node-altname"
        type="text"
        className="mono"
        value={altname}
        onChange={(e) => setAltname(e.target.value)}
        error={errorAt(error, 'name')}
        help="Another address of this node, used when the first link fails."
      />
      <FenceLevelsEditor
        state={props.state}
        levels={levels}
        onChange={setLevels}
        errorFor={(name) => errorAt(error, name)}
      />
    </EditDialog>
  );
}

/** The cluster's nodes: votes, second link, and each node's fence levels. */
export function NodesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state } = props;
  const [editing, setEditing] = useState<ClusterNodeConf | null>(null);
  return (
    <>
      <SectionHead title="Nodes" />
      <div className="table-scroll">
        <table data-test="nodes-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Node id</th>
              <th>Votes</th>
              <th>Altname</th>
              <th>Fence levels</th>
              {state.view.canEdit && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {state.conf.nodes.map((n) => (
              <tr key={n.name} data-test="node-row" data-name={n.name}>
                <td className="mono">{n.name}</td>
                <td>{n.nodeid ?? '—'}</td>
                <td>{n.votes}</td>
                <td className="mono">{n.altnames.map((a) => a.name).join(', ') || '—'}</td>
                <td data-test="node-fence-levels">
                  {n.fenceMethods.length === 0
                    ? 'none'
                    : n.fenceMethods
                        .map(
                          (m, i) =>
                            `${i + 1}. ${m.name}: ${m.devices.map((d) => d.name).join(' + ')}`,
                        )
                        .join('; ')}
                </td>
                {state.view.canEdit && (
                  <td className="row-actions">
                    <button type="button" onClick={() => setEditing(n)} data-test="node-edit">
                      Edit
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing && (
        <NodeDialog
          editor={props.editor}
          state={state}
          node={editing}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
