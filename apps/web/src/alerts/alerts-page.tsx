import type { AlertDelivery, AlertTarget } from '@quorate/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useLive } from '../live/live-provider.js';
import { ClusterPageTitle } from '../ui/cluster-title.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable, EmptyState } from '../ui/data-table.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { deleteTarget, listDeliveries, listTargets, sendTestAlert } from './alerts-api.js';
import { kindWords, TargetForm } from './target-form.js';
import './alerts.css';

const destination = (t: AlertTarget) =>
  t.kind === 'webhook' ? t.url : `${t.to.join(', ')} via ${t.host}:${t.port}`;

const stateTone: Record<AlertDelivery['state'], string> = {
  sending: 'busy',
  delivered: 'ok',
  failed: 'bad',
};
const stateIcon: Record<AlertDelivery['state'], string> = {
  sending: '◐',
  delivered: '●',
  failed: '✕',
};

function TargetsTable(props: {
  targets: readonly AlertTarget[];
  canEdit: boolean;
  onTest: (t: AlertTarget) => void;
  onDelete: (t: AlertTarget) => void;
  busy: number | null;
}) {
  const headers = ['Name', 'Kind', 'Destination', 'Alerts on', 'Secret'];
  return (
    <DataTable
      testId="targets-table"
      headers={props.canEdit ? [...headers, 'Actions'] : headers}
      rows={props.targets}
      empty={
        <EmptyState testId="targets-empty">
          No alert targets yet — add a webhook or an email address, so that someone hears of a
          failover.
        </EmptyState>
      }
      renderRow={(t) => (
        <tr key={t.id} data-test="target-row">
          <td data-test="target-row-name">{t.name}</td>
          <td>{t.kind}</td>
          <td className="mono alert-destination">{destination(t)}</td>
          <td>{t.events.map((k) => kindWords[k]).join(', ')}</td>
          <td>{t.hasSecret ? 'stored' : 'none'}</td>
          {props.canEdit && (
            <td className="row-actions">
              <button
                type="button"
                data-test="target-test"
                disabled={props.busy === t.id}
                onClick={() => props.onTest(t)}
              >
                Send test alert
              </button>
              <button
                type="button"
                className="danger"
                data-test="target-delete"
                onClick={() => props.onDelete(t)}
              >
                Delete
              </button>
            </td>
          )}
        </tr>
      )}
    />
  );
}

function DeliveryLog(props: { deliveries: readonly AlertDelivery[] }) {
  return (
    <DataTable
      testId="deliveries-table"
      headers={['Time', 'Target', 'Event', 'Result', 'Attempts', 'Answer']}
      rows={props.deliveries}
      empty={
        <EmptyState testId="deliveries-empty" muted>
          Nothing sent yet. Alerts appear here as they are delivered, with each attempt's answer.
        </EmptyState>
      }
      renderRow={(d) => (
        <tr key={d.id} data-test="delivery-row" data-state={d.state}>
          <td className="mono">
            <time dateTime={d.createdAt}>{new Date(d.createdAt).toLocaleTimeString()}</time>
          </td>
          <td data-test="delivery-target">{d.targetName}</td>
          <td data-test="delivery-kind" title={d.summary}>
            {kindWords[d.kind]}
            <div className="muted alert-summary">{d.summary}</div>
          </td>
          <td>
            <span className="state" data-tone={stateTone[d.state]} data-test="delivery-state">
              <span aria-hidden="true">{stateIcon[d.state]}</span> {d.state}
            </span>
          </td>
          <td data-test="delivery-attempts">{d.attempts}</td>
          <td className="mono" data-test="delivery-answer">
            {d.lastStatus ?? ''} {d.lastError ?? ''}
          </td>
        </tr>
      )}
    />
  );
}

const sendingRecheckMs = 1000;

