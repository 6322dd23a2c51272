import type { ClusterNodeConf } from '@quorate/core';
import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import { ConfigList } from './config-list.js';
import type { ConfigColumn } from './config-table.js';
import { type EditorState, errorAt, errorOfForm } from './editor-state.js';
import { FenceLevelsEditor, levelsOf, methodsOf } from './fence-levels-editor.js';
import { EditDialog } from './form-parts.js';
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

const fenceLevels = (n: ClusterNodeConf) =>
  n.fenceMethods.length === 0
    ? 'none'
    : n.fenceMethods
        .map((m, i) => `${i + 1}. ${m.name}: ${m.devices.map((d) => d.name).join(' + ')}`)
        .join('; ');

const nodeColumns: readonly ConfigColumn<ClusterNodeConf>[] = [
  { header: 'Name', mono: true, cell: (n) => n.name },
  { header: 'Node id', cell: (n) => n.nodeid ?? '—' },
  { header: 'Votes', cell: (n) => n.votes },
  { header: 'Altname', mono: true, cell: (n) => n.altnames.map((a) => a.name).join(', ') || '—' },
  { header: 'Fence levels', testId: 'node-fence-levels', cell: fenceLevels },
];

/** The cluster's nodes: votes, second link, and each node's fence levels. */
export function NodesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  return (
    <ConfigList<ClusterNodeConf>
      {...props}
      title="Nodes"
      testPrefix="node"
      table={{
        testId: 'nodes-table',
        rowTestId: 'node-row',
        rows: state.conf.nodes,
        nameOf: (n) => n.name,
        columns: nodeColumns,
      }}
      form={(node, onClose) =>
        node && <NodeDialog editor={editor} state={state} node={node} onClose={onClose} />
      }
    />
  );
}
