// A power-off takes from a host what a reboot would not keep: addresses a resource agent added
// and file systems it mounted. What the harness set up when it made the host stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHostState } from './host-state.js';
import { e2eSkipReason } from './requirements.js';
import { TestNetwork } from './test-network.js';

const skip = e2eSkipReason();

describe.skipIf(skip)('power-off of a test host', () => {
  let network: TestNetwork;
  const state = () => {
    const host = network.host('node1');
    return readHostState({
      namespace: host.namespace,
      mountNamespaceFile: host.paths.mountNamespaceFile,
    });
  };
  const run = async (command: string, args: string[]) => {
    const result = await network.exec('node1', command, args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  beforeAll(async () => {
    network = await TestNetwork.create({ clusterHosts: 1, client: false, console: false });
  }, 60_000);
  afterAll(async () => {
    await network?.destroy();
  }, 60_000);

  it('drops the addresses and mounts a resource agent added, and keeps the host its own', async () => {
    const host = network.host('node1');
    const floating = `${network.subnet}.150`;
    // What the ip and fs agents do on start, done by hand inside the host.
    await run('ip', ['addr', 'add', `${floating}/24`, 'dev', 'eth0']);
    await run('mkdir', ['-p', '/var/lib/quorate/data']);
    await run('mount', ['-t', 'tmpfs', 'data', '/var/lib/quorate/data']);
    const before = await state();
    expect(before.addresses).toEqual([host.address, floating]);
    expect(before.mounts.filter((m) => !network.bootMountIds('node1').has(m.id))).toMatchObject([
      { target: '/var/lib/quorate/data', fsType: 'tmpfs', source: 'data' },
    ]);
    const changes: string[] = [];
    network.onPowerChange((name, on) => changes.push(`${name} ${on ? 'on' : 'off'}`));

    await network.powerOff('node1');
    const after = await state();
    expect(after.addresses).toEqual([host.address]);
    expect(after.mounts.map((m) => m.id).sort()).toEqual([...network.bootMountIds('node1')].sort());
    await network.powerOn('node1');
    expect(changes).toEqual(['node1 off', 'node1 on']);
  });
});
