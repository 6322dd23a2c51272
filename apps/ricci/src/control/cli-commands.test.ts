import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CommandIo,
  type RunOptions,
  runCcsTool,
  runClustat,
  runClusvcadm,
  runCmanTool,
  runFenceAckManual,
} from '@quorate/cli';
import {
  clusvcadmExitCode,
  NOT_QUORATE_MESSAGE,
  parseXml,
  type RmRequest,
  rgResults,
  versionNotGreaterMessage,
} from '@quorate/core';
import type {
  ClusterStatus,
  CommittedConfig,
  ControlAction,
  ControlResult,
  MemberStatus,
} from '@quorate/protocol';
import { describe, expect, onTestFinished, test } from 'vitest';
import type { ControlProvider } from './control-provider.js';
import { serveControlSocket } from './control-server.js';

// The RHCS commands, in-process, against a real control socket whose provider is plain data:
// the seed walkthrough's three nodes seen from node2. The daemon's own provider is tested
// end to end on test hosts.

const nowMs = Date.UTC(2015, 11, 10, 17, 58, 33);
const clock = { nowMs: () => nowMs, utcOffsetMinutes: () => 0 };

function seedMember(id: number): MemberStatus {
  return {
    name: `node${id}.magedu.com`,
    nodeId: id,
    votes: 1,
    online: true,
    local: id === 2,
    estranged: false,
    rgmanager: true,
    incarnation: 1,
    joinedMs: nowMs - 60_000,
    addresses: [`192.168.41.${130 + id}`],
  };
}

function seedConf(version: number): string {
  const nodes = [1, 2, 3]
    .map(
      (id) =>
        `    <clusternode name="node${id}.magedu.com" votes="1" nodeid="${id}">` +
        '<fence><method name="single"><device name="meatware"/></method></fence></clusternode>',
    )
    .join('\n');
  return `<?xml version="1.0"?>
<cluster name="tcluster" config_version="${version}">
  <clusternodes>
${nodes}
  </clusternodes>
  <fencedevices>
    <fencedevice name="meatware" agent="fence_manual"/>
  </fencedevices>
  <rm>
    <failoverdomains/>
    <resources/>
  </rm>
</cluster>
`;
}

/** A cluster as plain data that answers requests the simple way an rgmanager would. */
class PlainCluster implements ControlProvider {
  readonly requests: ControlAction[] = [];
  statusCalls = 0;
  /** Answers a request instead of the plain rules when it returns a result. */
  override: ((action: ControlAction) => ControlResult | undefined) | undefined;
  state: ClusterStatus = {
    cluster: {
      name: 'tcluster',
      id: 22265,
      generation: 3,
      configVersion: 5,
      agentVersion: '6.2.0',
      twoNode: false,
    },
    quorum: {
      quorate: true,
      totalVotes: 3,
      expectedVotes: 3,
      quorum: 2,
      leader: 'node1.magedu.com',
    },
    local: { name: 'node2.magedu.com', nodeId: 2, votes: 1, membership: 'member', addresses: [] },
    members: [seedMember(1), seedMember(2), seedMember(3)],
    resourceManager: { running: true, locked: false },
    services: [
      {
        id: 'service:webservice',
        state: 'started',
        owner: 'node3.magedu.com',
        lastOwner: null,
        frozen: false,
        partial: false,
        restarts: 0,
        lastTransitionMs: nowMs,
      },
    ],
  };

  /** The committed cluster.conf: the seed's after its five ccs_tool steps. */
  committed: CommittedConfig | null = { version: 5, text: seedConf(5) };

  status(): ClusterStatus {
    this.statusCalls++;
    return structuredClone(this.state);
  }

  clusterConf(): CommittedConfig | null {
    return this.committed;
  }

  async request(action: ControlAction): Promise<ControlResult> {
    this.requests.push(action);
    const answer = this.override?.(action);
    if (answer) return answer;
    switch (action.type) {
      case 'rm':
        return this.rm(action.request);
      case 'node':
        return { type: 'node', ok: true, message: '' };
      case 'fence-ack': {
        const live = this.state.members.some((m) => m.name === action.node && m.online);
        return live
          ? { type: 'fence-ack', ok: false, message: `${action.node} is a cluster member` }
          : { type: 'fence-ack', ok: true, message: '' };
      }
      case 'config-update':
        return this.configUpdate(action.text);
    }
  }

  private rm(request: RmRequest): ControlResult {
    const rm = this.state.resourceManager;
    const ok = (owner: string | null = null) => ({
      type: 'rm' as const,
      ...rgResults.success,
      owner,
    });
    if (request.kind === 'lock' || request.kind === 'unlock') {
      rm.locked = request.kind === 'lock';
      return ok();
    }
    if (!('service' in request)) return { ...ok(), locked: rm.locked };
    const svc = this.state.services.find((s) => s.id === request.service);
    if (!svc) return { type: 'rm', ...rgResults.noService, owner: null };
    if (request.kind !== 'relocate' && request.kind !== 'enable') return ok(svc.owner);
    if (rm.locked) return { type: 'rm', ...rgResults.failure, owner: svc.owner };
    const target =
      request.target ??
      this.state.members.find((m) => m.online && m.name !== svc.owner)?.name ??
      null;
    svc.lastOwner = svc.owner;
    svc.owner = target;
    return ok(target);
  }

  private configUpdate(text: string): ControlResult {
    const version = Number(/config_version="(\d+)"/.exec(text)?.[1] ?? 0);
    const current = this.state.cluster.configVersion;
    if (!this.state.quorum.quorate) {
      return {
        type: 'config-update',
        accepted: false,
        rule: 'not-quorate',
        message: NOT_QUORATE_MESSAGE,
      };
    }
    if (version <= current) {
      const message = versionNotGreaterMessage(current, version);
      return { type: 'config-update', accepted: false, rule: 'version-not-greater', message };
    }
    this.state.cluster.configVersion = version;
    this.committed = { version, text };
    return { type: 'config-update', accepted: true, previousVersion: current, version };
  }
}

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quorate-cli-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function agent() {
  const dir = scratch();
  const cluster = new PlainCluster();
  const server = await serveControlSocket({ path: join(dir, 'ricci.sock'), provider: cluster });
  onTestFinished(() => server.close());
  const env = { QUORATE_SOCKET: server.path, QUORATE_CONFIG_DIR: dir };
  return { cluster, env, dir };
}

type Command = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CommandIo,
  run?: RunOptions,
) => Promise<number>;

interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

async function run(
  command: Command,
  env: Record<string, string>,
  argv: string[],
  extra: { answer?: string | null; signal?: AbortSignal; onStdout?: (text: string) => void } = {},
): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (t) => {
      stdout += t;
      extra.onStdout?.(t);
    },
    stderr: (t) => {
      stderr += t;
    },
    readLine: async (prompt) => {
      stdout += prompt;
      return extra.answer ?? null;
    },
  };
  const options: RunOptions = { clock, ...(extra.signal ? { signal: extra.signal } : {}) };
  const status = await command(argv, env, io, options);
  return { status, stdout, stderr };
}

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
