import type { ConfigEditRequestItem } from '@quorate/protocol';
import { useState } from 'react';
import { Field } from '../ui/field.js';
import { ErrorNotice } from '../ui/notice.js';
import { type EditorState, errorAt, errorOfForm } from './editor-state.js';
import { CheckField, SectionHead } from './form-parts.js';
import type { ConfigEditor } from './use-config-editor.js';
import { useFormSave } from './use-form-save.js';

type Changes = Extract<ConfigEditRequestItem, { op: 'setClusterProperties' }>['changes'];

/** The numeric properties: where each lives, its attribute, and what the form says of it. */
const numbers = [
  {
    key: 'token',
    section: 'totem',
    label: 'Token timeout (ms)',
    help: 'Failure detection: a member silent this long is lost. 100–60000; default 1000.',
  },
  {
    key: 'consensus',
    section: 'totem',
    label: 'Consensus timeout (ms)',
    help: 'At least 1.2 × token; empty: 1.2 × token.',
  },
  {
    key: 'expected_votes',
    section: 'cman',
    label: 'Expected votes',
    help: 'The quorum is floor(max(expected, all votes) / 2) + 1; empty: the nodes\u2019 votes.',
  },
  {
    key: 'post_join_delay',
    section: 'fence_daemon',
    label: 'Post-join delay (s)',
    help: 'How long a new leader waits for members before fencing those it never saw; -1 waits forever. Default 6.',
  },
  {
    key: 'post_fail_delay',
    section: 'fence_daemon',
    label: 'Post-fail delay (s)',
    help: 'How long to wait after a member is lost before fencing it. Default 0.',
  },
  {
    key: 'status_poll_interval',
    section: 'rm',
    label: 'Status poll interval (s)',
    help: 'How often the resource manager checks its services. At least 1.',
  },
] as const;

type NumberKey = (typeof numbers)[number]['key'];

function initialNumbers(state: EditorState): Record<NumberKey, string> {
  const { conf } = state;
  return {
    token: conf.totem?.attrs.token ?? '',
    consensus: conf.totem?.attrs.consensus ?? '',
    expected_votes: conf.cman?.attrs.expected_votes ?? '',
    post_join_delay: conf.fenceDaemon?.attrs.post_join_delay ?? '',
    post_fail_delay: conf.fenceDaemon?.attrs.post_fail_delay ?? '',
    status_poll_interval: conf.rm?.attrs.status_poll_interval ?? '',
  };
}

const asNumber = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

/** The edit for what the form changed; empty when nothing did. */
function changesOf(
  before: Record<NumberKey, string>,
  now: Record<NumberKey, string>,
  flags: { twoNode: [boolean, boolean]; waitForAll: [boolean, boolean] },
): Changes | null {
  const moved = (key: NumberKey) => before[key].trim() !== now[key].trim();
  const num = (key: NumberKey) => (moved(key) ? { v: asNumber(now[key]) } : null);
  const changes = {
    cman: {
      ...(flags.twoNode[0] !== flags.twoNode[1] ? { twoNode: flags.twoNode[1] } : {}),
      ...(flags.waitForAll[0] !== flags.waitForAll[1] ? { waitForAll: flags.waitForAll[1] } : {}),
      ...(num('expected_votes') ? { expectedVotes: num('expected_votes')!.v } : {}),
    },
    totem: {
      ...(num('token') ? { tokenMs: num('token')!.v } : {}),
      ...(num('consensus') ? { consensusMs: num('consensus')!.v } : {}),
    },
    fenceDaemon: {
      ...(num('post_join_delay') ? { postJoinDelayS: num('post_join_delay')!.v } : {}),
      ...(num('post_fail_delay') ? { postFailDelayS: num('post_fail_delay')!.v } : {}),
    },
    rm: moved('status_poll_interval')
      ? { status_poll_interval: now.status_poll_interval.trim() || null }
      : {},
  };
  const nonEmpty = Object.entries(changes).filter(([, v]) => Object.keys(v).length > 0);
  return nonEmpty.length === 0 ? null : (Object.fromEntries(nonEmpty) as Changes);
}

const flagOn = (value: string | undefined) => value === '1' || value === 'true' || value === 'yes';

/** Cluster-wide properties: totem, quorum (cman), fencing delays, the resource manager's poll. */
export function PropertiesTab(props: { editor: ConfigEditor; state: EditorState }) {
  const { state, editor } = props;
  const before = initialNumbers(state);
  const [values, setValues] = useState(before);
  const twoNodeWas = state.conf.cman?.twoNode ?? false;
  const waitForAllWas = flagOn(state.conf.cman?.attrs.wait_for_all);
  const [twoNode, setTwoNode] = useState(twoNodeWas);
  const [waitForAll, setWaitForAll] = useState(waitForAllWas);
  const { error, busy, submit, setError } = useFormSave(editor, () => {});
  const canEdit = state.view.canEdit;
  const save = () => {
    const changes = changesOf(before, values, {
      twoNode: [twoNodeWas, twoNode],
      waitForAll: [waitForAllWas, waitForAll],
    });
    if (!changes) return setError({ path: undefined, message: 'Nothing was changed.' });
    return submit([{ op: 'setClusterProperties', changes }]);
  };
  const general = errorOfForm(error, [...numbers.map((n) => n.key), 'two_node', 'wait_for_all']);
  return (
    <form
      data-test="properties-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <SectionHead title="Cluster properties" />
      <ErrorNotice testId="properties-form-error" message={general} />
      <div className="properties-grid">
        {numbers.map((n) => (
          <Field
            key={n.key}
            label={n.label}
            testId={`property-${n.key}`}
            type="text"
            inputMode="numeric"
            help={n.help}
            value={values[n.key]}
            disabled={!canEdit}
            onChange={(e) => setValues({ ...values, [n.key]: e.target.value })}
            error={errorAt(error, n.key)}
          />
        ))}
      </div>
      <CheckField
        label="Two-node cluster (two_node)"
        testId="property-two_node"
        checked={twoNode}
        onChange={setTwoNode}
        help="exactly two one-vote nodes; a lone node leads only after fencing its peer"
      />
      <CheckField
        label="Wait for all (wait_for_all)"
        testId="property-wait_for_all"
        checked={waitForAll}
        onChange={setWaitForAll}
        help="a cluster starting from cold becomes quorate only after seeing every node"
      />
      {(errorAt(error, 'two_node') ?? errorAt(error, 'wait_for_all')) && (
        <span className="error" data-test="property-flags-error">
          {errorAt(error, 'two_node') ?? errorAt(error, 'wait_for_all')}
        </span>
      )}
      {canEdit && (
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-test="properties-save">
            {busy ? 'Checking…' : 'Review change'}
          </button>
        </div>
      )}
    </form>
  );
}
