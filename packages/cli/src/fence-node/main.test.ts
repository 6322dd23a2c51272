import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ControlAction } from '@quorate/protocol';
import { describe, expect, test } from 'vitest';
import { serveFakeAgent } from '../../testing/fake-agent.js';
import type { CommandIo } from '../command-io.js';
import { fenceNodeUsage, runFenceNode } from './main.js';

// fence_node in-process against a hand-written agent on a real Unix socket.

/** An agent answering every action with `answer`, and the actions it was sent. */
async function agentAnswering(answer: { ok: boolean; message: string }) {
  const actions: ControlAction[] = [];
  const { env } = await serveFakeAgent((request) => {
    if (request.type !== 'action') return null;
    actions.push(request.action);
    return { type: 'result', result: { type: 'node', ...answer } };
  });
  return { env, actions };
}

async function fenceNode(env: Record<string, string>, argv: string[]) {
  const io = { out: '', err: '' };
  const commandIo: CommandIo = {
    stdout: (text) => {
      io.out += text;
    },
    stderr: (text) => {
      io.err += text;
    },
  };
  const status = await runFenceNode(argv, env, commandIo);
  return { status, stdout: io.out, stderr: io.err };
}

describe('fence_node', () => {
  test('sends a fence request for the node and prints what the leader said', async () => {
    const agent = await agentAnswering({ ok: true, message: 'fencing node3' });
    expect(await fenceNode(agent.env, ['node3'])).toEqual({
      status: 0,
      stdout: 'fence node3: fencing node3\n',
      stderr: '',
    });
    expect(agent.actions).toEqual([{ type: 'node', request: { kind: 'fence', node: 'node3' } }]);
  });

  test('a refusal is printed with the reason and exits 1', async () => {
    const message = 'node1 leads the cluster and does not fence itself';
    const agent = await agentAnswering({ ok: false, message });
    expect(await fenceNode(agent.env, ['node1'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `fence node1 failed: ${message}\n`,
    });
  });

  test('no name, two names or a name with spaces: usage or the rule, exit 1, nothing sent', async () => {
    const agent = await agentAnswering({ ok: true, message: 'unused' });
    expect(await fenceNode(agent.env, [])).toEqual({
      status: 1,
      stdout: fenceNodeUsage,
      stderr: '',
    });
    expect((await fenceNode(agent.env, ['a', 'b'])).status).toBe(1);
    expect(await fenceNode(agent.env, ['node 3'])).toEqual({
      status: 1,
      stdout: '',
      stderr: 'fence_node: "node 3" is not a node name (no spaces or control characters)\n',
    });
    expect(agent.actions).toEqual([]);
  });

  test('no agent: names the socket, exit 1', async () => {
    const path = join(tmpdir(), `quorate-absent-${process.pid}.sock`);
    const ran = await fenceNode({ QUORATE_SOCKET: path }, ['node3']);
    expect(ran.status).toBe(1);
    expect(ran.stderr).toContain(`fence_node: no Quorate agent answers at ${path}`);
  });
});
