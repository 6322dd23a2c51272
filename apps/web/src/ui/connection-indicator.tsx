import { useLive } from '../live/live-provider.js';

const timeOf = (epochMs: number) => new Date(epochMs).toLocaleTimeString();

/** Live, or stale since when: the page never passes old data off as current. */
export function ConnectionIndicator() {
  const live = useLive();
  const text =
    live.status === 'open'
      ? 'Live'
      : live.staleSince === null
        ? 'Connecting…'
        : `Stale since ${timeOf(live.staleSince)}, reconnecting…`;
  return (
    <span className="live" data-status={live.status} data-test="connection-indicator" role="status">
      {text}
    </span>
  );
}
