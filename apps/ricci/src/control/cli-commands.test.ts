import { runClustat, runClusvcadm, runCmanTool } from '@quorate/cli';
import { clusvcadmExitCode, parseXml, rgResults } from '@quorate/core';
import { describe, expect, test } from 'vitest';
import { agent, run } from '../../testing/cli-kit.js';

// The RHCS commands, in-process, against a real control socket whose provider is plain data
// (testing/cli-kit.ts): the seed walkthrough's three nodes seen from node2. cman_tool,
// fence_ack_manual and ccs_tool are in cli-admin-commands.test.ts; the daemon's own provider is
// tested end to end on test hosts.

describe('the seed walkthrough, typed as the seed types it', () => {
  test('clustat, cman_tool status, relocation, lock and unlock', async () => {
    const { env, cluster } = await agent();
    const clustat = await run(runClustat, env, []);
    expect(clustat.status).toBe(0);
    expect(clustat.stdout).toContain('Cluster Status for tcluster @ Thu Dec 10 17:58:33 2015\n');
    expect(clustat.stdout).toContain('Member Status: Quorate\n');
    expect(clustat.stdout.match(/ Online/g)).toHaveLength(3);
    expect(clustat.stdout).toContain(
      ' service:webservice             node3.magedu.com               started       \n',
    );

    const cman = (await run(runCmanTool, env, ['status'])).stdout.split('\n');
    for (const line of ['Nodes: 3', 'Expected votes: 3', 'Total votes: 3', 'Quorum: 2  ']) {
      expect(cman).toContain(line);
    }

    expect(await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'node1.magedu.com'])).toEqual({
      status: 0,
      stdout:
        'Trying to relocate service:webservice to node1.magedu.com...Success\n' +
        'service:webservice is now running on node1.magedu.com\n',
      stderr: '',
    });
    expect((await run(runClustat, env, ['-s', 'webservice'])).stdout).toContain(
      ' service:webservice             node1.magedu.com               started',
    );
    expect(await run(runClusvcadm, env, ['-l'])).toEqual({
      status: 0,
      stdout: 'Resource groups locked\n',
      stderr: '',
    });
    expect(await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'node2.magedu.com'])).toEqual({
      status: 255,
      stdout: 'Trying to relocate service:webservice to node2.magedu.com...Failure\n',
      stderr: '',
    });
    expect((await run(runClusvcadm, env, ['-S'])).stdout).toBe('Resource groups locked\n');
    expect((await run(runClusvcadm, env, ['-u'])).stdout).toBe('Resource groups unlocked\n');
    const moved = await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'node2.magedu.com']);
    expect(moved.status).toBe(0);
    expect(moved.stdout).toContain(
      '...Success\nservice:webservice is now running on node2.magedu.com\n',
    );
    expect(cluster.requests.filter((a) => a.type === 'rm')).toHaveLength(6);
  });

  test('clustat -x parses as XML; -Q and -I answer from the status', async () => {
    const { env, cluster } = await agent();
    const xml = await run(runClustat, env, ['-x']);
    expect(xml.status).toBe(0);
    expect(parseXml(xml.stdout).root.name).toBe('clustat');
    expect((await run(runClustat, env, ['-Q'])).status).toBe(0);
    expect((await run(runClustat, env, ['-I'])).stdout).toBe('0x00000002\n');
    cluster.state.quorum.quorate = false;
    expect(await run(runClustat, env, ['-Q'])).toEqual({ status: 1, stdout: '', stderr: '' });
  });

  test('clustat refuses bad options before connecting', async () => {
    const { env, cluster } = await agent();
    const unknown = await run(runClustat, env, ['-z']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^clustat: Unknown option '-z'.*\nusage: clustat/s);
    expect((await run(runClustat, env, ['-i', 'soon'])).stderr).toBe(
      'clustat: -i: "soon" is not a whole number of seconds\n',
    );
    expect((await run(runClustat, env, ['-h'])).status).toBe(0);
    expect(cluster.statusCalls).toBe(0);
  });

  test('clustat -s exits with the state code; -i refreshes until interrupted', async () => {
    const { env, cluster } = await agent();
    cluster.state.services[0]!.state = 'disabled';
    expect((await run(runClustat, env, ['-s', 'webservice'])).status).toBe(119);
    expect((await run(runClustat, env, ['-i', '1', '-x'])).stdout).toBe(
      "Error: Options '-i' and '-x' are mutually exclusive\n",
    );
    const interrupt = new AbortController();
    let screens = 0;
    const refreshing = await run(runClustat, env, ['-i', '1'], {
      signal: interrupt.signal,
      onStdout: (text) => {
        if (text.startsWith('\x1b[H\x1b[2J') && ++screens === 2) interrupt.abort();
      },
    });
    expect(screens).toBe(2);
    expect(refreshing.status).toBe(0);
    expect(cluster.statusCalls).toBe(3);
  });
});

