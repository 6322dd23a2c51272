import type { ClusterEvent } from '@quorate/protocol';

const kindTone: Record<ClusterEvent['kind'], string> = {
  quorum: 'warn',
  member: 'idle',
  fence: 'bad',
  fenced: 'warn',
  service: 'ok',
  lock: 'idle',
  link: 'warn',
};

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString();

/** The latest events, newest first, as they arrive. */
export function EventsList(props: { events: readonly ClusterEvent[] }) {
  if (props.events.length === 0) {
    return (
      <p className="muted" data-test="events-empty">
        Nothing has happened since the console started watching this cluster.
      </p>
    );
  }
  return (
    <ol className="events" data-test="events-list">
      {props.events.map((event) => (
        <li key={event.id} data-test="event" data-kind={event.kind}>
          <time dateTime={event.at} className="mono muted">
            {timeOf(event.at)}
          </time>{' '}
          <span className="state" data-tone={kindTone[event.kind]}>
            {event.kind}
          </span>{' '}
          <span data-test="event-message">{event.message}</span>
        </li>
      ))}
    </ol>
  );
}
