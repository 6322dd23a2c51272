import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HostProcess } from './host-process.js';
import { findRunFootprint, readNetworkState } from './isolation.js';
import { runPaths } from './layout.js';
import { probe, startProbeServer } from './probes.js';
import {
  isRunning,
  type NamespaceId,
  namespaceIdOf,
  processesInNamespaces,
  readMounts,
  readStartTime,
} from './procfs.js';
import { e2eSkipReason } from './requirements.js';
import { readProcessRecords } from './run-record.js';
import { runNetworkNamespaces } from './sweep.js';
import { TestNetwork } from './test-network.js';

const skipReason = e2eSkipReason();
// A reply on one bridge takes well under a millisecond; a probe that must fail waits this long.
const cutTimeout = { timeoutMs: 600 };
const okTimeout = { timeoutMs: 5_000 };

// Probes start a Node.js process each; a loaded CI machine gets room before a test times out.
const slowTests = { timeout: 60_000 };

describe.skipIf(skipReason !== undefined)(
  `a 3+2 host test network ${skipReason ?? ''}`,
  slowTests,
  () => {
    let network: TestNetwork;
    const servers = new Map<string, HostProcess>();
    const address = (name: string) => network.host(name).address;
    const tcp = (from: string, to: string, options = okTimeout) =>
      probe(network, from, 'tcp', address(to), options);
    const udp = (from: string, to: string, payload: string, options = cutTimeout) =>
      probe(network, from, 'udp', address(to), { ...options, payload });
    const restartServer = async (name: string) => {
      servers.set(name, await startProbeServer(network, name));
    };

    beforeAll(async () => {
      network = await TestNetwork.create({ clusterHosts: 3 });
      await Promise.all([...network.hosts.keys()].map(restartServer));
    }, 60_000);

    afterAll(async () => {
      await network?.destroy();
    });

    test('every host has its own namespaces, hostname and address, and no default route', async () => {
      expect([...network.hosts.keys()]).toEqual(['node1', 'node2', 'node3', 'client', 'console']);
      const namespaces = [...network.hosts.values()].map((host) => host.namespace);
      expect(runNetworkNamespaces(network.runId)).toEqual(
        [...namespaces, `qr${network.runId}-sw`].sort(),
      );
      for (const host of network.hosts.values()) {
        const hostname = await network.exec(host.name, 'hostname');
        expect(hostname.stdout.trim()).toBe(host.name);
        const state = await readNetworkState(host.namespace);
        const eth0 = state.addresses.find((entry) => entry.ifname === 'eth0');
        expect(eth0?.addr_info?.map((info) => info.local)).toEqual([host.address]);
        expect(state.routes.map((route) => route.dst)).not.toContain('default');
      }
      const rootNet = namespaceIdOf('/proc/self/ns/net');
      const hostNets = namespaces.map((name) => namespaceIdOf(`/run/netns/${name}`)?.ino);
      expect(new Set(hostNets).size).toBe(namespaces.length);
      expect(hostNets).not.toContain(rootNet?.ino);
    });

    test('the root namespace holds no link, address or route of the run; the hosts do', async () => {
      const footprint = {
        runId: network.runId,
        subnet: network.subnet,
        macs: [...network.hosts.values()].map((host) => host.mac),
      };
      expect(findRunFootprint(await readNetworkState(), footprint)).toEqual([]);
      // The same inspection finds the run's objects where they are, so an empty answer means something.
      const node1 = findRunFootprint(
        await readNetworkState(network.host('node1').namespace),
        footprint,
      );
      expect(node1).toContain(`address ${address('node1')} on eth0`);
      const sw = findRunFootprint(await readNetworkState(`qr${network.runId}-sw`), footprint);
      expect(sw.some((line) => line.startsWith('link br0'))).toBe(true);
    });

    test('TCP echo works from inside every host to every cluster host', async () => {
      const pairs = ['node1', 'node2', 'node3', 'client', 'console'].flatMap((from) =>
        network.clusterHosts.filter((to) => to.name !== from).map((to) => [from, to.name] as const),
      );
      const results = await Promise.all(pairs.map(([from, to]) => tcp(from, to)));
      expect(results).toEqual(pairs.map(([, to]) => ({ ok: true, reply: `${to} ping` })));
    });

    test('each host has its own /etc/cluster and state directory', async () => {
      const write = (host: string, path: string, text: string) =>
        network.exec(host, process.execPath, [
          '-e',
          `require('fs').writeFileSync('${path}', '${text}')`,
        ]);
      expect((await write('node1', '/etc/cluster/cluster.conf', 'from node1')).code).toBe(0);
      expect((await write('node2', '/var/lib/quorate/term', 'from node2')).code).toBe(0);
      expect((await network.exec('node2', 'test', ['-e', '/etc/cluster/cluster.conf'])).code).toBe(
        1,
      );
      expect((await network.exec('node1', 'test', ['-e', '/var/lib/quorate/term'])).code).toBe(1);
      expect((await network.exec('node3', 'test', ['-d', '/opt/quorate'])).code).toBe(0);
      const node1Folder = network.host('node1').paths.mounts['/etc/cluster'];
      expect(readFileSync(join(node1Folder, 'cluster.conf'), 'utf8')).toBe('from node1');
      const rootCopy = '/etc/cluster/cluster.conf';
      expect(existsSync(rootCopy) && readFileSync(rootCopy, 'utf8') === 'from node1').toBe(false);
      expect(existsSync('/var/lib/quorate/term')).toBe(false);
    });

    test('a cut both ways between two hosts drops both directions until healed', async () => {
      await network.cutLink('node1', 'node2');
      const [oneToTwo, twoToOne, oneToThree, threeToTwo] = await Promise.all([
        tcp('node1', 'node2', cutTimeout),
        tcp('node2', 'node1', cutTimeout),
        tcp('node1', 'node3'),
        tcp('node3', 'node2'),
      ]);
      expect(oneToTwo).toEqual({ ok: false, reason: 'timeout' });
      expect(twoToOne).toEqual({ ok: false, reason: 'timeout' });
      expect(oneToThree.ok && threeToTwo.ok).toBe(true);
      await network.healLink('node1', 'node2');
      expect(network.currentBlocks()).toEqual([]);
      const healed = await Promise.all([tcp('node1', 'node2'), tcp('node2', 'node1')]);
      expect(healed.every((result) => result.ok)).toBe(true);
    });

    test('a one-way cut drops datagrams in that direction only', async () => {
      await network.cutLink('node1', 'node2', { oneWay: true });
      // node2 → node1 arrives (node1 logs it); node1's reply back to node2 is what gets dropped.
      expect(await udp('node2', 'node1', 'two-to-one')).toEqual({ ok: false, reason: 'timeout' });
      await servers.get('node1')!.waitForLine(`udp two-to-one from ${address('node2')}`, 2_000);
      expect(await udp('node1', 'node2', 'one-to-two')).toEqual({ ok: false, reason: 'timeout' });
      expect(servers.get('node2')!.output()).not.toContain('one-to-two');
      await network.healAll();
      expect(await udp('node1', 'node2', 'one-to-two-healed', okTimeout)).toEqual({
        ok: true,
        reply: 'node2 one-to-two-healed',
      });
    });

    test('a host cut inbound only, outbound only, and both ways', async () => {
      const client = servers.get('client')!;
      const node3 = servers.get('node3')!;
      await network.cutHost('node3', 'inbound');
      expect((await tcp('client', 'node3', cutTimeout)).ok).toBe(false);
      await udp('node3', 'client', 'out-while-inbound-cut');
      await client.waitForLine(`udp out-while-inbound-cut from ${address('node3')}`, 2_000);
      await network.healHost('node3');

      await network.cutHost('node3', 'outbound');
      await udp('client', 'node3', 'in-while-outbound-cut');
      await node3.waitForLine(`udp in-while-outbound-cut from ${address('client')}`, 2_000);
      await udp('node3', 'client', 'out-while-outbound-cut');
      expect(client.output()).not.toContain('out-while-outbound-cut');
      await network.healHost('node3');

      await network.cutHost('node3');
      const cut = await Promise.all([
        tcp('node3', 'node1', cutTimeout),
        tcp('node1', 'node3', cutTimeout),
      ]);
      expect(cut.map((result) => result.ok)).toEqual([false, false]);
      await network.healHost('node3');
      expect(await tcp('client', 'node3')).toEqual({ ok: true, reply: 'node3 ping' });
    });

    test('power off kills every process in the host and downs its link; power on restores it', async () => {
      // A process that forks a child the harness never recorded: power off must reach it too.
      const forker = network.spawn('node2', process.execPath, [
        '-e',
        `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
       console.log('child ' + c.pid);`,
      ]);
      const grandchildPid = Number((await forker.waitForLine(/^child \d+$/, 10_000)).split(' ')[1]);
      const grandchild = { pid: grandchildPid, startTime: readStartTime(grandchildPid) ?? -1 };
      expect(isRunning(grandchild)).toBe(true);
      const server = servers.get('node2')!;

      await network.powerOff('node2');
      expect((await server.waitForExit(5_000)).signal).toBe('SIGKILL');
      expect(isRunning(grandchild)).toBe(false);
      const node2 = network.host('node2');
      const node2Namespaces = [
        namespaceIdOf(`/run/netns/${node2.namespace}`),
        namespaceIdOf(node2.paths.mountNamespaceFile),
      ].filter((id): id is NamespaceId => id !== undefined);
      expect(node2Namespaces).toHaveLength(2);
      expect(processesInNamespaces(node2Namespaces)).toEqual([]);
      expect(network.isPoweredOn('node2')).toBe(false);
      expect((await tcp('client', 'node2', cutTimeout)).ok).toBe(false);

      await network.powerOn('node2');
      await restartServer('node2');
      expect(await tcp('client', 'node2')).toEqual({ ok: true, reply: 'node2 ping' });
    });

    test('a floating address answers on the host that holds it and moves with a gratuitous ARP', async () => {
      const floating = `${network.subnet}.100`;
      const viaFloating = () => probe(network, 'client', 'tcp', floating, okTimeout);
      await network.addAddress('node1', floating);
      expect(await viaFloating()).toEqual({ ok: true, reply: 'node1 ping' });
      await network.moveAddress(floating, 'node1', 'node2');
      expect(network.floatingAddresses('node2')).toEqual([floating]);
      expect(await viaFloating()).toEqual({ ok: true, reply: 'node2 ping' });
      await network.removeAddress('node2', floating);
      const gone = await probe(network, 'client', 'tcp', floating, cutTimeout);
      expect(gone.ok).toBe(false);
      await expect(network.addAddress('node3', address('node1'))).rejects.toThrow(/node1's own/);
    });

    test('every process started on a host is recorded with its start time', () => {
      const records = readProcessRecords(network.runId);
      expect(records.length).toBe(network.processes.length);
      for (const server of servers.values()) {
        const record = records.find((entry) => entry.pid === server.pid);
        expect(record?.startTime).toBe(readStartTime(server.pid));
        expect(record?.host).toBe(server.host);
      }
    });

    test('destroy leaves no namespace, mount, process or folder behind', async () => {
      const recorded = readProcessRecords(network.runId);
      expect(recorded.filter(isRunning).length).toBeGreaterThanOrEqual(5);
      const report = await network.destroy();
      expect(report.deletedNamespaces).toHaveLength(6);
      expect(runNetworkNamespaces(network.runId)).toEqual([]);
      expect(readMounts().filter((entry) => entry.mountPoint.includes(network.runId))).toEqual([]);
      expect(recorded.filter(isRunning)).toEqual([]);
      expect(existsSync(runPaths(network.runId).root)).toBe(false);
    });
  },
);
