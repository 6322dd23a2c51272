import type { ClusterStatus, MemberStatus, ServiceStatus } from '@quorate/protocol';
import type { WallClock } from '../src/command-io.js';

// Plain cluster states for the formatter tests: the seed walkthrough's three nodes.

/** Thu Dec 10 17:58:33 2015 UTC, the time of the seed's first clustat. */
export const seedNowMs = Date.UTC(2015, 11, 10, 17, 58, 33);
export const utcClock: WallClock = { nowMs: () => seedNowMs, utcOffsetMinutes: () => 0 };

export function member(nodeId: number, overrides: Partial<MemberStatus> = {}): MemberStatus {
  return {
    name: `node${nodeId}.magedu.com`,
    nodeId,
    votes: 1,
    online: true,
    local: false,
    estranged: false,
    rgmanager: true,
    incarnation: 1,
    joinedMs: seedNowMs - 60_000 * nodeId,
    addresses: [`192.168.41.${130 + nodeId}`],
    ...overrides,
  };
}

export function service(name: string, overrides: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    id: `service:${name}`,
    state: 'started',
    owner: 'node3.magedu.com',
    lastOwner: null,
    frozen: false,
    partial: false,
    restarts: 0,
    lastTransitionMs: seedNowMs - 5_000,
    ...overrides,
  };
}

/** node2's view of the seed cluster: three members, quorate, rgmanager everywhere. */
export function seedStatus(overrides: Partial<ClusterStatus> = {}): ClusterStatus {
  return {
    cluster: {
      name: 'tcluster',
      id: 22265,
      generation: 3,
      configVersion: 5,
      agentVersion: '6.2.0',
      twoNode: false,
    },
    quorum: {
      quorate: true,
      totalVotes: 3,
      expectedVotes: 3,
      quorum: 2,
      leader: 'node1.magedu.com',
    },
    local: {
      name: 'node2.magedu.com',
      nodeId: 2,
      votes: 1,
      membership: 'member',
      addresses: ['192.168.41.132'],
    },
    members: [member(3), member(1), member(2, { local: true })],
    resourceManager: { running: true, locked: false },
    services: [service('webservice')],
    ...overrides,
  };
}
