// The agent bundle on test hosts whose machine Node.js is hidden (DESIGN.md §6): each host
// installs the archive with its own install.sh, `node` cannot run there, the bundled
// `quorate cert` makes the cluster's certificates, and three bundled agents form a quorate
// cluster and stop cleanly on SIGTERM. Prints the time to quorate and each agent's memory.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  e2eSkipReason,
  type HostProcess,
  hideNode,
  installBundle,
  runPaths,
  SYSTEM_PATH,
  spawnBundled,
  TestNetwork,
  unpackBundle,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveNames } from './archive-layout.js';

const skip = e2eSkipReason();
const archive = archiveNames().archivePath;
const NAMES = ['node1', 'node2', 'node3'];
const PORT = 11111;
const WAIT_MS = 20_000;

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

type LogFields = Record<string, unknown>;

const parseLine = (text: string): LogFields | undefined =>
  text.startsWith('{') ? (JSON.parse(text) as LogFields) : undefined;

/** The first JSON log line of `event` (already seen or yet to come) that `match` accepts. */
function waitForEvent(
  agent: HostProcess,
  event: string,
  match: (fields: LogFields) => boolean = () => true,
): Promise<LogFields> {
  const accepts = (fields: LogFields | undefined): fields is LogFields =>
    fields?.event === event && match(fields);
  const seen = agent.lines.map((line) => parseLine(line.text)).find(accepts);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      const tail = agent.output().slice(-2000);
      reject(new Error(`${agent.host}: no ${event} event within ${WAIT_MS} ms:\n${tail}`));
    }, WAIT_MS);
    const stop = agent.onLine((line) => {
      const fields = parseLine(line.text);
      if (!accepts(fields)) return;
      clearTimeout(timer);
      stop();
      resolve(fields);
    });
  });
}

function residentKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
}

describe.skipIf(skip)('the agent bundle on test hosts without Node.js', () => {
  let network: TestNetwork;
  let hidden: string[] = [];

  const stateDir = (name: string) => network.host(name).paths.mounts['/var/lib/quorate'];
  const installDir = (name: string) => network.host(name).paths.mounts['/opt/quorate'];

  /** The cluster CA and every node's certificate, made on node1, copied to each node. */
  async function makeCertificates(): Promise<void> {
    const cert = async (args: string[]) => {
      const made = spawnBundled(network, 'node1', 'quorate', ['cert', ...args]);
      const status = await made.waitForExit(WAIT_MS);
      if (status.code !== 0) throw new Error(`quorate cert ${args.join(' ')}: ${made.output()}`);
    };
    await cert(['ca', '--cluster', 'hosts', '--dir', '/var/lib/quorate/made']);
    for (const name of NAMES) await cert(['node', name, '--dir', '/var/lib/quorate/made']);
    const made = join(stateDir('node1'), 'made');
    for (const name of NAMES) {
      const tls = join(stateDir(name), 'tls');
      mkdirSync(tls, { recursive: true, mode: 0o700 });
      for (const file of ['ca.crt', `node-${name}.crt`, `node-${name}.key`]) {
        copyFileSync(join(made, file), join(tls, file));
      }
    }
  }

  beforeAll(async () => {
    if (!existsSync(archive)) {
      throw new Error(`${archive} is missing: run \`pnpm bundle\` first (pnpm test does)`);
    }
    network = await TestNetwork.create({ clusterHosts: 3, client: false, console: false });
    const unpacked = await unpackBundle(archive, join(runPaths(network.runId).root, 'bundle'));
    for (const name of NAMES) {
      await installBundle(network, name, unpacked);
      hidden = await hideNode(network, name);
    }
    await makeCertificates();
  }, 120_000);

  afterAll(async () => {
    await network?.destroy();
  }, 60_000);

  it('hides every Node.js of the machine on the hosts, and only there', async () => {
    expect(hidden).toContain(process.execPath);
    for (const name of NAMES) {
      for (const path of hidden) {
        const direct = await network.exec(name, path, ['--version']);
        expect(direct.code, `${name}: ${path}`).not.toBe(0);
        expect(direct.stdout).toBe('');
      }
      const env = { PATH: SYSTEM_PATH };
      const onPath = await network.exec(name, 'sh', ['-c', 'node --version'], { env });
      expect(onPath.code, `${name}: node on PATH`).not.toBe(0);
      expect(onPath.stdout).toBe('');
    }
    const machine = spawnSync(process.execPath, ['--version'], { encoding: 'utf8' });
    expect(machine.stdout.trim()).toBe(process.version);
  });

  it("installs into each host's own directories with their modes", async () => {
    for (const name of NAMES) {
      const host = network.host(name);
      expect(mode(host.paths.mounts['/etc/cluster'])).toBe('755');
      expect(mode(stateDir(name))).toBe('700');
      expect(readlinkSync(join(installDir(name), 'bin', 'ricci'))).toBe('quorate');
      const unit = readFileSync(join(installDir(name), 'systemd', 'quorate-ricci.service'), 'utf8');
      expect(unit).toContain('ExecStart=/opt/quorate/bin/ricci $RICCI_OPTS\n');
      // The installed built-in agents run there too: shell, no Node.js.
      const ip = '/opt/quorate/lib/ocf/resource.d/quorate/ip';
      const metaData = await network.exec(name, ip, ['meta-data'], { env: { PATH: SYSTEM_PATH } });
      expect(metaData.code).toBe(0);
      expect(metaData.stdout).toContain('<resource-agent name="ip"');
    }
  });

  it('three bundled agents form a quorate cluster and leave on SIGTERM', async () => {
    const startedAt = performance.now();
    const agents = NAMES.map((name) => {
      const peers = NAMES.filter((peer) => peer !== name).flatMap((peer) => [
        '--peer',
        `${peer}=${network.host(peer).address}:${PORT}`,
      ]);
      // The hosts share the machine's /run, so each agent's control socket lives in its own state.
      const socket = ['--control-socket', '/var/lib/quorate/ricci.sock'];
      return spawnBundled(network, name, 'ricci', ['--node', name, ...peers, ...socket]);
    });
    await Promise.all(
      agents.map((agent) => waitForEvent(agent, 'quorum-changed', (e) => e.quorate === true)),
    );
    const quorateMs = Math.round(performance.now() - startedAt);
    const leaders = await Promise.all(
      agents.map((agent) =>
        waitForEvent(agent, 'leader-changed', (e) => typeof e.leader === 'string'),
      ),
    );
    expect(new Set(leaders.map((e) => `${e.leader}@${e.term}`)).size).toBe(1);
    for (const agent of agents) {
      // The process is the installed copy of the runtime, not a Node.js of the machine.
      expect(readlinkSync(`/proc/${agent.pid}/exe`)).toMatch(/\/bin\/quorate$/);
    }
    const rssKiB = agents.map((agent) => residentKiB(agent.pid));
    console.log(`bundled agents: quorate after ${quorateMs} ms; resident ${rssKiB.join(', ')} KiB`);
    for (const agent of agents) agent.kill('SIGTERM');
    for (const agent of agents) {
      expect(await agent.waitForExit(WAIT_MS)).toEqual({ code: 0, signal: null });
      expect(agent.output('stdout')).toMatch(/"event":"stopped"/);
    }
  });
});
