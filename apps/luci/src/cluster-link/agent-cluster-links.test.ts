import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONSOLE_DIR,
  createClusterCa,
  createNodeCert,
  type DaemonOptions,
  type RunningDaemon,
  setAgentPassword,
  startDaemon,
  TRUSTED_CONSOLES_FILE,
  tlsDirIn,
  writeCa,
  writeNodePair,
} from '@quorate/ricci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentClientIdentity, type TlsMaterial } from '../config/tls-material.js';
import { ConsoleError } from '../errors/console-error.js';
import { AgentClusterLinks } from './agent-cluster-links.js';
import type { ClusterLink, ClusterSnapshot, DiscoveredNode } from './cluster-link.js';

// Three real agents in this process on loopback (127.0.0.1), never a test-host address.
const HOST = '127.0.0.1';
const NAMES = ['node1', 'node2', 'node3'];
const PASSWORD = 'agent password for tests';
let root: string;
let ports: number[];
let identity: TlsMaterial;
const fingerprints = new Map<string, string>();
const daemons = new Map<string, RunningDaemon>();
const logged: { message: string; fields: Record<string, unknown> }[] = [];
const links: ClusterLink[] = [];
/** Woken by every line any agent logs: tests wait on the agents' state without sleeping. */
const agentLogWaiters: (() => void)[] = [];
const agentLog = () => {
  for (const wake of agentLogWaiters.splice(0)) wake();
};

async function untilAgents(holds: () => boolean): Promise<void> {
  while (!holds()) await new Promise<void>((resolve) => agentLogWaiters.push(resolve));
}

const stateOf = (name: string) => daemons.get(name)?.host.serviceController()?.state();
const clusterTrusts = (name: string) =>
  stateOf(name)?.trustedConsoles[identity.fingerprint] !== undefined;
const pinnedBy = (name: string) => {
  const file = join(root, name, CONSOLE_DIR, TRUSTED_CONSOLES_FILE);
  return existsSync(file) && readFileSync(file, 'utf8').includes(identity.fingerprint);
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function optionsFor(index: number): DaemonOptions {
  const name = NAMES[index]!;
  return {
    nodeName: name,
    listenHost: HOST,
    port: ports[index]!,
    peers: NAMES.flatMap((peer, i) =>
      i === index ? [] : [{ name: peer, addresses: [`${HOST}:${ports[i]}`] }],
    ),
    stateDir: join(root, name),
    configDir: join(root, `${name}-etc`),
    logLevel: 'warn',
    tickMs: 20,
    snapshotEntries: 1000,
    rejoin: false,
  };
}

const conf = `<?xml version="1.0"?>
<cluster name="linktest" config_version="1">
  <clusternodes>
${NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>`).join('\n')}
  </clusternodes>
</cluster>
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'luci-links-'));
  ports = [await freePort(), await freePort(), await freePort()];
  identity = await loadAgentClientIdentity(join(root, 'luci-tls'));
  const ca = await createClusterCa({ clusterName: 'linktest' });
  for (const name of NAMES) {
    const stateDir = join(root, name);
    const pair = await createNodeCert({ nodeName: name, ca });
    writeCa(tlsDirIn(stateDir), ca);
    writeNodePair(tlsDirIn(stateDir), name, pair);
    fingerprints.set(name, new X509Certificate(pair.certPem).fingerprint256);
    await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
    mkdirSync(join(root, `${name}-etc`));
    writeFileSync(join(root, `${name}-etc`, 'cluster.conf'), conf);
  }
  const started = await Promise.all(NAMES.map((_, i) => startDaemon(optionsFor(i), agentLog)));
  for (const [i, daemon] of started.entries()) daemons.set(NAMES[i]!, daemon);
});

afterAll(async () => {
  for (const link of links) link.close();
  await Promise.all([...daemons.values()].map((daemon) => daemon.stop()));
  rmSync(root, { recursive: true, force: true });
});