/** Targets and deliveries, read again after each change and whenever the cluster's events move. */
function useAlerts(cluster: string, lastEventId: number | undefined) {
  const [targets, setTargets] = useState<AlertTarget[] | null>(null);
  const [deliveries, setDeliveries] = useState<AlertDelivery[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      const [t, d] = await Promise.all([listTargets(cluster), listDeliveries(cluster)]);
      setTargets(t.targets);
      setDeliveries(d.deliveries);
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }, [cluster]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new event may have sent alerts.
  useEffect(() => {
    void reload();
  }, [reload, lastEventId]);
  // A delivery in flight ends in a moment or waits for a retry: read the log again until none
  // is left (the live socket carries cluster status, not deliveries).
  const sending = deliveries.some((d) => d.state === 'sending');
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new log re-arms the next read.
  useEffect(() => {
    if (!sending) return;
    const timer = setTimeout(() => void reload(), sendingRecheckMs);
    return () => clearTimeout(timer);
  }, [sending, deliveries, reload]);
  return { targets, deliveries, error, reload };
}

/** A cluster's alerts: where they go (webhooks, email), a test button, and the delivery log. */
export default function AlertsPage(props: { params: { name: string } }) {
  const cluster = decodeURIComponent(props.params.name);
  const view = useLive().statuses[cluster];
  const canEdit = view?.myRoles.includes('config') ?? false;
  const alerts = useAlerts(cluster, view?.events[0]?.id);
  const [busy, setBusy] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [deleting, setDeleting] = useState<AlertTarget | null>(null);
  const test = async (target: AlertTarget) => {
    setBusy(target.id);
    try {
      const { delivery } = await sendTestAlert(cluster, target.id);
      const answer = delivery.lastError ?? `answered ${delivery.lastStatus ?? 'with no status'}`;
      const text = `Test alert to ${target.name}: ${delivery.state} (${answer})`;
      setOutcome({ tone: delivery.state === 'failed' ? 'bad' : 'ok', text });
    } catch (failure) {
      setOutcome({
        tone: 'bad',
        text: failure instanceof Error ? failure.message : String(failure),
      });
    } finally {
      setBusy(null);
      await alerts.reload();
    }
  };
  return (
    <>
      <div className="page-head">
        <ClusterPageTitle cluster={cluster} page="Alerts" />
      </div>
      <p className="explain">
        The console alerts on a failover, a fence, quorum lost or regained and a failed service, as
        it sees them in the agents' status. Each alert is retried a few times with growing waits.
      </p>
      <ErrorNotice testId="alerts-error" message={alerts.error} />
      {outcome && (
        <Notice tone={outcome.tone} testId="alert-test-outcome">
          {outcome.text}
        </Notice>
      )}
      <section aria-labelledby="targets-title">
        <h2 id="targets-title">Targets</h2>
        {alerts.targets && (
          <TargetsTable
            targets={alerts.targets}
            canEdit={canEdit}
            busy={busy}
            onTest={(t) => void test(t)}
            onDelete={setDeleting}
          />
        )}
        {canEdit && (
          <details className="alert-add" data-test="target-add">
            <summary>Add a target</summary>
            <TargetForm cluster={cluster} onAdded={() => void alerts.reload()} />
          </details>
        )}
      </section>
      <section aria-labelledby="deliveries-title">
        <div className="section-head">
          <h2 id="deliveries-title">Delivery log</h2>
          <button type="button" data-test="deliveries-refresh" onClick={() => void alerts.reload()}>
            Refresh
          </button>
        </div>
        <DeliveryLog deliveries={alerts.deliveries} />
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete alert target"
        confirmLabel="Delete"
        testId="target-delete-dialog"
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          if (deleting) await deleteTarget(cluster, deleting.id);
          await alerts.reload();
        }}
      >
        <p>
          Delete the alert target <strong>{deleting?.name}</strong>? Its deliveries stay in the log.
        </p>
      </ConfirmDialog>
    </>
  );
}
