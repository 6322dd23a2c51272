import { join } from 'node:path';
import type { ClusterStatus, ControlAction } from '@quorate/protocol';
import { describe, expect, test } from 'vitest';
import { scratchDir, serveFakeAgent } from '../../testing/fake-agent.js';
import type { CommandIo } from '../command-io.js';
import {
  type AgentStartHost,
  planAgentStart,
  RICCI_CONFIG_FILE,
  RICCI_DEFAULTS_FILE,
  splitOptions,
} from './agent-start.js';
import { runCmanTool } from './main.js';

// cman_tool join, votes and leave remove in-process against a hand-written agent on a real Unix
// socket, and join's choice of how to start an agent on a fake machine.

type Membership = ClusterStatus['local']['membership'];

function status(membership: Membership): ClusterStatus {
  return {
    cluster: {
      name: 'tcluster',
      id: 1,
      generation: 1,
      configVersion: 5,
      agentVersion: '1.0.0',
      twoNode: false,
    },
    quorum: { quorate: true, totalVotes: 3, expectedVotes: 3, quorum: 2, leader: 'node1' },
    local: { name: 'node3', nodeId: 3, votes: 1, membership, addresses: [] },
    members: [],
    resourceManager: { running: true, locked: false },
    services: [],
  };
}

interface FakeAgent {
  readonly actions: ControlAction[];
  /** What `status` answers with next (the last one repeats). */
  memberships: Membership[];
  nodeAnswer: { ok: boolean; message: string };
}

/** Serves the control protocol at `path` as `agent` says; resolves once it listens. */
function serveAgent(path: string, agent: FakeAgent) {
  return serveFakeAgent((request) => {
    if (request.type === 'status') {
      const membership =
        agent.memberships.length > 1 ? agent.memberships.shift() : agent.memberships[0];
      return { type: 'status', status: status(membership ?? 'member') };
    }
    if (request.type !== 'action') return null;
    agent.actions.push(request.action);
    return { type: 'result', result: { type: 'node', ...agent.nodeAnswer } };
  }, path);
}

function capture(): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

function machine(
  overrides: Partial<AgentStartHost> = {},
): AgentStartHost & { spawned: string[][] } {
  const spawned: string[][] = [];
  return {
    env: {},
    ricciPath: '/opt/quorate/bin/ricci',
    readFile: () => null,
    exists: () => false,
    initName: () => 'bash',
    run: () => ({ status: 0, stderr: '' }),
    spawnDetached: (args) => {
      spawned.push([...args]);
      return 4242;
    },
    spawned,
    ...overrides,
  };
}

