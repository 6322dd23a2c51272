// The runners and agents on real test hosts (e2e harness): a floating IP and a web server's
// init script that move from node1 to node2 as a relocation would move them, an ext4 image
// mounted on at most one host, Debian's IPaddr2, and the test-host fence agent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  e2eSkipReason,
  type FenceControl,
  fenceTestHostAgent,
  probe,
  serveFenceControl,
  startProbeServer,
  TestNetwork,
} from '@quorate/e2e';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWebService } from '../../testing/web-service.js';
import { FenceAgentRunner } from './fence-agent-runner.js';
import { ResourceAgentRunner } from './resource-agent-runner.js';
import { debianAgentsSkipReason } from './test-requirements.js';

const skip = e2eSkipReason() ?? debianAgentsSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'quorate-agents-on-hosts-'));
const webPort = 8080;

describe.skipIf(skip)('agents on test hosts', () => {
  let network: TestNetwork;
  const runners = new Map<string, ResourceAgentRunner>();

  /** Runs agents inside a host, as that host's ricci will. */
  const inHost = (host: string) => {
    const h = network.host(host);
    return [
      'nsenter',
      `--mount=${h.paths.mountNamespaceFile}`,
      `--uts=${h.paths.utsNamespaceFile}`,
      `--net=/run/netns/${h.namespace}`,
      '--',
    ];
  };
  const agentOn = (host: string) => {
    let runner = runners.get(host);
    if (!runner) {
      runner = new ResourceAgentRunner({
        commandPrefix: inHost(host),
        baseEnv: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', WEB_ADDRESS: floating },
      });
      runners.set(host, runner);
    }
    return runner;
  };
  const run = async (
    host: string,
    type: string,
    action: string,
    attributes: Record<string, string>,
  ) => {
    const result = await agentOn(host).run({ type, action, attributes });
    if (result.outcome.kind !== 'ocf')
      throw new Error(`${type} ${action}: ${JSON.stringify(result)}`);
    return result.outcome.name;
  };
  let floating = '';

  beforeAll(async () => {
    network = await TestNetwork.create({ clusterHosts: 2, console: false });
    floating = `${network.subnet}.100`;
  }, 60_000);
  afterAll(async () => {
    await network?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page the client gets from the floating IP, and the MAC its neighbour cache holds. */
  async function fetchFromClient(): Promise<{ page: string; mac: string | undefined }> {
    const fetchScript = `require('node:http').get(process.argv[1], { timeout: 5000 }, (res) => {
      res.setEncoding('utf8'); let body = ''; res.on('data', (c) => { body += c; });
      res.on('end', () => process.stdout.write(body)); }).on('error', (e) => { console.error(e.message); process.exit(1); });`;
    const got = await network.exec(
      'client',
      process.execPath,
      ['-e', fetchScript, `http://${floating}:${webPort}/`],
      {
        timeoutMs: 10_000,
      },
    );
    const neighbour = await network.exec('client', 'ip', ['neigh', 'show', floating]);
    const mac = /lladdr (\S+)/.exec(neighbour.stdout)?.[1];
    return { page: got.stdout.trim() || got.stderr.trim(), mac };
  }

  it('moves an ip and a script service from node1 to node2', async () => {
    const script = writeWebService(dir, `"$WEB_ADDRESS" ${webPort}`);
    const ip = { address: floating, monitor_link: '1' };
    const web = { name: 'web', file: script };
    const timings: Record<string, number> = {};
    const timed = async (label: string, action: () => Promise<string>) => {
      const started = performance.now();
      const outcome = await action();
      timings[label] = Math.round(performance.now() - started);
      return outcome;
    };

    expect(await run('node1', 'ip', 'status', ip)).toBe('notRunning');
    expect(
      await timed('start on node1', async () => {
        const a = await run('node1', 'ip', 'start', ip);
        const b = await run('node1', 'script', 'start', web);
        return `${a} ${b}`;
      }),
    ).toBe('success success');
    expect(await run('node1', 'ip', 'status', ip)).toBe('success');
    expect(await run('node1', 'script', 'status', web)).toBe('success');
    expect(await fetchFromClient()).toEqual({
      page: 'hello from node1',
      mac: network.host('node1').mac,
    });

    expect(
      await timed('relocate to node2', async () => {
        const stops = [
          await run('node1', 'script', 'stop', web),
          await run('node1', 'ip', 'stop', ip),
        ];
        const starts = [
          await run('node2', 'ip', 'start', ip),
          await run('node2', 'script', 'start', web),
        ];
        return [...stops, ...starts].join(' ');
      }),
    ).toBe('success success success success');
    expect(await run('node1', 'ip', 'status', ip)).toBe('notRunning');
    expect(await run('node1', 'script', 'status', web)).toBe('notRunning');
    expect(await fetchFromClient()).toEqual({
      page: 'hello from node2',
      mac: network.host('node2').mac,
    });

    expect(await run('node2', 'script', 'stop', web)).toBe('success');
    expect(await run('node2', 'ip', 'stop', ip)).toBe('success');
    console.info(`ip+script timings (ms): ${JSON.stringify(timings)}`);
  });

  it('adds, checks and removes an IPv6 address after duplicate address detection', async () => {
    await network.exec('node1', 'ip', [
      '-6',
      'addr',
      'add',
      'fd00:231::1/64',
      'dev',
      'eth0',
      'nodad',
    ]);
    const ip = { address: 'fd00:231::10' };
    expect(await run('node1', 'ip', 'start', ip)).toBe('success');
    const shown = await network.exec('node1', 'ip', ['-6', '-o', 'addr', 'show', 'dev', 'eth0']);
    expect(shown.stdout).toMatch(/inet6 fd00:231::10\/64 scope global \\/);
    expect(await run('node1', 'ip', 'status', ip)).toBe('success');
    expect(await run('node1', 'ip', 'stop', ip)).toBe('success');
    expect(await run('node1', 'ip', 'status', ip)).toBe('notRunning');
  });

  it('moves an fs on an ext4 image, mounted on at most one host at any time', async () => {
    const image = join(dir, 'shared-disk.img');
    execFileSync('truncate', ['-s', '32M', image]);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    const device = execFileSync('losetup', ['--find', '--show', image], {
      encoding: 'utf8',
    }).trim();
    try {
      const mountpoint = '/var/lib/quorate/data';
      const fs = { name: 'data', device, mountpoint, fstype: 'ext4', force_fsck: '1' };
      const mountedOn = async () => {
        const hosts: string[] = [];
        for (const host of network.hosts.keys()) {
          const mounts = await network.exec(host, 'cat', ['/proc/self/mounts']);
          if (mounts.stdout.split('\n').some((line) => line.startsWith(`${device} `)))
            hosts.push(host);
        }
        if (readFileSync('/proc/self/mounts', 'utf8').includes(`${device} `)) hosts.push('(root)');
        return hosts;
      };

      expect(await run('node1', 'fs', 'status', fs)).toBe('notRunning');
      expect(await run('node1', 'fs', 'start', fs)).toBe('success');
      expect(await mountedOn()).toEqual(['node1']);
      await network.exec('node1', 'sh', ['-c', `hostname > ${mountpoint}/owner`]);
      expect(
        await agentOn('node1').run({ type: 'fs', action: 'status', attributes: fs, depth: 20 }),
      ).toMatchObject({
        outcome: { name: 'success' },
      });

      const busy = network.spawn('node1', 'sh', [
        '-c',
        `cd ${mountpoint} && echo ready && exec sleep 300`,
      ]);
      await busy.waitForLine(/ready/, 5_000);
      expect(await run('node1', 'fs', 'stop', fs)).toBe('errGeneric');
      expect(await mountedOn()).toEqual(['node1']);
      expect(await run('node1', 'fs', 'stop', { ...fs, force_unmount: '1' })).toBe('success');
      expect((await busy.waitForExit(5_000)).signal).toBe('SIGKILL');
      expect(await mountedOn()).toEqual([]);

      expect(await run('node2', 'fs', 'start', fs)).toBe('success');
      expect(await mountedOn()).toEqual(['node2']);
      const owner = await network.exec('node2', 'cat', [`${mountpoint}/owner`]);
      expect(owner.stdout).toBe('node1\n');
      expect(await run('node2', 'fs', 'stop', fs)).toBe('success');
      expect(await mountedOn()).toEqual([]);
    } finally {
      execFileSync('losetup', ['-d', device]);
    }
  });

  it("runs Debian's IPaddr2 as a floating IP the client reaches", async () => {
    const vip = `${network.subnet}.101`;
    const attributes = { ip: vip, cidr_netmask: '24' };
    await startProbeServer(network, 'node2');
    expect(await run('node2', 'ocf:heartbeat:IPaddr2', 'monitor', attributes)).toBe('notRunning');
    expect(await run('node2', 'ocf:heartbeat:IPaddr2', 'start', attributes)).toBe('success');
    expect(await run('node2', 'ocf:heartbeat:IPaddr2', 'monitor', attributes)).toBe('success');
    const reply = await probe(network, 'client', 'tcp', vip, { timeoutMs: 5_000 });
    expect(reply).toMatchObject({ ok: true, reply: expect.stringContaining('node2') });
    expect(await run('node2', 'ocf:heartbeat:IPaddr2', 'stop', attributes)).toBe('success');
    expect(await run('node2', 'ocf:heartbeat:IPaddr2', 'monitor', attributes)).toBe('notRunning');
  });

  describe('fence_testhost', () => {
    let control: FenceControl;
    beforeAll(async () => {
      control = await serveFenceControl(network);
    });
    afterAll(() => control?.close());

    it('powers node1 off (processes killed, link down) and on, run from node2', async () => {
      const fencer = new FenceAgentRunner({
        agentDirs: [dirname(fenceTestHostAgent)],
        commandPrefix: inHost('node2'),
        baseEnv: { PATH: `${dirname(process.execPath)}:/usr/sbin:/usr/bin:/sbin:/bin` },
      });
      const device = { agent: 'fence_testhost', socket: control.socketPath };
      const fence = (action: 'off' | 'on' | 'reboot' | 'status' | 'list') =>
        fencer.run({
          agent: 'fence_testhost',
          action,
          device,
          nodeArgs: { port: 'node1' },
          nodename: 'node1',
        });
      const victim = network.spawn('node1', 'sh', ['-c', 'echo up && exec sleep 300']);
      await victim.waitForLine(/up/, 5_000);
      const ip = { address: `${network.subnet}.102` };
      expect(await run('node1', 'ip', 'start', ip)).toBe('success');

      expect((await fence('status')).outcome).toEqual({ kind: 'power', state: 'on' });
      expect((await fence('off')).outcome).toEqual({ kind: 'success' });
      expect((await victim.waitForExit(5_000)).signal).toBe('SIGKILL');
      expect(network.isPoweredOn('node1')).toBe(false);
      // Power off loses what the host held in memory: the floating address is gone.
      expect(await run('node1', 'ip', 'status', ip)).toBe('notRunning');
      expect((await fence('status')).outcome).toEqual({ kind: 'power', state: 'off' });

      expect((await fence('on')).outcome).toEqual({ kind: 'success' });
      expect((await fence('status')).outcome).toEqual({ kind: 'power', state: 'on' });
      // It does not come back with the power: a rebooted host starts without it.
      expect(await run('node1', 'ip', 'status', ip)).toBe('notRunning');
      expect(await run('node1', 'ip', 'stop', ip)).toBe('success');
      const rebooter = network.spawn('node1', 'sh', ['-c', 'echo up && exec sleep 300']);
      await rebooter.waitForLine(/up/, 5_000);
      expect((await fence('reboot')).outcome).toEqual({ kind: 'success' });
      expect((await rebooter.waitForExit(5_000)).signal).toBe('SIGKILL');
      expect(network.isPoweredOn('node1')).toBe(true);
      const list = await fence('list');
      expect(list.stdout).toBe('node1,\nnode2,\n');
      expect(control.requests.map((r) => r.action)).toEqual([
        'status',
        'off',
        'status',
        'on',
        'status',
        'off',
        'on',
        'list',
      ]);
    });
  });
});
