// The SSH bootstrap against real OpenSSH servers on test hosts (DESIGN.md §6). The console side
// runs in the console host (a child process there, since ssh2 must dial from that namespace):
// refusals leave nothing on any host, a failure after install is undone everywhere, and a good
// plan gives three agents that form a quorate cluster (clustat inside a host says so).
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  e2eSkipReason,
  makeSshKeyPair,
  runPaths,
  type SshServer,
  SYSTEM_PATH,
  sshdSkipReason,
  startSshServer,
  TestNetwork,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddNodeOutcome } from './add-node.js';
import type { BootstrapChildRequest } from './bootstrap-child.js';
import type { BootstrapOutcome } from './bootstrap-cluster.js';
import type { BootstrapNode, ClusterPlan } from './bootstrap-plan.js';
import type { BootstrapProgress } from './node-run.js';

const skip = e2eSkipReason() ?? sshdSkipReason();
const luciDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const childScript = join(luciDir, 'dist', 'bootstrap', 'bootstrap-child.js');
const bundleDir = join(luciDir, '..', 'ricci', 'bundle', 'out');
const NAMES = ['node1', 'node2', 'node3'];
const ALL_HOSTS = [...NAMES, 'node4'];
const RUN_TIMEOUT_MS = 150_000;

interface ChildResult {
  readonly progress: Array<BootstrapProgress & { atMs: number }>;
  readonly outcome: BootstrapOutcome;
  /** With `addAfter`: what adding that node gave. */
  readonly added?: AddNodeOutcome;
}

