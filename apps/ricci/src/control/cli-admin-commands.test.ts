import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCcsTool, runClustat, runClusvcadm, runCmanTool, runFenceAckManual } from '@quorate/cli';
import { versionNotGreaterMessage } from '@quorate/core';
import { describe, expect, test } from 'vitest';
import { agent, run, scratch, seedConf } from '../../testing/cli-kit.js';

// cman_tool, fence_ack_manual and ccs_tool, in-process, against a real control socket whose
// provider is plain data (testing/cli-kit.ts); clustat and clusvcadm are in cli-commands.test.ts.

describe('cman_tool', () => {
  test('nodes, version, expected, votes, leave remove, kill, join go to the agent', async () => {
    const { env, cluster } = await agent();
    const nodes = await run(runCmanTool, env, ['nodes', '-a']);
    expect(nodes.stdout.split('\n').slice(0, 3)).toEqual([
      'Node  Sts   Inc   Joined               Name',
      '   1   M      1   2015-12-10 17:57:33  node1.magedu.com',
      '       Addresses: 192.168.41.131 ',
    ]);
    expect((await run(runCmanTool, env, ['version'])).stdout).toBe('6.2.0 config 5\n');
    for (const argv of [
      ['expected', '-e', '2'],
      ['votes', '-v', '3'],
      ['leave', 'remove'],
      ['kill', '-n', 'node3.magedu.com'],
      ['join'],
    ]) {
      expect(await run(runCmanTool, env, argv), argv.join(' ')).toEqual({
        status: 0,
        stdout: '',
        stderr: '',
      });
    }
    expect(cluster.requests.map((a) => a.type === 'node' && a.request)).toEqual([
      { kind: 'expected', votes: 2 },
      { kind: 'votes', votes: 3 },
      { kind: 'leave', remove: true, force: false },
      { kind: 'kill', node: 'node3.magedu.com' },
      { kind: 'join' },
    ]);
  });

  test("refusals print cman_tool's words and exit 1; bad arguments never reach the agent", async () => {
    const { env, cluster } = await agent();
    cluster.override = () => ({
      type: 'node',
      ok: false,
      message: 'node3.magedu.com is not fenced',
    });
    expect(await run(runCmanTool, env, ['expected', '-e', '1'])).toEqual({
      status: 1,
      stdout: '',
      stderr: "cman_tool: can't set expected votes: node3.magedu.com is not fenced\n",
    });
    expect((await run(runCmanTool, env, ['kill', '-n', 'a', '-n', 'b'])).stderr).toBe(
      "Can't kill node a : node3.magedu.com is not fenced\nCan't kill node b : node3.magedu.com is not fenced\n",
    );
    const before = cluster.requests.length;
    expect((await run(runCmanTool, env, ['expected', '-e', 'x'])).stderr).toBe(
      'cman_tool: argument to e (x) is not an integer\n',
    );
    expect((await run(runCmanTool, env, ['votes', '-v-1'])).stderr).toBe(
      'cman_tool: argument to v cannot be negative\n',
    );
    expect((await run(runCmanTool, env, ['expected', '-e', '0'])).stderr).toBe(
      "cman_tool: can't set expected votes: it must be at least 1\n",
    );
    expect((await run(runCmanTool, env, ['status', 'nodes'])).stderr).toBe(
      "cman_tool: can't specify two operations\n",
    );
    expect((await run(runCmanTool, env, [])).stderr).toBe('cman_tool: no operation specified\n');
    expect(cluster.requests.length).toBe(before);
  });

  test('version -r proposes the local cluster.conf; wait -q returns once quorate', async () => {
    const { env, cluster, dir } = await agent();
    writeFileSync(join(dir, 'cluster.conf'), '<cluster name="tcluster" config_version="6"/>\n');
    expect(await run(runCmanTool, env, ['version', '-r'])).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(cluster.state.cluster.configVersion).toBe(6);
    expect((await run(runCmanTool, env, ['version', '-r'])).stderr).toBe(
      `cman_tool: ${versionNotGreaterMessage(6, 6)}\n`,
    );
    cluster.state.quorum.quorate = false;
    const calls = cluster.statusCalls;
    const original = cluster.status.bind(cluster);
    cluster.status = () => {
      if (cluster.statusCalls - calls === 2) cluster.state.quorum.quorate = true;
      return original();
    };
    expect((await run(runCmanTool, env, ['wait', '-q'])).status).toBe(0);
    expect(cluster.statusCalls - calls).toBe(3);
  });
});

