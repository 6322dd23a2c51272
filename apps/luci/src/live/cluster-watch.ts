import type { ClusterEvent, ConsoleEvent } from '@quorate/protocol';
import type { ClusterLinkChange } from '../cluster-link/cluster-link.js';
import { fenceAttemptEvents } from '../cluster-link/fence-events.js';
import type { ConsoleStore } from '../store/index.js';
import { eventDetail } from './event-detail.js';
import {
  firstWatch,
  type LossCause,
  type StatusEvent,
  statusEvents,
  type WatchedStatus,
  withExpectedLoss,
} from './status-events.js';

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

  /**
   * The console asked `node` to leave (`leaving` true), or that request failed (false): the
   * snapshot that shows it gone records that it left, not that it is lost and being fenced. The
   * agent the link follows may be that node itself, whose peers' word of the leave never
   * reaches the console.
   */
  expectLeave(cluster: string, node: string, leaving: boolean): void {
    if (leaving) this.expectLoss(cluster, node, 'leave');
    else if (this.watched.get(cluster)?.expectedLoss.get(node) === 'leave') {
      this.expectLoss(cluster, node, null);
    }
  }

  /**
   * An agent's events come before its next status: a member it reports gone left cleanly or
   * was lost; one the leader fenced before any agent reported it lost was fenced (fence_node).
   * A fence after the loss is the usual recovery, which the snapshots tell.
   */
  private learnCause(cluster: string, event: ConsoleEvent): void {
    const causeOf = (node: string) => this.watched.get(cluster)?.expectedLoss.get(node);
    if (event.kind === 'membership') {
      // Back before any status showed it gone: what was learnt of its going is over.
      for (const node of event.joined) this.expectLoss(cluster, node, null);
      for (const node of event.lost) {
        const cause = event.left.includes(node) ? 'leave' : 'lost';
        if (causeOf(node) !== 'fence') this.expectLoss(cluster, node, cause);
      }
    }
    if (
      event.kind === 'fence' &&
      event.outcome === 'succeeded' &&
      causeOf(event.victim) !== 'lost'
    ) {
      this.expectLoss(cluster, event.victim, 'fence');
    }
  }

  /** Only while `node` still shows online: a cause learnt after the loss explains nothing. */
  private expectLoss(cluster: string, node: string, cause: LossCause | null): void {
    const watched = this.watched.get(cluster);
    const online = watched?.status.members.some((m) => m.name === node && m.online);
    if (watched && (online || cause === null)) {
      this.watched.set(cluster, withExpectedLoss(watched, node, cause));
    }
  }

  /** Forgets the clusters not in `names` (removed ones): one added again starts afresh. */
  keepOnly(names: readonly string[]): void {
    const kept = new Set(names);
    for (const name of this.watched.keys()) if (!kept.has(name)) this.watched.delete(name);
    for (const name of this.lostLink) if (!kept.has(name)) this.lostLink.delete(name);
  }

  private eventsOf(cluster: string, change: ClusterLinkChange): StatusEvent[] {
    if (change.kind === 'event') {
      this.learnCause(cluster, change.event);
      return fenceAttemptEvents(change.event, change.fenceLevel);
    }
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
