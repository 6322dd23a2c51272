import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createClusterCa,
  createNodeCert,
  type RunningDaemon,
  setAgentPassword,
  startDaemon,
  tlsDirIn,
  writeCa,
  writeNodePair,
} from '@quorate/ricci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestConsole,
  type TestBrowser,
  type TestConsole,
} from '../../testing/test-console.js';
import { AgentClusterLinks } from '../cluster-link/agent-cluster-links.js';
import { loadAgentClientIdentity } from '../config/tls-material.js';

// Two real agents in this process on loopback (never a test-host address): the console's link
// holds a session to one, and a node's logs are asked of that node's own agent.
const HOST = '127.0.0.1';
const NAMES = ['node1', 'node2'];
const PASSWORD = 'agent password for tests';
let root: string;
let luci: TestConsole;
let admin: TestBrowser;
const daemons: RunningDaemon[] = [];
/** What each agent logged at info and above, as `level event fields` keys. */
const logged = new Map<string, Set<string>>();
const lineKey = (level: string, event: string, fields: unknown) =>
  `${level} ${event} ${JSON.stringify(fields)}`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'luci-logs-'));
  const ports = [await freePort(), await freePort()];
  const ca = await createClusterCa({ clusterName: 'logtest' });
  for (const [index, name] of NAMES.entries()) {
    const stateDir = join(root, name);
    writeCa(tlsDirIn(stateDir), ca);
    writeNodePair(tlsDirIn(stateDir), name, await createNodeCert({ nodeName: name, ca }));
    await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
    const peers = NAMES.flatMap((peer, i) =>
      i === index ? [] : [{ name: peer, addresses: [`${HOST}:${ports[i]}`] }],
    );
    const options = {
      nodeName: name,
      listenHost: HOST,
      port: ports[index]!,
      peers,
      stateDir,
      configDir: join(root, `${name}-etc`),
      logLevel: 'warn' as const,
      tickMs: 20,
      snapshotEntries: 1000,
      rejoin: false,
    };
    const mine = new Set<string>();
    logged.set(name, mine);
    const record = (level: string, event: string, fields: Record<string, unknown> = {}) => {
      if (level !== 'debug') mine.add(lineKey(level, event, JSON.parse(JSON.stringify(fields))));
    };
    daemons.push(await startDaemon(options, record));
  }
  const identity = await loadAgentClientIdentity(join(root, 'luci-tls'));
  luci = await startTestConsole(
    new AgentClusterLinks({
      identity,
      reconnectMs: { first: 20, last: 200 },
      attemptTimeoutMs: 5000,
      heartbeatMs: 200,
    }),
  );
  admin = await luci.asAdmin();
  const added = await admin.call('POST', '/api/clusters', {
    address: HOST,
    port: ports[0],
    agentPassword: PASSWORD,
  });
  expect(added.statusCode, added.body).toBe(201);
}, 60_000);

afterAll(async () => {
  await luci?.close();
  await Promise.all(daemons.map((daemon) => daemon.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe('agent logs from real agents', () => {
  it('reads the linked node’s log and another node’s from that node’s own agent', async () => {
    const cluster = added();
    for (const node of NAMES) {
      const response = await admin.call('GET', `/api/clusters/${cluster}/nodes/${node}/logs`);
      expect(response.statusCode, response.body).toBe(200);
      const { lines } = response.json() as {
        lines: { level: string; event: string; fields: unknown }[];
      };
      expect(lines.length).toBeGreaterThan(0);
      // Every line is one this node's agent logged, not the linked agent's.
      const keys = lines.map((line) => lineKey(line.level, line.event, line.fields));
      expect(keys.filter((key) => !logged.get(node)!.has(key))).toEqual([]);
      // …and some the other agent never logged, so the check above could fail.
      const other = logged.get(NAMES.find((name) => name !== node)!)!;
      expect(keys.some((key) => !other.has(key))).toBe(true);
    }
  });
});

function added(): string {
  const [cluster] = luci.store.clusters.list();
  if (!cluster) throw new Error('no cluster was added');
  return encodeURIComponent(cluster.name);
}
