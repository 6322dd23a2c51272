import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStatus, ConsoleEvent, ControlResult } from '@quorate/protocol';
import {
  ConsoleApi,
  type ControlProvider,
  createClusterCa,
  createNodeCert,
  LogRing,
  PeerTransport,
  setAgentPassword,
} from '@quorate/ricci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentClientIdentity } from '../config/tls-material.js';
import { AgentClusterLinks } from './agent-cluster-links.js';
import type { ClusterLink, ClusterLinkChange } from './cluster-link.js';
import {
  type FenceLevel,
  fenceAttemptEvents,
  fenceAttemptMessage,
  fenceConfigOf,
  fenceLevelOf,
} from './fence-events.js';

// Loopback only (127.0.0.1), never a test-host address.
const HOST = '127.0.0.1';
const PASSWORD = 'agent password for tests';

/** node3 has two fence levels: a device that fails first, a working one second. */
const conf = `<?xml version="1.0"?>
<cluster name="fencetest" config_version="4">
  <clusternodes>
    <clusternode name="node1" nodeid="1"/>
    <clusternode name="node2" nodeid="2"/>
    <clusternode name="node3" nodeid="3">
      <fence>
        <method name="first"><device name="broken" port="3"/></method>
        <method name="second"><device name="th" port="node3"/><device name="pdu2"/></method>
      </fence>
    </clusternode>
  </clusternodes>
  <fencedevices>
    <fencedevice name="broken" agent="fence_false"/>
    <fencedevice name="th" agent="fence_testhost"/>
    <fencedevice name="pdu2" agent="fence_apc"/>
  </fencedevices>
</cluster>
`;

const fenceEvent = (
  method: string,
  outcome: Extract<ConsoleEvent, { kind: 'fence' }>['outcome'],
): Extract<ConsoleEvent, { kind: 'fence' }> => ({
  kind: 'fence',
  node: 'node2',
  atMs: 1,
  victim: 'node3',
  method,
  outcome,
});

describe('fence attempts in words', () => {
  const config = fenceConfigOf(4, conf);
  const first: FenceLevel = { level: 1, method: 'first', devices: ['broken'] };
  const second: FenceLevel = { level: 2, method: 'second', devices: ['th', 'pdu2'] };

  it('places a method among the victim’s levels, in document order, with its devices', () => {
    expect(fenceLevelOf(config, 'node3', 'first')).toEqual(first);
    expect(fenceLevelOf(config, 'node3', 'second')).toEqual(second);
    expect(fenceLevelOf(config, 'node3', 'third')).toBeNull();
    expect(fenceLevelOf(config, 'node1', 'first')).toBeNull();
    expect(fenceLevelOf(null, 'node3', 'first')).toBeNull();
  });

  it('words each outcome with level, devices and outcome; a start is not recorded', () => {
    expect(fenceAttemptMessage(fenceEvent('first', 'failed'), first)).toBe(
      'node3: fence level 1 (method first, device broken) failed',
    );
    expect(fenceAttemptMessage(fenceEvent('second', 'succeeded'), second)).toBe(
      'node3: fence level 2 (method second, devices th, pdu2) succeeded',
    );
    expect(fenceAttemptMessage(fenceEvent('manual', 'waiting-ack'), null)).toBe(
      'node3: fence method manual waits for an operator: run fence_ack_manual node3 once it is off',
    );
    expect(fenceAttemptMessage(fenceEvent('first', 'started'), first)).toBeNull();
    expect(fenceAttemptEvents(fenceEvent('first', 'failed'), first)).toEqual([
      {
        kind: 'fence',
        subject: 'node3',
        message: 'node3: fence level 1 (method first, device broken) failed',
      },
    ]);
    const quorum: ConsoleEvent = {
      kind: 'quorum',
      node: 'node1',
      atMs: 1,
      quorate: true,
      votes: 3,
      expectedVotes: 3,
      quorum: 2,
    };
    expect(fenceAttemptEvents(quorum, null)).toEqual([]);
  });
});

/** What an agent's control socket serves, fixed: node2 leads, config_version 4. */
class FixedProvider implements ControlProvider {
  constructor(private readonly node: string) {}
  status(): ClusterStatus {
    const member = (name: string, nodeId: number) => ({
      name,
      nodeId,
      votes: 1,
      online: true,
      local: name === this.node,
      estranged: false,
      rgmanager: true,
      incarnation: 1,
      joinedMs: 1,
      addresses: [HOST],
    });
    return {
      cluster: {
        name: 'fencetest',
        id: 1,
        generation: 1,
        configVersion: 4,
        agentVersion: '0.1.0',
        twoNode: false,
      },
      quorum: { quorate: true, totalVotes: 3, expectedVotes: 3, quorum: 2, leader: 'node2' },
      local: {
        name: this.node,
        nodeId: this.node === 'node1' ? 1 : 2,
        votes: 1,
        membership: 'member',
        addresses: [],
      },
      members: [member('node1', 1), member('node2', 2)],
      resourceManager: { running: true, locked: false },
      services: [],
    };
  }
  clusterConf() {
    return { version: 4, text: conf };
  }
  async request(): Promise<ControlResult> {
    return { type: 'fence-ack', ok: false, message: 'not in this test' };
  }
}

