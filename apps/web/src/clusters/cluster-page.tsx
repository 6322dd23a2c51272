import type { ActionOutcome, ClusterStatusView } from '@quorate/protocol';
import { useCallback, useState } from 'react';
import { Link } from 'wouter';
import { ClusterMembership } from '../create-cluster/cluster-membership.js';
import { EventsList } from '../events/events-list.js';
import { useLive } from '../live/live-provider.js';
import { MembersTable } from '../nodes/members-table.js';
import { ServicesTable } from '../services/services-table.js';
import { Notice } from '../ui/notice.js';
import { type Outcome, outcomeOf } from './cluster-actions.js';
import { linkWords } from './cluster-card.js';
import { LockControl } from './lock-control.js';
import { QuorumBanner } from './quorum-banner.js';

/** Runs one action at a time per subject, marks it pending, and keeps the last outcome. */
function useActions() {
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = useCallback(async (subject: string, action: () => Promise<ActionOutcome>) => {
    setPending((set) => new Set(set).add(subject));
    const result = await outcomeOf(action, subject);
    setOutcome(result);
    setPending((set) => {
      const next = new Set(set);
      next.delete(subject);
      return next;
    });
  }, []);
  return { pending, outcome, run };
}

function ClusterStatusBody(props: { view: ClusterStatusView }) {
  const { view } = props;
  const { pending, outcome, run } = useActions();
  const status = view.status;
  const canServices = view.myRoles.includes('service-commands');
  if (!status) {
    return (
      <p className="muted" data-test="cluster-no-status">
        No status from the agents yet.
      </p>
    );
  }
  return (
    <>
      <QuorumBanner status={status} />
      {outcome && (
        <Notice tone={outcome.tone} testId="action-outcome">
          <span data-test="action-outcome-text">{outcome.text}</span>
          {outcome.detail && <div data-test="action-outcome-detail">{outcome.detail}</div>}
        </Notice>
      )}
      <section aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <MembersTable
          cluster={view.name}
          members={status.members}
          leader={status.quorum.leader}
          events={view.events}
          canNodeCommands={view.myRoles.includes('node-commands')}
          pending={pending}
          onRun={run}
        />
      </section>
      <section aria-labelledby="services-title">
        <div className="section-head">
          <h2 id="services-title">Services</h2>
          {canServices && (
            <LockControl cluster={view.name} locked={status.resourceManager.locked} onRun={run} />
          )}
        </div>
        <ServicesTable
          cluster={view.name}
          services={status.services}
          members={status.members}
          canAct={canServices}
          pending={pending}
          onRun={run}
        />
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        <EventsList events={view.events} />
      </section>
    </>
  );
}

/** One cluster, clustat made live: quorum, members, services with their actions, events. */
export function ClusterPage(props: { params: { name: string } }) {
  const live = useLive();
  const name = decodeURIComponent(props.params.name);
  const view = live.statuses[name];
  const link = view ? linkWords[view.link.state] : null;
  return (
    <>
      <div className="page-head">
        <h1>
          <Link href="/" data-test="back-to-clusters">
            Clusters
          </Link>{' '}
          /{' '}
          <span className="mono" data-test="cluster-title">
            {name}
          </span>
        </h1>
        <Link href={`/clusters/${encodeURIComponent(name)}/config`} data-test="cluster-config-link">
          Configuration
        </Link>
        <Link
          href={`/clusters/${encodeURIComponent(name)}/what-if`}
          data-test="cluster-what-if-link"
        >
          What if
        </Link>
        <Link href={`/clusters/${encodeURIComponent(name)}/alerts`} data-test="cluster-alerts-link">
          Alerts
        </Link>
        <Link href={`/clusters/${encodeURIComponent(name)}/events`} data-test="cluster-events-link">
          Events
        </Link>
        {link && (
          <span className="state" data-tone={link.tone} data-test="cluster-link-state">
            <span aria-hidden="true">{link.icon}</span> {link.word}
          </span>
        )}
      </div>
      {view ? (
        <>
          <ClusterStatusBody view={view} />
          <ClusterMembership view={view} />
        </>
      ) : live.clusters !== null && !live.clusters.some((c) => c.name === name) ? (
        <Notice tone="bad" testId="cluster-not-found">
          No cluster named <span className="mono">{name}</span> is shared with you.
        </Notice>
      ) : (
        <p className="muted" data-test="cluster-loading">
          Loading…
        </p>
      )}
    </>
  );
}