describe('fence_ack_manual and ccs_tool update', () => {
  test('fence_ack_manual asks, then acknowledges; a live member is refused', async () => {
    const { env, cluster } = await agent();
    cluster.state.members[2]!.online = false;
    const done = await run(runFenceAckManual, env, ['node3.magedu.com'], { answer: 'absolutely' });
    expect(done).toEqual({
      status: 0,
      stdout:
        'About to override fencing for node3.magedu.com.\n' +
        'Improper use of this command can cause severe file system damage.\n\n' +
        'Continue [NO/absolutely]? Done\n',
      stderr: '',
    });
    const live = await run(runFenceAckManual, env, ['-n', 'node1.magedu.com'], {
      answer: 'absolutely',
    });
    expect(live.status).toBe(1);
    expect(live.stderr).toBe('fence_ack_manual: node1.magedu.com is a cluster member\n');
    const aborted = await run(runFenceAckManual, env, ['node3.magedu.com'], { answer: 'yes' });
    expect(aborted.status).toBe(1);
    expect(aborted.stdout.endsWith('Aborted.\n')).toBe(true);
    expect(cluster.requests).toEqual([
      { type: 'fence-ack', node: 'node3.magedu.com' },
      { type: 'fence-ack', node: 'node1.magedu.com' },
    ]);
  });

  test('ccs_tool update FILE: accepted, not greater, not quorate', async () => {
    const { env, cluster, dir } = await agent();
    const file = join(dir, 'new.conf');
    writeFileSync(file, '<cluster name="tcluster" config_version="6"/>\n');
    expect(await run(runCcsTool, env, ['update', file])).toEqual({
      status: 0,
      stdout: 'Config file updated from version 5 to 6\n',
      stderr: '',
    });
    expect(await run(runCcsTool, env, ['update', file])).toEqual({
      status: 1,
      stdout: '',
      stderr: `${versionNotGreaterMessage(6, 6)}\n`,
    });
    cluster.state.quorum.quorate = false;
    writeFileSync(file, '<cluster name="tcluster" config_version="7"/>\n');
    expect((await run(runCcsTool, env, ['update', file])).stderr).toBe(
      'Unable to honor update request. Cluster is not quorate.\n',
    );
    expect((await run(runCcsTool, env, ['update'])).stderr).toBe(
      'ccs_tool: update: usage: ccs_tool update FILE\n',
    );
  });
});

describe('ccs_tool edits while the agent runs', () => {
  test('addnode edits the committed file and proposes it; the local file is untouched', async () => {
    const { env, cluster, dir } = await agent();
    const local = join(dir, 'cluster.conf');
    writeFileSync(local, 'not touched');
    const added = await run(runCcsTool, env, [
      'addnode',
      '-v',
      '1',
      '-f',
      'meatware',
      'node4.magedu.com',
    ]);
    expect(added).toEqual({
      status: 0,
      stdout: 'node "node4.magedu.com" has nodeid 4\nConfig file updated from version 5 to 6\n',
      stderr: '',
    });
    const proposed = cluster.requests[0];
    expect(proposed?.type === 'config-update' && proposed.text).toContain('config_version="6"');
    expect(proposed?.type === 'config-update' && proposed.text).toContain(
      'name="node4.magedu.com"',
    );
    expect(readFileSync(local, 'utf8')).toBe('not touched');
    expect((await run(runCcsTool, env, ['delfence', 'meatware'])).stderr).toMatch(
      /^ccs_tool: .*meatware/,
    );
    expect(cluster.requests).toHaveLength(1);
  });

  test('refused while inquorate; with -c FILE the edit stays local', async () => {
    const { env, cluster, dir } = await agent();
    cluster.state.quorum.quorate = false;
    expect(await run(runCcsTool, env, ['addfence', 'apc', 'fence_apc'])).toEqual({
      status: 1,
      stdout: '',
      stderr: 'Unable to honor update request. Cluster is not quorate.\n',
    });
    const file = join(dir, 'other.conf');
    writeFileSync(file, seedConf(2));
    expect((await run(runCcsTool, env, ['addfence', '-c', file, 'apc', 'fence_apc'])).status).toBe(
      0,
    );
    expect(readFileSync(file, 'utf8')).toContain('config_version="3"');
    expect(cluster.requests).toHaveLength(1);
  });
});

describe('no agent running', () => {
  test("each command says so in RHCS's words and exits 1", async () => {
    const env = { QUORATE_SOCKET: join(scratch(), 'missing.sock') };
    const detail = `no Quorate agent answers at ${env.QUORATE_SOCKET} (No such file or directory); is ricci running? (QUORATE_SOCKET overrides the path)`;
    expect(await run(runClustat, env, [])).toEqual({
      status: 1,
      stdout: '',
      stderr: `Could not connect to CMAN: No such file or directory\nclustat: ${detail}\n`,
    });
    expect(await run(runClusvcadm, env, ['-r', 'webservice'])).toEqual({
      status: 1,
      stdout: 'Could not connect to cluster service\n',
      stderr: `clusvcadm: ${detail}\n`,
    });
    expect((await run(runClusvcadm, env, ['-l'])).stdout).toBe(
      'Could not connect to cluster service\nLock operation failed\n',
    );
    expect(await run(runCmanTool, env, ['status'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `cman_tool: Cannot open connection to cman, is it running ?\ncman_tool: ${detail}\n`,
    });
    expect(await run(runFenceAckManual, env, ['node1'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `fence_ack_manual: ${detail}\n`,
    });
    const file = join(scratch(), 'c.conf');
    writeFileSync(file, '<cluster name="x" config_version="2"/>\n');
    expect(await run(runCcsTool, env, ['update', file])).toEqual({
      status: 1,
      stdout: '',
      stderr: `ccs_tool: Unable to connect to the cluster: ${detail}\n`,
    });
  });
});
