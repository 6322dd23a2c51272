import type { ClusterEvent, TimelineEvent } from '@quorate/protocol';
import { memo } from 'react';
import { Link } from 'wouter';
import { serviceStateLooks } from '../services/service-state.js';
import { nodeLogsPath, serviceHistoryPath } from './timeline-api.js';

/** Each kind's tone, icon and word: colour never alone (UI.md). */
const kindLook: Record<ClusterEvent['kind'], { tone: string; icon: string; word: string }> = {
  quorum: { tone: 'warn', icon: '◆', word: 'quorum' },
  member: { tone: 'idle', icon: '●', word: 'member' },
  fence: { tone: 'bad', icon: '⚡', word: 'fencing' },
  fenced: { tone: 'warn', icon: '✓', word: 'fenced' },
  service: { tone: 'ok', icon: '▶', word: 'service' },
  lock: { tone: 'idle', icon: '■', word: 'lock' },
  link: { tone: 'warn', icon: '⇄', word: 'link' },
};

const dateTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** One event on one line: when, what kind, the message, and links to its service and node. */
export const TimelineRow = memo(function TimelineRow(props: {
  cluster: string;
  event: TimelineEvent;
}) {
  const { event, cluster } = props;
  const kind = kindLook[event.kind];
  // A service event takes its new state's colour and icon: a failure is never green.
  const look = event.state ? { ...kind, ...serviceStateLooks[event.state] } : kind;
  const service = event.kind === 'service' ? event.subject : null;
  return (
    <div className="timeline-row" data-test="timeline-event" data-kind={event.kind}>
      <time dateTime={event.at} className="mono muted timeline-time">
        {dateTime.format(new Date(event.at))}
      </time>
      <span className="state timeline-kind" data-tone={look.tone}>
        <span aria-hidden="true">{look.icon}</span> {look.word}
      </span>
      <span className="timeline-message" data-test="timeline-message" title={event.message}>
        {event.message}
      </span>
      <span className="timeline-links">
        {service !== null && (
          <Link href={serviceHistoryPath(cluster, service)} data-test="timeline-service-link">
            history
          </Link>
        )}
        {event.node !== null && (
          <Link href={nodeLogsPath(cluster, event.node)} data-test="timeline-node-link">
            <span className="mono">{event.node}</span>
          </Link>
        )}
      </span>
    </div>
  );
});
