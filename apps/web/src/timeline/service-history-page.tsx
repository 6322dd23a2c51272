import type { ServiceFailover, ServiceHistory } from '@quorate/protocol';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { useLive } from '../live/live-provider.js';
import { ServiceState } from '../services/service-state.js';
import { ClusterSubjectTitle } from '../ui/cluster-title.js';
import { DataTable, EmptyState } from '../ui/data-table.js';
import { ErrorNotice } from '../ui/notice.js';
import { HistoryChart } from './history-chart.js';
import { fetchServiceHistory, nodeLogsPath, timelinePath } from './timeline-api.js';
import './timeline.css';

const causeWords: Record<ServiceFailover['cause'], string> = {
  'owner-lost': 'its node was lost (fenced, then recovered here)',
  'service-failed': 'it failed on its node',
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const dateTime = (iso: string) => new Date(iso).toLocaleString();

function FailoversTable(props: { cluster: string; failovers: readonly ServiceFailover[] }) {
  const node = (name: string) => (
    <Link href={nodeLogsPath(props.cluster, name)} className="mono">
      {name}
    </Link>
  );
  return (
    <DataTable
      testId="history-failovers"
      headers={['Started elsewhere', 'From', 'To', 'Cause', 'Duration']}
      rows={[...props.failovers].reverse()}
      empty={
        <EmptyState testId="history-no-failovers" muted>
          No failover since the console started watching: the service never had to leave a node.
        </EmptyState>
      }
      renderRow={(f) => (
        <tr key={f.startedAt} data-test="history-failover">
          <td className="mono">{dateTime(f.startedAt)}</td>
          <td data-test="failover-from">{node(f.from)}</td>
          <td data-test="failover-to">{node(f.to)}</td>
          <td data-test="failover-cause" data-cause={f.cause}>
            {causeWords[f.cause]}
          </td>
          <td data-test="failover-duration" title={`from ${dateTime(f.troubleAt)}`}>
            {seconds(f.durationMs)}
          </td>
        </tr>
      )}
    />
  );
}

function useServiceHistory(cluster: string, service: string, changed: string) {
  const [history, setHistory] = useState<ServiceHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    // `changed` (the service's live state) re-reads the history when the service moves.
    void changed;
    fetchServiceHistory(cluster, service).then(
      (loaded) => {
        if (!current) return;
        setHistory(loaded);
        setError(null);
      },
      (failure: Error) => {
        if (current) setError(failure.message);
      },
    );
    return () => {
      current = false;
    };
  }, [cluster, service, changed]);
  return { history, error };
}

/** One service's history: where it ran over time (a chart) and each failover, cause, duration. */
export default function ServiceHistoryPage(props: { params: { name: string; service: string } }) {
  const cluster = decodeURIComponent(props.params.name);
  const service = decodeURIComponent(props.params.service);
  const live = useLive().statuses[cluster]?.status?.services.find((s) => s.id === service);
  const changed = live ? `${live.state}|${live.owner}` : '';
  const { history, error } = useServiceHistory(cluster, service, changed);
  return (
    <>
      <div className="page-head">
        <ClusterSubjectTitle cluster={cluster} subject={service} testId="history-title" />
        <Link
          href={`${timelinePath(cluster)}?service=${encodeURIComponent(service)}`}
          data-test="history-events-link"
        >
          Its events
        </Link>
        {live && <ServiceState state={live.state} />}
      </div>
      <ErrorNotice testId="history-error" message={error} />
      {history === null ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <section aria-labelledby="where-title">
            <h2 id="where-title">Where it ran</h2>
            <HistoryChart history={history} nowMs={Date.now()} />
            <p className="muted" data-test="history-summary">
              {history.failovers.length} failover(s), {history.relocations} relocation(s) asked by
              an administrator.
            </p>
          </section>
          <section aria-labelledby="failovers-title">
            <h2 id="failovers-title">Failovers</h2>
            <FailoversTable cluster={cluster} failovers={history.failovers} />
          </section>
        </>
      )}
    </>
  );
}