function factory(): AgentClusterLinks {
  return new AgentClusterLinks({
    identity: { cert: identity.cert, key: identity.key },
    log: (_level, message, fields) => logged.push({ message, fields }),
    reconnectMs: { first: 20, last: 200 },
    attemptTimeoutMs: 5000,
    heartbeatMs: 200,
  });
}

/** Resolves with the first snapshot (the current one included) that `match` accepts. */
function snapshotWhere(
  link: ClusterLink,
  match: (snapshot: ClusterSnapshot) => boolean,
): Promise<ClusterSnapshot> {
  return new Promise((resolve) => {
    const now = link.snapshot();
    if (now && match(now)) return resolve(now);
    const stop = link.subscribe((change) => {
      if (change.kind === 'snapshot' && match(change.snapshot)) {
        stop();
        resolve(change.snapshot);
      }
    });
  });
}

function stateReached(link: ClusterLink, state: string): Promise<void> {
  return new Promise((resolve) => {
    if (link.state().state === state) return resolve();
    const stop = link.subscribe((change) => {
      if (change.kind === 'state' && change.state === state) {
        stop();
        resolve();
      }
    });
  });
}

const quorate = (snapshot: ClusterSnapshot) =>
  snapshot.status.quorum.quorate && snapshot.status.members.every((m) => m.online);