describe.skipIf(skip)('the SSH bootstrap on test hosts', () => {
  let network: TestNetwork;
  const servers = new Map<string, SshServer>();
  // Fresh passwords per run (never printed).
  const rootPassword = `pw-${randomBytes(9).toString('base64url')}`;
  const agentPassword = `agent-${randomBytes(9).toString('base64url')}`;
  let clientKey: { privateKey: string; publicKey: string };

  beforeAll(async () => {
    for (const file of [childScript, bundleDir]) {
      if (!existsSync(file))
        throw new Error(`${file} is missing: run \`pnpm build\` and \`pnpm bundle\``);
    }
    network = await TestNetwork.create({ clusterHosts: 4, client: false, console: true });
    clientKey = await makeSshKeyPair(join(runPaths(network.runId).root, 'keys'), 'console');
    // Node names resolve on every host, as RHCS requires: a new node is dialled by its name.
    const hosts = ALL_HOSTS.map((name) => `${network.host(name).address} ${name}`);
    const hostsFile = join(runPaths(network.runId).root, 'etc-hosts');
    writeFileSync(hostsFile, `127.0.0.1 localhost\n${hosts.join('\n')}\n`);
    for (const name of ALL_HOSTS) {
      const bound = await network.exec(name, 'mount', ['--bind', hostsFile, '/etc/hosts']);
      if (bound.code !== 0) throw new Error(`${name}: mount /etc/hosts: ${bound.stderr}`);
      const server = await startSshServer(network, name, {
        rootPassword,
        authorizedKeys: [clientKey.publicKey],
      });
      servers.set(name, server);
    }
  }, 60_000);

  afterAll(async () => {
    await network?.destroy();
  }, 60_000);

  const server = (name: string) => servers.get(name)!;

  function planNode(name: string, overrides: Partial<BootstrapNode> = {}): BootstrapNode {
    return {
      host: network.host(name).address,
      user: 'root',
      auth: { kind: 'password', password: rootPassword },
      hostKey: { kind: 'pinned', sha256: server(name).hostKeySha256 },
      ...overrides,
    };
  }

  function plan(nodes: BootstrapNode[]): ClusterPlan {
    return { clusterName: 'tcluster', nodes, agentPassword, options: { tokenMs: 1000 } };
  }

  /** Runs the bootstrap in the console host; resolves with its progress and outcome. */
  async function runBootstrap(
    request: Omit<BootstrapChildRequest, 'starter'>,
  ): Promise<ChildResult> {
    const child = network.spawn('console', process.execPath, [childScript], {
      env: { PATH: process.env.PATH ?? SYSTEM_PATH },
    });
    child.stdin?.end(JSON.stringify({ ...request, starter: 'detached' }));
    const status = await child.waitForExit(RUN_TIMEOUT_MS);
    const lines = child
      .output('stdout')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);
    const last = lines.find((line) => line.type === 'outcome');
    const added = lines.find((line) => line.type === 'added')?.outcome as
      | AddNodeOutcome
      | undefined;
    if (status.code !== 0 || !last) {
      throw new Error(`bootstrap child: exit ${status.code}:\n${child.output()}`);
    }
    const progress = lines.filter(
      (l) => l.type === 'progress',
    ) as unknown as ChildResult['progress'];
    return { progress, outcome: last.outcome as BootstrapOutcome, added };
  }

  /** Nothing of the agent on any host: install, config and state folders empty, no staging. */
  function expectNothingInstalled(): void {
    for (const name of ALL_HOSTS) {
      for (const dir of ['/opt/quorate', '/etc/cluster', '/var/lib/quorate'] as const) {
        expect(readdirSync(network.host(name).paths.mounts[dir]), `${name}: ${dir}`).toEqual([]);
      }
    }
    expect(readdirSync('/var/tmp').filter((f) => f.startsWith('quorate-bootstrap.'))).toEqual([]);
  }

  function failureOf(result: ChildResult) {
    expect(result.outcome.ok).toBe(false);
    if (result.outcome.ok) throw new Error('unreachable');
    return result.outcome;
  }

  it('refuses a wrong password precisely and installs nothing anywhere', async () => {
    const nodes = [
      planNode('node1'),
      planNode('node2', { auth: { kind: 'password', password: 'not-the-password' } }),
      planNode('node3'),
    ];
    const outcome = failureOf(await runBootstrap({ plan: plan(nodes) }));
    expect(outcome.failures).toEqual([
      {
        node: network.host('node2').address,
        step: 'connect',
        kind: 'auth-failed',
        message: `${network.host('node2').address} port 22: wrong password for root`,
      },
    ]);
    expect(outcome.undone).toEqual([]);
    expectNothingInstalled();
  });

  it('says which host is unreachable', async () => {
    const absent = `${network.subnet}.77`;
    const nodes = [planNode('node1'), planNode('node2', { host: absent }), planNode('node3')];
    const outcome = failureOf(await runBootstrap({ plan: plan(nodes), connectTimeoutMs: 4000 }));
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toMatchObject({
      node: absent,
      step: 'connect',
      kind: 'unreachable',
    });
    expect(outcome.failures[0]?.message).toMatch(new RegExp(`^${absent} port 22: `));
    expectNothingInstalled();
  });

  it('refuses a host whose port 11111 is in use, naming host and port, and installs nothing', async () => {
    const listener = network.spawn('node3', process.execPath, [
      '-e',
      "require('net').createServer().listen(11111, () => console.log('listening'))",
    ]);
    try {
      await listener.waitForLine('listening', 10_000);
      const nodes = NAMES.map((name) => planNode(name));
      const outcome = failureOf(await runBootstrap({ plan: plan(nodes) }));
      expect(outcome.failures).toHaveLength(1);
      expect(outcome.failures[0]).toMatchObject({
        node: network.host('node3').address,
        step: 'check',
        kind: 'port-in-use',
      });
      expect(outcome.failures[0]?.message).toContain(
        `${network.host('node3').address} (node3): port 11111`,
      );
      expect(outcome.failures[0]?.message).toContain(`pid=${listener.pid}`);
      expectNothingInstalled();
    } finally {
      listener.kill('SIGKILL');
      await listener.waitForExit(10_000);
    }
  });

  it('refuses a host whose key is not the pinned one', async () => {
    const wrongPin = server('node2').hostKeySha256;
    const nodes = [
      planNode('node1', { hostKey: { kind: 'pinned', sha256: wrongPin } }),
      planNode('node2'),
    ];
    const outcome = failureOf(await runBootstrap({ plan: plan(nodes) }));
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]).toMatchObject({ step: 'connect', kind: 'host-key-changed' });
    expect(outcome.failures[0]?.message).toContain(
      `presented ${server('node1').hostKeySha256}, not the pinned ${wrongPin}`,
    );
    expectNothingInstalled();
  });

  it('refuses a bundle built for another architecture', async () => {
    // The same archive under an arm64 name (with its checksum file): the check compares uname -m.
    const dir = join(runPaths(network.runId).root, 'arm64-bundle');
    mkdirSync(dir);
    const source = join(bundleDir, readdirSync(bundleDir).find((f) => f.endsWith('.tar.gz'))!);
    const archivePath = join(dir, basename(source).replace('linux-x64', 'linux-arm64'));
    symlinkSync(source, archivePath);
    const sum = readFileSync(`${source}.sha256`, 'utf8').split(/\s+/)[0];
    writeFileSync(`${archivePath}.sha256`, `${sum}  ${basename(archivePath)}\n`);
    const outcome = failureOf(await runBootstrap({ plan: plan([planNode('node1')]), archivePath }));
    expect(outcome.failures).toEqual([
      {
        node: network.host('node1').address,
        step: 'check',
        kind: 'wrong-architecture',
        message: `${network.host('node1').address} (node1): is x86_64; the agent bundle is built for aarch64`,
      },
    ]);
    expectNothingInstalled();
  });

  it('refuses a host without room for the bundle', async () => {
    // A 1 MiB file system over /var/tmp, in node2's mount namespace only.
    const mounted = await network.exec('node2', 'mount', [
      '-t',
      'tmpfs',
      '-o',
      'size=1m',
      'tmpfs',
      '/var/tmp',
    ]);
    expect(mounted.code, mounted.stderr).toBe(0);
    try {
      const outcome = failureOf(
        await runBootstrap({ plan: plan(NAMES.map((name) => planNode(name))) }),
      );
      expect(outcome.failures).toHaveLength(1);
      expect(outcome.failures[0]).toMatchObject({
        node: network.host('node2').address,
        kind: 'disk-full',
      });
      expect(outcome.failures[0]?.message).toMatch(
        /^10\.\d+\.\d+\.2 \(node2\): \/var\/tmp has 1 MiB free; the agent needs \d+ MiB there$/,
      );
      expectNothingInstalled();
    } finally {
      await network.exec('node2', 'umount', ['/var/tmp']);
    }
  });

  it(
    'undoes every node when a start fails after the install',
    async () => {
      const nodes = NAMES.map((name) => planNode(name));
      const result = await runBootstrap({ plan: plan(nodes), failStartOn: ['node3'] });
      const outcome = failureOf(result);
      const address = (name: string) => network.host(name).address;
      expect(outcome.failures).toEqual([
        expect.objectContaining({ node: address('node3'), step: 'start', kind: 'start-failed' }),
      ]);
      expect([...outcome.undone].sort()).toEqual(NAMES.map(address).sort());
      expect(outcome.undoFailures).toEqual([]);
      const undone = result.progress.filter((e) => e.step === 'undo' && e.state === 'done');
      expect(undone.map((e) => e.node).sort()).toEqual(NAMES.map(address).sort());
      expectNothingInstalled();
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'makes a quorate three-node cluster (password and key logins) and adds a fourth node',
    async () => {
      const nodes = [
        planNode('node1'),
        planNode('node2', { hostKey: { kind: 'trust-on-first-use' } }),
        planNode('node3', { auth: { kind: 'private-key', privateKey: clientKey.privateKey } }),
      ];
      const startedAt = performance.now();
      const result = await runBootstrap({ plan: plan(nodes), addAfter: planNode('node4') });
      const outcome = result.outcome;
      if (!outcome.ok) throw new Error(`bootstrap failed: ${JSON.stringify(outcome, null, 2)}`);
      const steps = result.progress
        .filter((e) => e.state !== 'running')
        .map((e) => `${e.node} ${e.step} ${e.state} ${e.atMs}`);
      console.log(
        `bootstrap of three hosts, then node4 added: ${Math.round(performance.now() - startedAt)} ms; ${steps.join(', ')}`,
      );
      const added = result.added;
      if (!added?.ok) throw new Error(`adding node4 failed: ${JSON.stringify(added, null, 2)}`);
      expect(outcome.nodes.map((n) => [n.name, n.nodeid])).toEqual([
        ['node1', 1],
        ['node2', 2],
        ['node3', 3],
      ]);
      expect(outcome.nodes[1]?.hostKeySha256).toBe(server('node2').hostKeySha256);
      for (const step of ['connect', 'check', 'copy', 'install', 'start', 'quorum'] as const) {
        const done = result.progress.filter((e) => e.step === step && e.state === 'done');
        expect(done, step).toHaveLength(4);
      }
      expect(added.node).toMatchObject({ name: 'node4', nodeid: 4 });
      const joined = result.progress.filter((e) => e.step === 'join' && e.state === 'done');
      expect(joined.map((e) => e.node)).toEqual([network.host('node4').address]);
      const clustat = await network.exec('node1', '/opt/quorate/bin/clustat', [], {
        env: { PATH: SYSTEM_PATH, QUORATE_SOCKET: '/var/lib/quorate/ricci.sock' },
      });
      expect(clustat.stdout).toContain('Member Status: Quorate');
      for (const name of ALL_HOSTS)
        expect(clustat.stdout).toMatch(new RegExp(`${name}\\s+\\d+\\s+Online`));
      for (const name of ALL_HOSTS) {
        const state = network.host(name).paths.mounts['/var/lib/quorate'];
        expect((statSync(join(state, 'tls', `node-${name}.key`)).mode & 0o777).toString(8)).toBe(
          '600',
        );
        expect((statSync(join(state, 'console', 'agent-password')).mode & 0o777).toString(8)).toBe(
          '600',
        );
      }
      expect(readdirSync('/var/tmp').filter((f) => f.startsWith('quorate-bootstrap.'))).toEqual([]);
    },
    RUN_TIMEOUT_MS,
  );
});
