import type { ClusterEvent, ClusterStatus } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import { firstWatch, statusEvents, type WatchedStatus } from '../live/status-events.js';
import { threeNodeStatus } from '../testing/fake-cluster.js';
import { AlertDetector } from './alert-detector.js';

/**
 * Feeds the detector as the console does: each status through `statusEvents` (the one place
 * that infers what happened), then the recorded events with the status they came from.
 */
function feeder(detector: AlertDetector) {
  let watched: WatchedStatus = firstWatch(threeNodeStatus());
  let id = 0;
  return (status: ClusterStatus, atMs: number) => {
    const { events, watched: next } = statusEvents(watched, status);
    watched = next;
    const recorded: ClusterEvent[] = events.map((e) => ({
      id: ++id,
      at: new Date(atMs).toISOString(),
      ...e,
    }));
    return detector.observe('webcluster', recorded, status);
  };
}

const t0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const withService = (status: ClusterStatus, change: object): ClusterStatus => ({
  ...status,
  services: status.services.map((s) => ({ ...s, ...change })),
});
const withMember = (status: ClusterStatus, name: string, online: boolean): ClusterStatus => ({
  ...status,
  members: status.members.map((m) => (m.name === name ? { ...m, online } : m)),
});

describe('AlertDetector', () => {
  it('a service that failed on its node and started on another: service-failed, then failover', () => {
    const detector = new AlertDetector(60_000);
    const feed = feeder(detector);
    const healthy = threeNodeStatus();
    expect(feed(healthy, t0)).toEqual([]);
    const failed = feed(withService(healthy, { state: 'failed' }), t0 + 100);
    expect(failed.map((a) => [a.kind, a.summary])).toEqual([
      ['service-failed', 'service:webservice failed on node2 (clusvcadm -d, then -e, restarts it)'],
    ]);
    const moved = feed(withService(healthy, { owner: 'node1', lastOwner: 'node2' }), t0 + 900);
    expect(moved[0]?.details).toEqual({
      kind: 'failover',
      service: 'service:webservice',
      from: 'node2',
      to: 'node1',
      cause: 'service-failed',
      troubleAt: new Date(t0 + 100).toISOString(),
      durationMs: 800,
    });
  });

  it('a restart in place is no failover', () => {
    const detector = new AlertDetector(60_000);
    const feed = feeder(detector);
    const healthy = threeNodeStatus();
    feed(healthy, t0);
    feed(withService(healthy, { state: 'recovering' }), t0 + 100);
    expect(feed(healthy, t0 + 200)).toEqual([]);
  });

  it('a lost owner whose fence is not seen within the bound alerts once as unconfirmed', () => {
    const detector = new AlertDetector(60_000);
    const feed = feeder(detector);
    const healthy = threeNodeStatus();
    feed(healthy, t0);
    // The real cluster keeps the owner until the fence succeeds.
    feed(withMember(healthy, 'node2', false), t0);
    expect(detector.overdue(t0 + 59_999)).toEqual([]);
    const [overdue] = detector.overdue(t0 + 60_000);
    expect(overdue?.alert).toMatchObject({
      kind: 'fence',
      severity: 'critical',
      summary: 'Fencing node2 is not confirmed after 60.0 s: service:webservice still waits for it',
      details: { result: 'unconfirmed', durationMs: 60_000 },
    });
    expect(detector.overdue(t0 + 120_000)).toEqual([]);
  });

  it('a lost node that ran nothing raises no fence alert (nothing waits for it)', () => {
    const detector = new AlertDetector(60_000);
    const feed = feeder(detector);
    const healthy = threeNodeStatus();
    feed(healthy, t0);
    expect(feed(withMember(healthy, 'node3', false), t0)).toEqual([]);
    expect(detector.overdue(t0 + 120_000)).toEqual([]);
  });
});
