import type { ClusterStatus, ServiceStatus } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import { threeNodeStatus } from '../testing/fake-cluster.js';
import { firstWatch, statusEvents, withExpectedLoss } from './status-events.js';

/** The events from one snapshot to the next, with nothing remembered before the first. */
const eventsBetween = (a: ClusterStatus, b: ClusterStatus) => statusEvents(firstWatch(a), b).events;

const healthy = threeNodeStatus();

function withMembers(status: ClusterStatus, online: Record<string, boolean>, totalVotes: number) {
  return {
    ...status,
    members: status.members.map((m) => ({ ...m, online: online[m.name] ?? m.online })),
    quorum: { ...status.quorum, totalVotes, quorate: totalVotes >= status.quorum.quorum },
  };
}

describe('status events', () => {
  it('say nothing when nothing changed', () => {
    expect(eventsBetween(healthy, healthy)).toEqual([]);
  });

  it('report quorum lost without a fence (an inquorate partition fences nobody)', () => {
    const alone = withMembers(healthy, { node2: false, node3: false }, 1);
    expect(eventsBetween(healthy, alone)).toEqual([
      { kind: 'quorum', subject: null, message: 'Cluster is inquorate (1 of 3 votes, quorum 2)' },
      { kind: 'member', subject: 'node2', message: 'node2 is offline' },
      { kind: 'member', subject: 'node3', message: 'node3 is offline' },
    ]);
    expect(eventsBetween(alone, healthy).map((e) => e.message)).toEqual([
      'Cluster is quorate (3 of 3 votes, quorum 2)',
      'node2 joined the cluster',
      'node3 joined the cluster',
    ]);
  });

  it('report a member that restarted between two snapshots', () => {
    const restarted = {
      ...healthy,
      members: healthy.members.map((m) => (m.name === 'node3' ? { ...m, incarnation: 2 } : m)),
    };
    expect(eventsBetween(healthy, restarted).map((e) => e.message)).toEqual([
      'node3 restarted and rejoined the cluster',
    ]);
  });

  it('report a relocation, a freeze and the lock', () => {
    const next: ClusterStatus = {
      ...healthy,
      resourceManager: { ...healthy.resourceManager, locked: true },
      services: healthy.services.map((s) => ({ ...s, owner: 'node1', lastOwner: 'node2' })),
    };
    expect(eventsBetween(healthy, next).map((e) => e.message)).toEqual([
      'service:webservice started on node1 (was on node2)',
      'Resource groups locked',
    ]);
    const frozen = { ...next, services: next.services.map((s) => ({ ...s, frozen: true })) };
    expect(eventsBetween(next, frozen).map((e) => e.message)).toEqual([
      'service:webservice is frozen',
    ]);
  });

  it('count a lost owner fenced once its service has a new owner, however many snapshots later', () => {
    const lost = withMembers(healthy, { node2: false }, 2);
    const service = healthy.services[0]!;
    const withService = (state: ServiceStatus['state'], owner: string | null) => ({
      ...lost,
      services: [{ ...service, state, owner, lastOwner: 'node2' }],
    });
    // As the agents report it: still on node2, then starting with no owner yet, then started.
    let watched = firstWatch(healthy);
    const steps = [lost, withService('starting', null), withService('started', 'node1')];
    const messages = steps.map((step) => {
      const result = statusEvents(watched, step);
      watched = result.watched;
      return result.events.map((e) => `${e.kind}: ${e.message}`);
    });
    expect(messages).toEqual([
      [
        'member: node2 is offline',
        'fence: Fencing node2: its services recover once the fence succeeds',
      ],
      ['service: service:webservice is starting'],
      ['fenced: node2 was fenced', 'service: service:webservice started on node1'],
    ]);
  });

  it('never count a fence for a lost member that comes back', () => {
    const lost = withMembers(healthy, { node2: false }, 2);
    const { watched } = statusEvents(firstWatch(healthy), lost);
    const back = statusEvents(watched, healthy);
    const moved = {
      ...healthy,
      services: healthy.services.map((s) => ({ ...s, owner: 'node3', lastOwner: 'node2' })),
    };
    expect(statusEvents(back.watched, moved).events.map((e) => e.kind)).toEqual(['service']);
  });

  it('announce the fence of a member lost while inquorate once quorum returns', () => {
    const alone = withMembers(healthy, { node2: false, node3: false }, 1);
    const back = withMembers(healthy, { node2: false }, 2);
    const { watched } = statusEvents(firstWatch(healthy), alone);
    expect(statusEvents(watched, back).events.map((e) => e.message)).toEqual([
      'Cluster is quorate (2 of 3 votes, quorum 2)',
      'Fencing node2: its services recover once the fence succeeds',
      'node3 joined the cluster',
    ]);
  });

  it('record a member expected to leave as left, with no fence, then and once quorum returns', () => {
    const leaving = withExpectedLoss(firstWatch(healthy), 'node3', 'leave');
    const gone = withMembers(healthy, { node3: false }, 2);
    const left = statusEvents(leaving, gone);
    expect(left.events).toEqual([
      { kind: 'member', subject: 'node3', message: 'node3 left the cluster' },
    ]);
    // node2 lost too: inquorate; once node2 is back, only node2's absence needed no fence.
    const alone = withMembers(healthy, { node2: false, node3: false }, 1);
    const lonely = statusEvents(left.watched, alone);
    const back = statusEvents(lonely.watched, gone);
    expect(back.events.map((e) => e.message)).toEqual([
      'Cluster is quorate (2 of 3 votes, quorum 2)',
      'node2 joined the cluster',
    ]);
  });

  it('forget an expected leave once the member is offline: its next loss is a loss', () => {
    const leaving = withExpectedLoss(firstWatch(healthy), 'node3', 'leave');
    const gone = withMembers(healthy, { node3: false }, 2);
    const rejoined = statusEvents(statusEvents(leaving, gone).watched, healthy);
    expect(statusEvents(rejoined.watched, gone).events.map((e) => e.message)).toEqual([
      'node3 is offline',
      'Fencing node3: its services recover once the fence succeeds',
    ]);
    const withdrawn = withExpectedLoss(leaving, 'node3', null);
    expect(statusEvents(withdrawn, gone).events.map((e) => e.message)).toEqual([
      'node3 is offline',
      'Fencing node3: its services recover once the fence succeeds',
    ]);
  });

  it('record a member fenced before it showed offline (fence_node) as fenced, with no guess', () => {
    const fenced = withExpectedLoss(firstWatch(healthy), 'node2', 'fence');
    // The leader recovered node2's service before the members saw node2 gone.
    const moved = {
      ...healthy,
      services: healthy.services.map((s) => ({ ...s, owner: 'node1', lastOwner: 'node2' })),
    };
    const recovered = statusEvents(fenced, moved);
    const gone = statusEvents(recovered.watched, withMembers(moved, { node2: false }, 2));
    expect(gone.events).toEqual([
      { kind: 'member', subject: 'node2', message: 'node2 is offline' },
      { kind: 'fenced', subject: 'node2', message: 'node2 was fenced' },
    ]);
    expect([...gone.watched.fenced]).toEqual(['node2']);
  });
});
