import type {
  ServiceFailover,
  ServiceHistory,
  ServiceSpan,
  ServiceStatus,
} from '@quorate/protocol';
import type { RecordedEvent } from './event-history.js';

/** Trouble the console saw while the service ran on `from`: what a failover then resolves. */
interface Trouble {
  readonly from: string;
  readonly at: number;
  readonly cause: ServiceFailover['cause'];
}

const iso = (ms: number) => new Date(ms).toISOString();
const troubled = new Set(['failed', 'recovering']);

/**
 * A service's history from its recorded events (oldest first) and member losses: the spans it
 * spent in each state on each node, and each failover with its cause and duration — from the
 * first sign of trouble (its owner lost, or the service failed) to the status that showed it
 * started on another node. A move without trouble is an administrator's relocation. With no
 * event yet, the current status is the one span, since the agents' last transition time.
 */
export function serviceHistory(
  service: string,
  events: readonly RecordedEvent[],
  current: ServiceStatus | null,
): ServiceHistory {
  const spans: ServiceSpan[] = [];
  const failovers: ServiceFailover[] = [];
  let relocations = 0;
  let running: string | null = null;
  let runningSince = Number.NEGATIVE_INFINITY;
  let trouble: Trouble | null = null;
  /** When each node was last seen lost: the cause when the service then leaves it. */
  const lost = new Map<string, number>();
  for (const event of events) {
    if (event.kind === 'member') {
      if (event.subject !== null) lost.set(event.subject, event.at);
      if (running !== null && event.subject === running) {
        trouble ??= { from: running, at: event.at, cause: 'owner-lost' };
      }
      continue;
    }
    const { state, owner = null } = event.detail;
    if (state === undefined) continue;
    const last = spans.at(-1);
    if (last && last.to === null) spans[spans.length - 1] = { ...last, to: iso(event.at) };
    spans.push({
      state: state as ServiceSpan['state'],
      node: owner,
      from: iso(event.at),
      to: null,
    });
    const wasOn: string | null = running ?? event.detail.previousOwner ?? null;
    // A failed service names the node it failed on; a recovering one the node it left.
    const troubleOn: string | null = wasOn ?? owner;
    if (troubled.has(state) && troubleOn !== null) {
      const lostAt = lost.get(troubleOn);
      trouble ??=
        lostAt !== undefined && lostAt >= runningSince
          ? { from: troubleOn, at: lostAt, cause: 'owner-lost' }
          : { from: troubleOn, at: event.at, cause: 'service-failed' };
    }
    if (state !== 'started' || owner === null) {
      if (state === 'stopped' || state === 'disabled') trouble = null;
      if (state !== 'started') running = null;
      continue;
    }
    if (trouble && trouble.from !== owner) {
      failovers.push({
        from: trouble.from,
        to: owner,
        cause: trouble.cause,
        troubleAt: iso(trouble.at),
        startedAt: iso(event.at),
        durationMs: Math.max(0, event.at - trouble.at),
      });
    } else if (!trouble && wasOn !== null && wasOn !== owner) {
      relocations++;
    }
    trouble = null;
    if (running !== owner) runningSince = event.at;
    running = owner;
  }
  if (spans.length === 0 && current) {
    spans.push({
      state: current.state,
      node: current.owner,
      from: iso(current.lastTransitionMs),
      to: null,
    });
  }
  return { service, spans, failovers, relocations };
}
