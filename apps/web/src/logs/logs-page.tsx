import type { AgentLogLine } from '@quorate/protocol';
import { useCallback, useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useLive } from '../live/live-provider.js';
import { nodeLogsPath, timelinePath } from '../timeline/timeline-api.js';
import { VirtualList } from '../timeline/virtual-list.js';
import { ClusterSubjectTitle } from '../ui/cluster-title.js';
import { ErrorNotice } from '../ui/notice.js';
import { fetchAgentLogs } from './logs-api.js';
import '../timeline/timeline.css';

const lineLimit = 500;
const levelTone: Record<AgentLogLine['level'], string> = {
  debug: 'idle',
  info: 'idle',
  warn: 'warn',
  error: 'bad',
};

function LogLine(props: { line: AgentLogLine }) {
  const { line } = props;
  const fields = JSON.stringify(line.fields);
  return (
    <div className="log-line" data-test="log-line" data-level={line.level}>
      <span className="muted">{line.time}</span>
      <span className="state" data-tone={levelTone[line.level]}>
        {line.level}
      </span>
      <span data-test="log-event" title={line.event}>
        {line.event}
      </span>
      <span data-test="log-fields" title={fields}>
        {fields}
      </span>
    </div>
  );
}

/** One node's agent log: its newest lines, newest first, read from that node's agent. */
export default function LogsPage(props: { params: { name: string; node: string } }) {
  const cluster = decodeURIComponent(props.params.name);
  const node = decodeURIComponent(props.params.node);
  const members = useLive().statuses[cluster]?.status?.members ?? [];
  const [, navigate] = useLocation();
  const [lines, setLines] = useState<readonly AgentLogLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    setError(null);
    fetchAgentLogs(cluster, node, lineLimit).then(
      (logs) => setLines(logs.lines),
      (failure: Error) => setError(failure.message),
    );
  }, [cluster, node]);
  useEffect(load, [load]);
  return (
    <>
      <div className="page-head">
        <ClusterSubjectTitle
          cluster={cluster}
          subject={node}
          testId="logs-title"
          suffix="agent log"
        />
        <label>
          Node{' '}
          <select
            value={node}
            onChange={(e) => navigate(nodeLogsPath(cluster, e.target.value))}
            data-test="logs-node"
          >
            {members.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={load} data-test="logs-refresh">
          Refresh
        </button>
        <Link
          href={`${timelinePath(cluster)}?node=${encodeURIComponent(node)}`}
          data-test="logs-events-link"
        >
          Its events
        </Link>
      </div>
      <ErrorNotice testId="logs-error" message={error} />
      {lines === null ? (
        !error && <p className="muted">Loading…</p>
      ) : lines.length === 0 ? (
        <p className="empty" data-test="logs-empty">
          The agent on <span className="mono">{node}</span> has logged nothing at info level or
          above since it started.
        </p>
      ) : (
        <VirtualList
          items={[...lines].reverse()}
          rowHeightPx={30}
          heightPx={600}
          keyOf={(_line, index) => index}
          renderRow={(line) => <LogLine line={line} />}
          label={`${node}'s agent log, newest first`}
          testId="logs-list"
        />
      )}
    </>
  );
}
