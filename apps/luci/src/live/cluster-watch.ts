import type { ClusterEvent } from '@quorate/protocol';
import type { ClusterLinkChange } from '../cluster-link/cluster-link.js';
import { fenceAttemptEvents } from '../cluster-link/fence-events.js';
import type { ConsoleStore } from '../store/index.js';
import { eventDetail } from './event-detail.js';
import { firstWatch, type StatusEvent, statusEvents, type WatchedStatus } from './status-events.js';

/**
 * Turns each cluster's stream of link changes into its event history: it remembers the last
 * status of every cluster and records, in the store, what the next one changed.
 */
export class ClusterWatch {
  private readonly watched = new Map<string, WatchedStatus>();
  private readonly lostLink = new Set<string>();

  constructor(
    private readonly store: ConsoleStore,
    private readonly now: () => number,
  ) {}

  /** Records the events `change` implies for `cluster`; returns them, oldest first. */
  observe(cluster: string, change: ClusterLinkChange): ClusterEvent[] {
    const row = this.store.clusters.byName(cluster);
    if (!row) return [];
    const before = this.watched.get(cluster)?.status ?? null;
    const after = change.kind === 'snapshot' ? change.snapshot.status : null;
    const events = this.eventsOf(cluster, change);
    return events.map((event) => {
      const detail = eventDetail(event, before, after);
      const at = this.now();
      return this.store.events.append({
        clusterId: row.id,
        at,
        ...event,
        ...(detail && { detail }),
      });
    });
  }

  /** Forgets the clusters not in `names` (removed ones): one added again starts afresh. */
  keepOnly(names: readonly string[]): void {
    const kept = new Set(names);
    for (const name of this.watched.keys()) if (!kept.has(name)) this.watched.delete(name);
    for (const name of this.lostLink) if (!kept.has(name)) this.lostLink.delete(name);
  }

  private eventsOf(cluster: string, change: ClusterLinkChange): StatusEvent[] {
    if (change.kind === 'event') return fenceAttemptEvents(change.event, change.fenceLevel);
    if (change.kind === 'snapshot') {
      const previous = this.watched.get(cluster);
      const status = change.snapshot.status;
      if (!previous) {
        this.watched.set(cluster, firstWatch(status));
        return [];
      }
      const { events, watched } = statusEvents(previous, status);
      this.watched.set(cluster, watched);
      return events;
    }
    if (change.state === 'lost' && !this.lostLink.has(cluster)) {
      this.lostLink.add(cluster);
      return [
        {
          kind: 'link',
          subject: null,
          message: "The console lost its link to the cluster's agents",
        },
      ];
    }
    if (change.state === 'connected' && this.lostLink.delete(cluster)) {
      return [
        { kind: 'link', subject: null, message: "The console reached the cluster's agents again" },
      ];
    }
    return [];
  }
}
