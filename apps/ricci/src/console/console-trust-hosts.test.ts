// Trusted consoles as replicated state, on test hosts: three agents (bin/ricci, the built code);
// a console proves the agent password to node1 only, and node2 and node3 then take its
// certificate alone; so does node3 after it was rebuilt with --rejoin from nothing; after the
// console revokes itself, no node takes it. The console runs inside a test host
// (`console-hello.ts`), never from the root namespace.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2eSkipReason, type HostProcess, runPaths, TestNetwork } from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  events,
  type LogEvent,
  waitForEvent as waitForAgentEvent,
} from '../../testing/agent-events.js';
import { createClusterCa, createNodeCert } from '../tls/certificates.js';
import { tlsDirIn, writeCa, writeNodePair } from '../tls/tls-files.js';
import { setAgentPassword } from './agent-password.js';

const skip = e2eSkipReason();
const here = dirname(fileURLToPath(import.meta.url));
const ricci = join(here, '../../../../bin/ricci');
const consoleHello = join(here, '../../dist/console/console-hello.js');
const NAMES = ['node1', 'node2', 'node3'];
const PORT = 11111;
const WAIT_MS = 20_000;
const PASSWORD = 'console trust on test hosts';

const waitForEvent = (agent: HostProcess, match: (event: LogEvent) => boolean, after = 0) =>
  waitForAgentEvent(agent, match, after, WAIT_MS);

const conf = `<?xml version="1.0"?>
<cluster name="trust" config_version="1">
  <clusternodes>
${NAMES.map((name, i) => `    <clusternode name="${name}" nodeid="${i + 1}"/>`).join('\n')}
  </clusternodes>
</cluster>
`;

describe.skipIf(skip)('trusted consoles replicated across agents on test hosts', () => {
  let network: TestNetwork;
  let consoleDir: string;
  const agents = new Map<string, HostProcess>();
  const agent = (name: string) => agents.get(name) as HostProcess;
  const etcCluster = (name: string) => network.host(name).paths.mounts['/etc/cluster'];

  const start = (name: string, extra: string[] = []) => {
    const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
      '--peer',
      `${peer}=${network.host(peer).address}:${PORT}`,
    ]);
    // Every commit is followed by a snapshot, so a rebuilt node is sent one. /run is shared by
    // the hosts: each agent's control socket lives in its own state folder.
    const socket = ['--control-socket', '/var/lib/quorate/ricci.sock'];
    const args = [ricci, '--node', name, ...peers, '--snapshot-entries', '1', ...socket, ...extra];
    const started = network.spawn(name, process.execPath, args);
    agents.set(name, started);
    return started;
  };

  /** One console hello to `target`'s agent, from the console's host (node1). */
  const hello = async (target: string, options: { password?: boolean; revoke?: boolean } = {}) => {
    const url = `wss://${network.host(target).address}:${PORT}/quorate/console`;
    const args = [consoleHello, '--url', url];
    args.push('--cert', join(consoleDir, 'console.crt'), '--key', join(consoleDir, 'console.key'));
    if (options.password) args.push('--password-file', join(consoleDir, 'password'));
    if (options.revoke) args.push('--revoke');
    const run = network.spawn('node1', process.execPath, args);
    await run.waitForExit(WAIT_MS);
    return events(run).map(({ event, ...fields }) => fields);
  };

  const trustChanged = (trusted: boolean) => (event: LogEvent) =>
    event.event === 'console-trust-changed' && event.trusted === trusted;

  beforeAll(async () => {
    network = await TestNetwork.create({ clusterHosts: 3, client: false, console: false });
    const ca = await createClusterCa({ clusterName: 'trust' });
    for (const name of NAMES) {
      const stateDir = network.host(name).paths.mounts['/var/lib/quorate'];
      writeCa(tlsDirIn(stateDir), ca);
      writeNodePair(tlsDirIn(stateDir), name, await createNodeCert({ nodeName: name, ca }));
      await setAgentPassword(stateDir, PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
      writeFileSync(join(etcCluster(name), 'cluster.conf'), conf);
    }
    consoleDir = join(runPaths(network.runId).root, 'console-identity');
    mkdirSync(consoleDir);
    const identity = await createNodeCert({
      nodeName: 'luci',
      ca: await createClusterCa({ clusterName: 'console' }),
    });
    writeFileSync(join(consoleDir, 'console.crt'), identity.certPem);
    writeFileSync(join(consoleDir, 'console.key'), identity.keyPem, { mode: 0o600 });
    writeFileSync(join(consoleDir, 'password'), `${PASSWORD}\n`, { mode: 0o600 });
  }, 60_000);

  afterAll(async () => {
    await network?.destroy();
  }, 60_000);

  it('a password hello to node1 alone makes node2 and node3 take the certificate alone', async () => {
    for (const name of NAMES) start(name);
    // The leader records what each node runs before it takes any other entry of its own.
    const accepted = await Promise.race(
      NAMES.map((name) => waitForEvent(agent(name), (e) => e.event === 'probe-accepted')),
    );
    expect(accepted.event).toBe('probe-accepted');
    expect(await hello('node2')).toContainEqual({
      step: 'error',
      code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED',
      message: expect.stringContaining('neither trusted by the cluster nor pinned on node2'),
    });
    expect((await hello('node1', { password: true }))[0]).toEqual({
      step: 'welcome',
      node: 'node1',
      auth: 'password',
      trust: 'cluster',
    });
    for (const name of ['node2', 'node3']) {
      await waitForEvent(agent(name), trustChanged(true));
      expect((await hello(name))[0]).toEqual({
        step: 'welcome',
        node: name,
        auth: 'certificate',
        trust: 'cluster',
      });
    }
  });

  it('node3 rebuilt with --rejoin from nothing takes the certificate from the snapshot', async () => {
    agent('node3').kill('SIGTERM');
    expect((await agent('node3').waitForExit(WAIT_MS)).code).toBe(0);
    for (const file of readdirSync(etcCluster('node3'))) rmSync(join(etcCluster('node3'), file));
    const rejoined = start('node3', ['--rejoin']);
    await waitForEvent(rejoined, (e) => e.event === 'snapshot-loaded');
    await waitForEvent(rejoined, (e) => e.event === 'resource-manager-started');
    expect((await hello('node3'))[0]).toEqual({
      step: 'welcome',
      node: 'node3',
      auth: 'certificate',
      trust: 'cluster',
    });
  });

  it('after the console revokes itself, every node refuses its certificate', async () => {
    const marks = new Map(NAMES.map((name) => [name, events(agent(name)).length]));
    const steps = await hello('node2', { revoke: true });
    expect(steps[1]).toMatchObject({ step: 'revoked', cluster: true });
    for (const name of NAMES) {
      await waitForEvent(agent(name), trustChanged(false), marks.get(name));
      expect(await hello(name)).toContainEqual(
        expect.objectContaining({ step: 'error', code: 'CONSOLE_API_CERTIFICATE_NOT_TRUSTED' }),
      );
    }
  });
});