describe('planAgentStart', () => {
  test('systemd with the unit installed: systemctl; without the unit or systemd: ricci detached', () => {
    const unit = (path: string) => path === '/lib/systemd/system/quorate-ricci.service';
    expect(planAgentStart(machine({ initName: () => 'systemd', exists: unit }))).toEqual({
      kind: 'systemd',
    });
    const env = { RICCI_OPTS: '--node n3 --state-dir /srv/q', QUORATE_STATE_DIR: '/x' };
    expect(planAgentStart(machine({ env, initName: () => 'systemd' }))).toEqual({
      kind: 'spawn',
      args: ['--node', 'n3', '--state-dir', '/srv/q'],
      source: '$RICCI_OPTS',
      logPath: '/srv/q/ricci.log',
    });
  });

  test("the unit's defaults file, then the JSON config file and its state folder", () => {
    const defaults = machine({
      env: { QUORATE_STATE_DIR: '/var/lib/q2' },
      readFile: (path) =>
        path === RICCI_DEFAULTS_FILE
          ? '# made by luci\nRICCI_OPTS="--node n1 --peer n2=10.0.0.2:11111"\n'
          : null,
    });
    expect(planAgentStart(defaults)).toEqual({
      kind: 'spawn',
      args: ['--node', 'n1', '--peer', 'n2=10.0.0.2:11111'],
      source: RICCI_DEFAULTS_FILE,
      logPath: '/var/lib/q2/ricci.log',
    });
    const config = machine({
      exists: (path) => path === RICCI_CONFIG_FILE,
      readFile: (path) => (path === RICCI_CONFIG_FILE ? '{"nodeName":"n1","stateDir":"/q"}' : null),
    });
    expect(planAgentStart(config)).toEqual({
      kind: 'spawn',
      args: ['--config', RICCI_CONFIG_FILE],
      source: RICCI_CONFIG_FILE,
      logPath: '/q/ricci.log',
    });
  });

  test('no systemd and no options: refused, naming what is missing', () => {
    const plan = planAgentStart(machine({ initName: () => 'sh' }));
    expect(plan).toEqual({
      kind: 'refuse',
      message:
        'cannot start the agent: systemd is not running (PID 1 is sh), and no agent options ' +
        'were found: set $RICCI_OPTS, put RICCI_OPTS="--node NAME ..." in ' +
        '/etc/default/quorate-ricci, or write /etc/quorate/ricci.json (see ricci --config)',
    });
  });

  test('splitOptions groups quoted words', () => {
    expect(splitOptions(` --node 'a b' --peer "x=1:2"  -v `)).toEqual([
      '--node',
      'a b',
      '--peer',
      'x=1:2',
      '-v',
    ]);
  });
});

describe('cman_tool join', () => {
  test('a member answers "Node is already active", status 1, and starts nothing', async () => {
    const socket = join(scratchDir(), 'agent.sock');
    const agent: FakeAgent = {
      actions: [],
      memberships: ['member'],
      nodeAnswer: { ok: false, message: 'Node is already active' },
    };
    await serveAgent(socket, agent);
    const io = capture();
    const fake = machine({ env: { RICCI_OPTS: '--node n3' } });
    expect(await runCmanTool(['join'], { QUORATE_SOCKET: socket }, io, {}, fake)).toBe(1);
    expect(io.err).toBe('cman_tool: Node is already active\n');
    expect(agent.actions).toEqual([{ type: 'node', request: { kind: 'join' } }]);
    expect(fake.spawned).toEqual([]);
  });

  test('an agent still joining: join -w returns once it is a member', async () => {
    const socket = join(scratchDir(), 'agent.sock');
    const agent: FakeAgent = {
      actions: [],
      memberships: ['joining', 'member'],
      nodeAnswer: { ok: true, message: 'joining the cluster' },
    };
    await serveAgent(socket, agent);
    const io = capture();
    expect(await runCmanTool(['join', '-w'], { QUORATE_SOCKET: socket }, io, {}, machine())).toBe(
      0,
    );
    expect(io).toMatchObject({ out: '', err: '' });
    expect(agent.memberships).toEqual(['member']);
  });

  test('with no agent and nothing to start it with: refused with status 1', async () => {
    const socket = join(scratchDir(), 'none.sock');
    const io = capture();
    expect(await runCmanTool(['join'], { QUORATE_SOCKET: socket }, io, {}, machine())).toBe(1);
    expect(io.err).toMatch(/^cman_tool: cannot start the agent: systemd is not running/);
  });

  test('with no agent: starts ricci detached and, with -w, returns once the node is a member', async () => {
    const socket = join(scratchDir(), 'agent.sock');
    const agent: FakeAgent = {
      actions: [],
      memberships: ['joining', 'joining', 'member'],
      nodeAnswer: { ok: true, message: '' },
    };
    const fake = machine({
      env: { RICCI_OPTS: '--node n3' },
      // The "agent" comes up on the socket once it is spawned.
      spawnDetached: (args) => {
        fake.spawned.push([...args]);
        void serveAgent(socket, agent);
        return 4242;
      },
    });
    const io = capture();
    const env = { QUORATE_SOCKET: socket };
    expect(await runCmanTool(['join', '-w', '-t', '20'], env, io, {}, fake)).toBe(0);
    expect(fake.spawned).toEqual([['/opt/quorate/bin/ricci', '--node', 'n3']]);
    expect(io.err).toBe(
      'cman_tool: started ricci (pid 4242) with the options of $RICCI_OPTS; its output goes to /var/lib/quorate/ricci.log\n',
    );
    expect(agent.memberships).toEqual(['member']);
  });

  test('systemd: systemctl start quorate-ricci, and its failure is reported', async () => {
    const socket = join(scratchDir(), 'none.sock');
    const ran: string[] = [];
    const fake = machine({
      initName: () => 'systemd',
      exists: (path) => path === '/etc/systemd/system/quorate-ricci.service',
      run: (command, args) => {
        ran.push([command, ...args].join(' '));
        return { status: 5, stderr: 'Unit quorate-ricci.service is masked.\n' };
      },
    });
    const io = capture();
    expect(await runCmanTool(['join'], { QUORATE_SOCKET: socket }, io, {}, fake)).toBe(1);
    expect(ran).toEqual(['systemctl start quorate-ricci']);
    expect(io.err).toBe(
      'cman_tool: systemctl start quorate-ricci failed: Unit quorate-ricci.service is masked.\n',
    );
  });
});

