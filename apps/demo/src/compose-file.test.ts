// docker-compose.yml and the Dockerfile: `docker-compose config -q` accepts the file, and the node
// containers install and run the agent bundle with the commands the test hosts use
// (e2e/src/bundle-launch.ts, called here with a recording stand-in for the test network).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClusterConf, validateClusterConf } from '@quorate/core';
import { installBundle, spawnBundled, type TestNetwork } from '@quorate/e2e';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from './demo-layout.js';

const composePath = join(repositoryRoot, 'docker-compose.yml');
const dockerfile = readFileSync(join(repositoryRoot, 'Dockerfile'), 'utf8');
const NODES = ['node1', 'node2', 'node3'];
const AGENT_PORT = 11111;

interface ComposeService {
  command?: string[];
  build?: { target?: string };
  cap_add?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] };
  environment?: Record<string, string>;
  networks?: Record<string, { ipv4_address?: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, { ipam: { config: Array<{ subnet: string; ip_range: string }> } }>;
}

const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
const service = (name: string) => compose.services[name] as ComposeService;
const addressOf = (name: string) => service(name).networks?.cluster?.ipv4_address;

/** What the test-host helpers run, recorded instead of run inside a namespace. */
function testHostCommands() {
  const calls: Array<{ command: string; args: readonly string[] }> = [];
  const network = {
    exec: async (_host: string, command: string, args: readonly string[]) => {
      calls.push({ command, args });
      return { code: 0, stdout: '', stderr: '' };
    },
    spawn: (_host: string, command: string, args: readonly string[]) => {
      calls.push({ command, args });
      return {};
    },
  } as unknown as TestNetwork;
  return { calls, network };
}

/** An IPv4 address as a number, and whether it lies in `cidr`. */
const ipNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

describe('docker-compose.yml', () => {
  it('passes docker-compose config -q', (context) => {
    const found = spawnSync('docker-compose', ['--version'], { encoding: 'utf8' });
    if (found.error) {
      // CI installs Debian's docker-compose (.ci/run); elsewhere its absence is a skip.
      if (process.env.CI === 'true') throw new Error('docker-compose is not installed');
      context.skip('docker-compose is not installed (apt-get install docker-compose)');
    }
    execFileSync('docker-compose', ['-f', composePath, 'config', '-q'], { cwd: repositoryRoot });
  });

  it('installs the bundle in the agent image with the test hosts’ install.sh command', async () => {
    const { calls, network } = testHostCommands();
    await installBundle(network, 'node1', '/tmp/quorate-agent');
    const install = calls[0]!;
    expect(dockerfile).toContain(`${install.command} ${install.args.join(' ')}`);
    expect(dockerfile).toMatch(
      /COPY apps\/ricci\/bundle\/out\/quorate-agent-\*-linux-x64\.tar\.gz/,
    );
    for (const node of NODES) expect(service(node).build?.target).toBe('agent');
  });

  it('starts each node’s agent as the test hosts start a bundled agent', () => {
    const { calls, network } = testHostCommands();
    for (const node of NODES) {
      const peers = NODES.filter((peer) => peer !== node).flatMap((peer) => [
        '--peer',
        `${peer}=${addressOf(peer)}:${AGENT_PORT}`,
      ]);
      const socket = service(node).environment?.QUORATE_SOCKET ?? '';
      spawnBundled(network, node, 'ricci', ['--node', node, ...peers, '--control-socket', socket]);
      const expected = calls.at(-1)!;
      expect(service(node).command).toEqual([expected.command, ...expected.args]);
      expect(socket).toMatch(/^\/var\/lib\/quorate\//);
      expect(service(node).volumes).toEqual(
        expect.arrayContaining([`${node}-state:/var/lib/quorate`, `${node}-cluster:/etc/cluster`]),
      );
    }
  });

  it('makes the certificates with the bundle’s quorate cert, as the test hosts do', () => {
    const { calls, network } = testHostCommands();
    spawnBundled(network, 'node1', 'quorate', ['cert']);
    const init = readFileSync(join(repositoryRoot, 'apps/demo/docker/init-volumes.sh'), 'utf8');
    expect(init).toContain(`${calls[0]!.command} cert ca --cluster compose --dir`);
    expect(init).toContain(`${calls[0]!.command} cert node "$node" --dir`);
  });

  it('gives the ip agent NET_ADMIN, a floating address outside the container range, and health checks', () => {
    const conf = parseClusterConf(
      readFileSync(join(repositoryRoot, 'apps/demo/docker/cluster.conf'), 'utf8'),
    );
    expect(validateClusterConf(conf, 'runnable').errors).toEqual([]);
    expect(conf.nodes.map((node) => node.name)).toEqual(NODES);
    const floating = conf.rm?.services[0]?.children.find((child) => child.type === 'ip')?.params
      .address;
    const [range] = compose.networks.cluster?.ipam.config ?? [];
    expect(floating && range).toBeTruthy();
    expect(inCidr(floating!, range!.subnet)).toBe(true);
    expect(inCidr(floating!, range!.ip_range)).toBe(false);
    for (const name of [...NODES, 'console']) {
      const address = addressOf(name)!;
      expect(inCidr(address, range!.ip_range), `${name} ${address}`).toBe(true);
      expect(service(name).healthcheck?.test?.[0]).toBe('CMD');
    }
    for (const node of NODES) expect(service(node).cap_add).toContain('NET_ADMIN');
  });
});
