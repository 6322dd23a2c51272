import {
  type BootstrapStepName,
  bootstrapStepTitles,
  type TaskNode,
  type TaskStep,
  type TaskView,
} from '@quorate/protocol';
import { Link, useParams } from 'wouter';
import { useLive } from '../live/live-provider.js';
import { Notice } from '../ui/notice.js';
import './create-cluster.css';
import { useTask } from './use-task.js';

/**
 * The steps each kind of task shows as columns, in order; an undo appears when one happens.
 * Clean-up and registering are in each host's log and the end notice.
 */
const columnsFor: Record<TaskView['kind'], readonly BootstrapStepName[]> = {
  'create-cluster': ['connect', 'check', 'copy', 'install', 'start', 'quorum'],
  'add-node': ['connect', 'check', 'copy', 'install', 'join', 'start', 'quorum'],
  'delete-node': ['stop', 'uninstall'],
  'delete-cluster': ['stop', 'uninstall'],
};

const logOnly: readonly BootstrapStepName[] = ['cleanup', 'register'];

const kindTitles: Record<TaskView['kind'], string> = {
  'create-cluster': 'Creating cluster',
  'add-node': 'Adding a node to',
  'delete-node': 'Deleting a node of',
  'delete-cluster': 'Deleting cluster',
};

const looks: Record<TaskStep['state'] | 'waiting', { tone: string; icon: string }> = {
  waiting: { tone: 'idle', icon: '○' },
  running: { tone: 'busy', icon: '◐' },
  done: { tone: 'ok', icon: '●' },
  failed: { tone: 'bad', icon: '✕' },
};

export function TaskPage() {
  const { id } = useParams<{ id: string }>();
  const watch = useTask(id ?? '');
  if (watch.kind === 'loading') {
    return (
      <p className="muted" data-test="task-loading">
        Loading the task…
      </p>
    );
  }
  if (watch.kind === 'missing') {
    return (
      <Notice tone="bad" testId="task-missing">
        {watch.message}
      </Notice>
    );
  }
  return <TaskProgress task={watch.task} />;
}

function TaskProgress(props: { task: TaskView }) {
  const { task } = props;
  const extra = task.nodes
    .flatMap((node) => node.steps.map((step) => step.step))
    .filter((step) => !columnsFor[task.kind].includes(step) && !logOnly.includes(step));
  const columns = [...columnsFor[task.kind], ...new Set(extra)];
  return (
    <>
      <div className="page-head">
        <h1>
          {kindTitles[task.kind]} <span className="mono">{task.cluster}</span>
          {task.subject && (
            <>
              : <span className="mono">{task.subject}</span>
            </>
          )}
        </h1>
        <Link href="/">Back to clusters</Link>
      </div>
      <TaskEnd task={task} />
      <div className="table-scroll">
        <table className="task-steps" data-test="task-steps">
          <thead>
            <tr>
              <th scope="col">Host</th>
              {columns.map((step) => (
                <th scope="col" key={step}>
                  {bootstrapStepTitles[step]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {task.nodes.map((node) => (
              <NodeRow key={node.node} node={node} columns={columns} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function NodeRow(props: { node: TaskNode; columns: readonly BootstrapStepName[] }) {
  const { node } = props;
  const failed = node.steps.find((step) => step.state === 'failed');
  // The newest thing a step said (a running step has nothing to say yet).
  const latest = node.steps.filter((step) => step.step !== 'cleanup' && step.detail).at(-1);
  return (
    <tr data-test="task-node" data-node={node.node}>
      <th scope="row">
        <span className="mono" data-test="task-node-host">
          {node.node}
        </span>
        {failed ? (
          <p className="node-failure" data-test="task-node-failure">
            {failed.detail}
          </p>
        ) : (
          latest?.detail && (
            <p className="node-detail muted" data-test="task-node-detail">
              {latest.detail}
            </p>
          )
        )}
        {node.steps.length > 0 && (
          <details>
            <summary>Log</summary>
            <ol className="task-log" data-test="task-node-log">
              {node.steps.map((step) => (
                <li key={step.step}>
                  {bootstrapStepTitles[step.step]}: {step.state}
                  {step.detail ? ` — ${step.detail}` : ''}
                </li>
              ))}
            </ol>
          </details>
        )}
      </th>
      {props.columns.map((column) => {
        const step = node.steps.find((s) => s.step === column);
        const state = step?.state ?? 'waiting';
        const look = looks[state];
        return (
          <td key={column} className="step-cell" data-test={`task-step-${column}`}>
            <span className="state" data-tone={look.tone}>
              <span aria-hidden="true" className={state === 'running' ? 'spin' : undefined}>
                {look.icon}
              </span>{' '}
              {state === 'waiting' ? '—' : state}
            </span>
          </td>
        );
      })}
    </tr>
  );
}

/** The clear end UI.md asks for: done (and the cluster once quorate), or what failed. */
function TaskEnd(props: { task: TaskView }) {
  const { task } = props;
  const live = useLive();
  if (task.state === 'running') {
    return (
      <Notice tone="info" testId="task-running">
        Working… each host's steps appear as they happen.
      </Notice>
    );
  }
  if (task.state === 'failed') {
    return (
      <Notice tone="bad" testId="task-failed">
        <span data-test="task-summary">{task.summary}</span>
        {/* The summary already says a single failure; several are listed one by one. */}
        {task.failures.length > 1 && (
          <ul data-test="task-failures">
            {task.failures.map((failure) => (
              <li key={`${failure.node} ${failure.step}`} data-test="task-failure">
                {failure.message}
              </li>
            ))}
          </ul>
        )}
        {task.kind === 'create-cluster' && (
          <Link href="/create-cluster?again" data-test="task-try-again">
            Change the form and try again
          </Link>
        )}
      </Notice>
    );
  }
  const cluster = live.clusters?.find((c) => c.name === task.cluster);
  const quorate = cluster?.health?.quorate === true;
  return (
    <Notice tone="ok" testId="task-done">
      <span data-test="task-summary">{task.summary}</span>
      {task.kind !== 'delete-cluster' &&
        (quorate ? (
          <div>
            <Link
              href={`/clusters/${encodeURIComponent(task.cluster)}`}
              data-test="task-cluster-link"
            >
              Open {task.cluster}
            </Link>{' '}
            — quorate
          </div>
        ) : (
          <div className="muted" data-test="task-cluster-waiting">
            Waiting for the console's link to report {task.cluster} quorate…
          </div>
        ))}
    </Notice>
  );
}