describe('clusvcadm', () => {
  test('every result code rgmanager could return prints its string and exits as RHCS', async () => {
    const { env, cluster } = await agent();
    for (const result of Object.values(rgResults)) {
      cluster.override = (action) =>
        action.type === 'rm' ? { type: 'rm', ...result, owner: 'node3.magedu.com' } : undefined;
      const ran = await run(runClusvcadm, env, ['-d', 'webservice']);
      expect(ran.stdout, result.message).toBe(
        `Local machine disabling service:webservice...${result.message}\n`,
      );
      expect(ran.status, result.message).toBe(clusvcadmExitCode(result.code));
    }
    // Spot checks of the wrapping: -1 → 255, -9 → 247, "already running" → 0.
    expect([-1, -9, -10, -18].map(clusvcadmExitCode)).toEqual([255, 247, 0, 238]);
  });

  test('the words for each request, on this machine and on a member', async () => {
    const { env, cluster } = await agent();
    const cases: [string[], string][] = [
      [['-e', 'webservice'], 'Local machine trying to enable service:webservice...Success\n'],
      [
        ['-e', 'web', '-m', 'node1.magedu.com'],
        'Member node1.magedu.com trying to enable service:web...',
      ],
      [['-s', 'webservice'], 'Local machine stopping service:webservice...Success\n'],
      [['-R', 'webservice'], 'Local machine trying to restart service:webservice...Success\n'],
      [['-Z', 'webservice'], 'Local machine freezing service:webservice...Success\n'],
      [['-U', 'webservice'], 'Local machine unfreezing service:webservice...Success\n'],
      [['-c', 'webservice'], 'Local machine convalescing service:webservice...Success\n'],
      [
        ['-M', 'vm:guest', '-m', 'node3.magedu.com'],
        'Trying to migrate vm:guest to node3.magedu.com...',
      ],
      [['-r', 'webservice'], 'Trying to relocate service:webservice...Success\n'],
    ];
    for (const [argv, start] of cases) {
      expect((await run(runClusvcadm, env, argv)).stdout.startsWith(start), argv.join(' ')).toBe(
        true,
      );
    }
    expect(cluster.requests.map((a) => a.type === 'rm' && a.request)).toEqual([
      { kind: 'enable', service: 'service:webservice' },
      { kind: 'enable', service: 'service:web', target: 'node1.magedu.com' },
      { kind: 'stop', service: 'service:webservice' },
      { kind: 'restart', service: 'service:webservice' },
      { kind: 'freeze', service: 'service:webservice' },
      { kind: 'unfreeze', service: 'service:webservice' },
      { kind: 'convalesce', service: 'service:webservice' },
      { kind: 'migrate', service: 'vm:guest', target: 'node3.magedu.com' },
      { kind: 'relocate', service: 'service:webservice' },
    ]);
  });

  test('-m: unknown members, the closest match, an offline migration target', async () => {
    const { env, cluster } = await agent();
    expect(await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'web9'])).toEqual({
      status: 1,
      stdout: "'web9' not in membership list\nNo matches for 'web9' found\n",
      stderr: '',
    });
    expect((await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'node'])).stdout).toBe(
      "'node' not in membership list\nMore than one possible match for 'node' found\n",
    );
    const closest = await run(runClusvcadm, env, ['-r', 'webservice', '-m', 'node1']);
    expect(closest.stdout).toBe(
      "'node1' not in membership list\nClosest match: 'node1.magedu.com'\n" +
        'Trying to relocate service:webservice to node1.magedu.com...Success\n' +
        'service:webservice is now running on node1.magedu.com\n',
    );
    cluster.state.members[2]!.online = false;
    expect(await run(runClusvcadm, env, ['-M', 'vm:guest', '-m', 'node3.magedu.com'])).toEqual({
      status: 1,
      stdout: "'node3.magedu.com' is offline\n",
      stderr: '',
    });
    expect(cluster.requests).toHaveLength(1);
  });

  test('a service that lands elsewhere than asked is a warning', async () => {
    const { env, cluster } = await agent();
    cluster.override = () => ({ type: 'rm', ...rgResults.success, owner: 'node3.magedu.com' });
    const ran = await run(runClusvcadm, env, ['-e', 'webservice', '-m', 'node1.magedu.com']);
    expect(ran.stdout).toContain(
      '\nWarning: service:webservice is now running on node3.magedu.com\n',
    );
  });

  test('usage errors and -q', async () => {
    const { env, cluster } = await agent();
    expect((await run(runClusvcadm, env, ['-M', 'vm:guest'])).stdout).toBe(
      'Migration requires a target cluster member\n',
    );
    expect(await run(runClusvcadm, env, ['-e', 'web', '-F', '-m', 'node1'])).toEqual({
      status: 1,
      stdout: '',
      stderr: "Cannot use '-F' with '-n' or '-m'\n",
    });
    const nothing = await run(runClusvcadm, env, []);
    expect(nothing.status).toBe(1);
    expect(nothing.stdout).toMatch(/^usage: clusvcadm/);
    const bad = await run(runClusvcadm, env, ['-X']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^clusvcadm: Unknown option '-X'/);
    expect(await run(runClusvcadm, env, ['-q', '-r', 'webservice'])).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(cluster.requests).toHaveLength(1);
  });

  test('with the resource manager down: "Could not connect to resource group manager"', async () => {
    const { env, cluster } = await agent();
    cluster.state.resourceManager.running = false;
    expect(await run(runClusvcadm, env, ['-e', 'webservice'])).toEqual({
      status: 1,
      stdout:
        'Local machine trying to enable service:webservice...Could not connect to resource group manager\n',
      stderr: '',
    });
  });

  test('a failed lock prints the reason and "Lock operation failed"', async () => {
    const { env, cluster } = await agent();
    cluster.override = () => ({ type: 'rm', ...rgResults.needsQuorum, owner: null });
    expect(await run(runClusvcadm, env, ['-l'])).toEqual({
      status: 1,
      stdout: 'Lock operation failed\n',
      stderr: 'clusvcadm: Operation requires quorum\n',
    });
  });
});
