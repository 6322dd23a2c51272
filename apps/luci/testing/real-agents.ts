import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClusterCa,
  createNodeCert,
  type DaemonOptions,
  type RunningDaemon,
  setAgentPassword,
  startDaemon,
  tlsDirIn,
  writeCa,
  writeNodePair,
} from '@quorate/ricci';
import { AgentClusterLinks } from '../src/cluster-link/agent-cluster-links.js';
import type { ClusterLink, ClusterSnapshot } from '../src/cluster-link/cluster-link.js';
import { loadAgentClientIdentity } from '../src/config/tls-material.js';
import { startTestConsole, type TestBrowser, type TestConsole } from './test-console.js';

/**
 * For tests only: three real agents in this process on loopback (127.0.0.1, never a test-host
 * address) sharing one cluster.conf, and a console that reaches them through AgentClusterLinks,
 * driven with inject. `close` stops everything and removes the folder.
 */
const HOST = '127.0.0.1';
export const AGENT_NAMES = ['node1', 'node2', 'node3'] as const;
const PASSWORD = 'agent password for tests';

export interface RealAgents {
  readonly luci: TestConsole;
  readonly admin: TestBrowser;
  readonly link: ClusterLink;
  snapshotWhere(match: (s: ClusterSnapshot) => boolean): Promise<ClusterSnapshot>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Every member online and the cluster quorate. */
export const quorate = (s: ClusterSnapshot) =>
  s.status.quorum.quorate && s.status.members.every((m) => m.online);

async function startAgents(root: string, cluster: string, conf: string) {
  const ports = [await freePort(), await freePort(), await freePort()];
  const ca = await createClusterCa({ clusterName: cluster });
  for (const name of AGENT_NAMES) {
    const stateDir = join(root, name);
    writeCa(tlsDirIn(stateDir), ca);
    writeNodePair(tlsDirIn(stateDir), name, await createNodeCert({ nodeName: name, ca }));
    await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
    mkdirSync(join(root, `${name}-etc`));
    writeFileSync(join(root, `${name}-etc`, 'cluster.conf'), conf);
  }
  const options = (index: number): DaemonOptions => ({
    nodeName: AGENT_NAMES[index]!,
    listenHost: HOST,
    port: ports[index]!,
    peers: AGENT_NAMES.flatMap((peer, i) =>
      i === index ? [] : [{ name: peer, addresses: [`${HOST}:${ports[i]}`] }],
    ),
    stateDir: join(root, AGENT_NAMES[index]!),
    configDir: join(root, `${AGENT_NAMES[index]}-etc`),
    logLevel: 'warn',
    tickMs: 20,
    snapshotEntries: 1000,
    rejoin: false,
  });
  const daemons: RunningDaemon[] = await Promise.all(
    AGENT_NAMES.map((_, i) => startDaemon(options(i), () => {})),
  );
  return { ports, daemons };
}

/** Starts the agents with `conf`, a console, signs in as admin and adds the cluster. */
export async function startRealAgents(cluster: string, conf: string): Promise<RealAgents> {
  const root = mkdtempSync(join(tmpdir(), 'luci-real-agents-'));
  const { ports, daemons } = await startAgents(root, cluster, conf);
  const identity = await loadAgentClientIdentity(join(root, 'luci-tls'));
  const luci = await startTestConsole(
    new AgentClusterLinks({
      identity: { cert: identity.cert, key: identity.key },
      log: () => {},
      reconnectMs: { first: 20, last: 200 },
      attemptTimeoutMs: 5000,
      heartbeatMs: 200,
    }),
  );
  const admin = await luci.asAdmin();
  const added = await admin.call('POST', '/api/clusters', {
    address: HOST,
    port: ports[0],
    agentPassword: PASSWORD,
  });
  if (added.statusCode !== 201) throw new Error(`adding the cluster: ${added.body}`);
  const link = luci.app.clusterRegistry.linkOf(cluster)!;
  const snapshotWhere = (match: (s: ClusterSnapshot) => boolean) =>
    new Promise<ClusterSnapshot>((resolve) => {
      const now = link.snapshot();
      if (now && match(now)) return resolve(now);
      const stop = link.subscribe((change) => {
        if (change.kind === 'snapshot' && match(change.snapshot)) {
          stop();
          resolve(change.snapshot);
        }
      });
    });
  await snapshotWhere(quorate);
  // The agents' first meta-data run (every installed OCF agent) is slow on a loaded machine:
  // done here, under the set-up's time limit, and kept by the console for later requests.
  const warm = await admin.call('GET', `/api/clusters/${cluster}/config`);
  if (warm.statusCode !== 200) throw new Error(`reading the configuration: ${warm.body}`);
  await snapshotWhere(quorate);
  return {
    luci,
    admin,
    link,
    snapshotWhere,
    close: async () => {
      await luci.close();
      await Promise.all(daemons.map((daemon) => daemon.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
