import { serviceIdSchema } from '@quorate/protocol';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useLive } from '../live/live-provider.js';
import { ErrorNotice } from '../ui/notice.js';
import { noFilter, type TimelineFilter } from './timeline-filter.js';
import { TimelineFilters } from './timeline-filters.js';
import { TimelineRow } from './timeline-row.js';
import { useTimeline } from './use-timeline.js';
import { VirtualList } from './virtual-list.js';
import './timeline.css';

const rowHeightPx = 34;
const listHeightPx = 560;

/** The filter a link asked for (`?node=node2`, `?service=…`), else none. */
function initialFilter(): TimelineFilter {
  const params = new URLSearchParams(window.location.search);
  return { ...noFilter, node: params.get('node') ?? '', service: params.get('service') ?? '' };
}

/** The same array for the same names, so a push that renames nothing re-renders nothing. */
function useNames(names: readonly string[] | undefined): readonly string[] {
  const key = names?.join('\n') ?? '';
  return useMemo(() => (key === '' ? [] : key.split('\n')), [key]);
}

/**
 * A cluster's events timeline: membership, quorum, fencing and service transitions with their
 * times, filters, and links to each service's history and each node's logs. The newest page
 * follows the live stream; the list renders only the rows in view.
 */
export default function TimelinePage(props: { params: { name: string } }) {
  const name = decodeURIComponent(props.params.name);
  const live = useLive();
  const view = live.statuses[name];
  const [filter, setFilter] = useState(initialFilter);
  // A service filter is sent once it reads as a service id: typing "serv…" asks nothing.
  const service = serviceIdSchema.safeParse(filter.service).success ? filter.service : '';
  const timeline = useTimeline(name, { ...filter, service }, view?.events[0]?.id ?? null);
  const nodes = useNames(view?.status?.members.map((m) => m.name));
  const services = useNames(view?.status?.services.map((s) => s.id));
  return (
    <>
      <div className="page-head">
        <h1>
          <Link href={`/clusters/${encodeURIComponent(name)}`} data-test="timeline-back">
            <span className="mono">{name}</span>
          </Link>{' '}
          / Events
        </h1>
      </div>
      <TimelineFilters filter={filter} nodes={nodes} services={services} onChange={setFilter} />
      <ErrorNotice testId="timeline-error" message={timeline.error} />
      <p className="muted" data-test="timeline-count">
        {timeline.loading
          ? 'Loading…'
          : `${timeline.events.length}${timeline.nextBefore !== null ? '+' : ''} event(s), newest first`}
      </p>
      {!timeline.loading && timeline.events.length === 0 ? (
        <p className="empty" data-test="timeline-empty">
          No event matches — clear a filter, or widen the time range.
        </p>
      ) : (
        <VirtualList
          items={timeline.events}
          rowHeightPx={rowHeightPx}
          heightPx={listHeightPx}
          keyOf={(event) => event.id}
          renderRow={(event) => <TimelineRow cluster={name} event={event} />}
          label="Events, newest first"
          testId="timeline-list"
        />
      )}
      {timeline.nextBefore !== null && (
        <button type="button" onClick={timeline.loadOlder} data-test="timeline-older">
          Older events
        </button>
      )}
    </>
  );
}