describe('cman_tool votes and leave remove', () => {
  test('votes -v sends the votes and prints nothing; a refusal is cman\'s "can\'t set votes"', async () => {
    const socket = join(scratchDir(), 'agent.sock');
    const agent: FakeAgent = {
      actions: [],
      memberships: ['member'],
      nodeAnswer: { ok: true, message: 'votes set to 2' },
    };
    await serveAgent(socket, agent);
    const env = { QUORATE_SOCKET: socket };
    const io = capture();
    expect(await runCmanTool(['votes', '-v', '2'], env, io, {}, machine())).toBe(0);
    expect(io).toMatchObject({ out: '', err: '' });
    expect(agent.actions).toEqual([{ type: 'node', request: { kind: 'votes', votes: 2 } }]);

    agent.nodeAnswer = {
      ok: false,
      message: 'node2 is not the leader; propose the change at node1',
    };
    const refused = capture();
    expect(await runCmanTool(['votes', '-v', '1'], env, refused, {}, machine())).toBe(1);
    expect(refused.err).toBe(
      "cman_tool: can't set votes: node2 is not the leader; propose the change at node1\n",
    );
    const bad = capture();
    expect(await runCmanTool(['votes', '-v', 'two'], env, bad, {}, machine())).toBe(1);
    expect(bad.err).toBe('cman_tool: argument to v (two) is not an integer\n');
  });

  test('leave remove force sends both flags; a refused leave is "Error leaving cluster"', async () => {
    const socket = join(scratchDir(), 'agent.sock');
    const agent: FakeAgent = {
      actions: [],
      memberships: ['member'],
      nodeAnswer: { ok: false, message: 'Unable to honor update request. Cluster is not quorate.' },
    };
    await serveAgent(socket, agent);
    const io = capture();
    expect(
      await runCmanTool(['leave', 'remove'], { QUORATE_SOCKET: socket }, io, {}, machine()),
    ).toBe(1);
    expect(io.err).toBe(
      'cman_tool: Error leaving cluster: Unable to honor update request. Cluster is not quorate.\n',
    );
    agent.nodeAnswer = { ok: true, message: 'leaving the cluster' };
    expect(
      await runCmanTool(
        ['leave', 'remove', 'force'],
        { QUORATE_SOCKET: socket },
        capture(),
        {},
        machine(),
      ),
    ).toBe(0);
    expect(agent.actions.map((a) => (a.type === 'node' ? a.request : null))).toEqual([
      { kind: 'leave', remove: true, force: false },
      { kind: 'leave', remove: true, force: true },
    ]);
  });
});