interface FakeAgent {
  readonly api: ConsoleApi;
  port: number;
  close(): Promise<void>;
}

const dirs: string[] = [];
const agents = new Map<string, FakeAgent>();
const logged: { message: string; fields: Record<string, unknown> }[] = [];
let wakeLogWaiters: () => void = () => {};

async function startAgent(name: string): Promise<FakeAgent> {
  const stateDir = mkdtempSync(join(tmpdir(), `luci-fence-${name}-`));
  dirs.push(stateDir);
  await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
  const ca = await createClusterCa({ clusterName: 'fencetest' });
  const pair = await createNodeCert({ nodeName: name, ca });
  const agent = { port: 0 } as FakeAgent;
  const api = new ConsoleApi({
    nodeName: name,
    agentVersion: '0.1.0',
    stateDir,
    provider: new FixedProvider(name),
    nodes: () =>
      ['node1', 'node2'].map((node) => ({
        name: node,
        address: HOST,
        port: agents.get(node)!.port,
      })),
    agentCertPem: pair.certPem,
    discoverAgents: async () => ({ resourceAgents: [], failures: [] }),
    hostname: name,
    logs: new LogRing(),
    log: () => {},
    tickMs: 20,
  });
  const transport = new PeerTransport({
    self: name,
    listenHost: HOST,
    listenPort: 0,
    tls: { caPem: ca.certPem, certPem: pair.certPem, keyPem: pair.keyPem },
    peers: [],
    isMember: () => false,
    onMessage: () => {},
    log: () => {},
    console: api,
  });
  agent.port = await transport.start();
  Object.assign(agent, {
    api,
    close: async () => {
      api.close();
      await transport.close();
    },
  });
  agents.set(name, agent);
  return agent;
}

/** Resolves once the link logged `message` (no sleeps: each log line wakes the wait). */
function loggedLine(message: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const check = () => {
      const line = logged.find((entry) => entry.message === message);
      if (line) resolve(line.fields);
      else wakeLogWaiters = check;
    };
    check();
  });
}

/** Resolves with the link's first `count` event changes. */
function eventChanges(link: ClusterLink, count: number) {
  const seen: Extract<ClusterLinkChange, { kind: 'event' }>[] = [];
  return new Promise<typeof seen>((resolve) => {
    link.subscribe((change) => {
      if (change.kind !== 'event') return;
      seen.push(change);
      if (seen.length === count) resolve(seen);
    });
  });
}

let link: ClusterLink | null = null;

beforeAll(async () => {
  await startAgent('node1');
  await startAgent('node2');
});

afterAll(async () => {
  link?.close();
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a link whose agent is a follower', () => {
  it('carries the leader’s fence attempts with their levels, and its own agent’s events', async () => {
    const identity = await loadAgentClientIdentity(join(dirs[0]!, 'luci-tls'));
    const factory = new AgentClusterLinks({
      identity: { cert: identity.cert, key: identity.key },
      log: (_level, message, fields) => {
        logged.push({ message, fields });
        wakeLogWaiters();
      },
      attemptTimeoutMs: 5000,
      heartbeatMs: 200,
    });
    link = await factory.connect({
      address: HOST,
      port: agents.get('node1')!.port,
      agentPassword: PASSWORD,
    });
    expect(link.snapshot()?.status.local.name).toBe('node1');
    expect(await loggedLine("cluster link: following the leader's fence events")).toEqual({
      node: 'node2',
    });
    const changes = eventChanges(link, 5);
    const leader = agents.get('node2')!.api;
    leader.coreEvent({ type: 'fence-started', victim: 'node3', method: 'first' });
    leader.coreEvent({ type: 'fence-failed', victim: 'node3', method: 'first' });
    leader.coreEvent({ type: 'fence-started', victim: 'node3', method: 'second' });
    leader.coreEvent({
      type: 'fence-succeeded',
      victim: 'node3',
      method: 'second',
      incarnation: 1,
    });
    // The leader's other transitions are its own agent's to report: only fences come from it.
    leader.coreEvent({ type: 'leader-changed', leader: 'node2', term: 3 } as never);
    agents.get('node1')!.api.coreEvent({ type: 'node-lost', node: 'node3', incarnation: 1 });
    const seen = await changes;
    const words = seen.map((change) => {
      const { event, fenceLevel } = change;
      if (event.kind !== 'fence') return `${event.node}: ${event.kind}`;
      return `${event.node}: ${event.outcome} level ${fenceLevel?.level} ${fenceLevel?.devices}`;
    });
    // Two sockets: node1's own event may come before, between or after the leader's.
    expect(words.filter((line) => line.startsWith('node2'))).toEqual([
      'node2: started level 1 broken',
      'node2: failed level 1 broken',
      'node2: started level 2 th,pdu2',
      'node2: succeeded level 2 th,pdu2',
    ]);
    expect(words.filter((line) => line.startsWith('node1'))).toEqual(['node1: node-lost']);
  });
});