describe('AgentClusterLinks against real agents', () => {
  let pinned: readonly DiscoveredNode[] = [];

  it('refuses a wrong agent password, naming the field', async () => {
    const refused = factory().connect({
      address: HOST,
      port: ports[0]!,
      agentPassword: 'wrong password!',
    });
    await expect(refused).rejects.toBeInstanceOf(ConsoleError);
    await expect(refused).rejects.toMatchObject({
      code: 'CONSOLE_INVALID_REQUEST',
      field: 'agentPassword',
      message: expect.stringContaining('the agent password is wrong'),
    });
  });

  it('connects with the password, pins every agent, and is trusted by the whole cluster', async () => {
    // A quorate cluster with a leader records the trust before the first welcome.
    await untilAgents(() =>
      NAMES.some((name) => daemons.get(name)!.host.serviceController()?.isLeaderReady()),
    );
    const link = await factory().connect({
      address: HOST,
      port: ports[0]!,
      agentPassword: PASSWORD,
    });
    links.push(link);
    expect(link.state().state).toBe('connected');
    const snapshot = await snapshotWhere(link, quorate);
    expect(snapshot.clusterName).toBe('linktest');
    expect(snapshot.status.members.map((m) => m.name)).toEqual(NAMES);
    expect(snapshot.nodes).toEqual(
      NAMES.map((name, i) => ({
        name,
        address: HOST,
        port: ports[i],
        agentFingerprint: fingerprints.get(name),
      })),
    );
    expect(logged.map((line) => line.message)).toContain(
      'cluster link: the cluster trusts this console',
    );
    // No other node heard the password: they accept the console through the cluster state.
    expect(NAMES.map(pinnedBy)).toEqual([true, false, false]);
    await untilAgents(() => NAMES.every(clusterTrusts));
    pinned = snapshot.nodes;
  });

  it('carries an action to the agent and resolves with its result', async () => {
    const link = links[0]!;
    await expect(link.request({ type: 'fence-ack', node: 'node3' })).resolves.toEqual({
      type: 'fence-ack',
      ok: false,
      message: 'node3 is a member of the cluster; only a node that is off can be acknowledged',
    });
  });

  it('carries an action to one named node’s own agent, whichever agent it is linked to', async () => {
    const link = links[0]!;
    expect(link.snapshot()?.status.local.name).toBe('node1');
    await expect(
      link.requestAt('node2', { type: 'node', request: { kind: 'join' } }),
    ).resolves.toEqual({ type: 'node', ok: false, message: 'Node is already active' });
    const askedOf = async (node: string) =>
      (await link.logs(node, 200)).filter(
        (line) => line.event === 'console-action' && line.fields.action === 'node:join',
      ).length;
    expect([await askedOf('node1'), await askedOf('node2'), await askedOf('node3')]).toEqual([
      0, 1, 0,
    ]);
    await expect(
      link.requestAt('node9', { type: 'node', request: { kind: 'join' } }),
    ).rejects.toMatchObject({ code: 'CONSOLE_NOT_FOUND', message: 'no node named "node9"' });
  });

  it('hands a new cluster.conf to the leader when the agent it is on is a follower', async () => {
    const { leader } = (await snapshotWhere(links[0]!, quorate)).status.quorum;
    const follower = pinned.find((node) => node.name !== leader)!;
    const link = factory().reconnect([follower, ...pinned.filter((node) => node !== follower)]);
    links.push(link);
    await stateReached(link, 'connected');
    expect(link.snapshot()?.status.local.name).toBe(follower.name);
    await snapshotWhere(link, quorate);
    const text = conf.replace('config_version="1"', 'config_version="2"');
    await expect(link.request({ type: 'config-update', text })).resolves.toEqual({
      type: 'config-update',
      accepted: true,
      previousVersion: 1,
      version: 2,
    });
    await snapshotWhere(link, (snapshot) => snapshot.status.cluster.configVersion === 2);
  });

  it('a console that forgot the password reaches a node that never saw it', async () => {
    const link = factory().reconnect([pinned[2]!]);
    links.push(link);
    await stateReached(link, 'connected');
    expect(link.snapshot()?.status.local.name).toBe('node3');
    link.close();
  });

  it('refuses an agent whose certificate is not the pinned one', async () => {
    const other = fingerprints.get('node2')!;
    const link = factory().reconnect([{ ...pinned[0]!, agentFingerprint: other }]);
    links.push(link);
    await stateReached(link, 'lost');
    const refusal = logged.find((line) => line.message === 'cluster link: attempt failed');
    expect(refusal?.fields.detail).toMatch(/presented certificate .* not the pinned/);
    expect(link.snapshot()).toBeNull();
    link.close();
  });

  it('reconnects with the pinned certificate alone and fails over when its agent stops', async () => {
    const link = factory().reconnect(pinned);
    links.push(link);
    await stateReached(link, 'connected');
    await snapshotWhere(link, quorate);
    const states: string[] = [];
    link.subscribe((change) => {
      if (change.kind === 'state') states.push(change.state);
    });
    // node1 goes: the link moves to another agent, which reports node1 offline and, once the
    // two left have elected a leader if node1 was it, the cluster quorate again.
    await daemons.get('node1')!.stop();
    daemons.delete('node1');
    const after = await snapshotWhere(
      link,
      (s) =>
        s.status.local.name !== 'node1' &&
        s.status.quorum.quorate &&
        s.status.members.some((m) => m.name === 'node1' && !m.online),
    );
    expect(states).toEqual(['connecting', 'connected']);
    await expect(
      link.request({ type: 'fence-ack', node: after.status.local.name }),
    ).resolves.toMatchObject({
      type: 'fence-ack',
      ok: false,
    });
  });

  it('revokes its trust when asked (the cluster is removed): no node takes the certificate after', async () => {
    // The link `connect` made, which still knows the agent password; the console holds one.
    const link = links[0]!;
    for (const other of links.splice(1)) other.close();
    const survivors = NAMES.filter((name) => daemons.has(name));
    await stateReached(link, 'connected');
    await expect(link.revokeTrust!()).resolves.toBe(true);
    // Kept open: should the revocation end its connection, the password it knows must not win
    // the trust back (which would let the link below in).
    await untilAgents(() =>
      survivors.every((name) => stateOf(name)?.revokedConsoles[identity.fingerprint] !== undefined),
    );
    expect(survivors.filter(clusterTrusts)).toEqual([]);
    const after = factory().reconnect(pinned.filter((candidate) => daemons.has(candidate.name)));
    links.push(after);
    await stateReached(after, 'lost');
    const refusals = logged.filter((line) => line.message === 'cluster link: attempt failed');
    expect(refusals.at(-1)?.fields.detail).toMatch(/neither trusted by the cluster nor pinned/);
  });
});
