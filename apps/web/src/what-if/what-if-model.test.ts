import type { ClusterStatus, MemberStatus, ServiceStatus } from '@quorate/protocol';
import { describe, expect, it } from 'vitest';
import { predict, rmConfigOf } from './what-if-model.js';

const conf = `<cluster name="webcluster" config_version="3">
  <clusternodes>
    <clusternode name="node1" nodeid="1"/>
    <clusternode name="node2" nodeid="2"/>
    <clusternode name="node3" nodeid="3"/>
  </clusternodes>
  <rm>
    <failoverdomains>
      <failoverdomain name="web" ordered="1" restricted="1">
        <failoverdomainnode name="node2" priority="1"/>
        <failoverdomainnode name="node3" priority="2"/>
      </failoverdomain>
    </failoverdomains>
    <service name="webservice" domain="web"/>
    <service name="db"/>
  </rm>
</cluster>`;

const member = (name: string, nodeId: number): MemberStatus => ({
  name,
  nodeId,
  votes: 1,
  online: true,
  local: nodeId === 1,
  estranged: false,
  rgmanager: true,
  incarnation: 1,
  joinedMs: 1,
  addresses: [`192.0.2.${nodeId}`],
});

const service = (id: string, owner: string): ServiceStatus => ({
  id,
  state: 'started',
  owner,
  lastOwner: null,
  frozen: false,
  partial: false,
  restarts: 0,
  lastTransitionMs: 1,
});

/** The status the agents would report: webservice on node2, db on node1. */
const status: ClusterStatus = {
  cluster: {
    name: 'webcluster',
    id: 1,
    generation: 1,
    configVersion: 3,
    agentVersion: '1.0.0',
    twoNode: false,
  },
  quorum: { quorate: true, totalVotes: 3, expectedVotes: 3, quorum: 2, leader: 'node1' },
  local: { name: 'node1', nodeId: 1, votes: 1, membership: 'member', addresses: [] },
  members: [member('node1', 1), member('node2', 2), member('node3', 3)],
  resourceManager: { running: true, locked: false },
  services: [service('service:webservice', 'node2'), service('service:db', 'node1')],
};

const config = rmConfigOf(conf);
const none = { failNodes: [], moves: [] };

describe('the what-if prediction from the live status', () => {
  it('changes nothing when nothing happens', () => {
    const { rows } = predict(config, status, none);
    expect(rows.map((r) => [r.service, r.before, r.after, r.moved])).toEqual([
      ['service:webservice', 'started on node2', 'started on node2', false],
      ['service:db', 'started on node1', 'started on node1', false],
    ]);
  });

  it('sends webservice to the next node of its domain when its owner fails', () => {
    const { rows } = predict(config, status, { failNodes: ['node2'], moves: [] });
    const web = rows.find((r) => r.service === 'service:webservice');
    expect(web).toMatchObject({ after: 'started on node3', moved: true, leftStopped: false });
    expect(web?.reason).toContain('node2');
  });

  it('leaves a service stopped when its restricted domain has no node left, and says so', () => {
    const { rows } = predict(config, status, { failNodes: ['node2', 'node3'], moves: [] });
    const web = rows.find((r) => r.service === 'service:webservice');
    expect(web).toMatchObject({ leftStopped: true, reason: 'restricted domain unavailable' });
  });

  it('plays a move forward and reports a move to an unknown node as refused', () => {
    const { result, rows } = predict(config, status, {
      failNodes: [],
      moves: [
        { service: 'service:webservice', target: 'node9' },
        { service: 'service:db', target: 'node3' },
      ],
    });
    expect(result.refusedMoves.map((m) => m.target)).toEqual(['node9']);
    expect(rows.find((r) => r.service === 'service:db')?.after).toBe('started on node3');
  });
});
