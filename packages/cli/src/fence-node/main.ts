import { nodeNameSchema } from '@quorate/protocol';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  withAgent,
} from '../agent-client/index.js';
import type { CommandIo, Env, RunOptions } from '../command-io.js';

export const fenceNodeUsage = `usage:
  fence_node NODENAME
Fences NODENAME now with the fence methods cluster.conf gives it, member or not: the cluster's
leader runs them (the command may be typed on any node), records the node as fenced, and its
services are recovered elsewhere. A node the leader fenced takes no services until it restarts.
The leader does not fence itself.
`;

/** Runs `fence_node NODE` in-process and returns its exit status (0 once the leader took it). */
export async function runFenceNode(
  argv: readonly string[],
  env: Env,
  io: CommandIo,
  run: RunOptions = {},
): Promise<number> {
  const node = argv[0];
  if (node === undefined || node === '-h' || node === '--help' || argv.length > 1) {
    io.stdout(fenceNodeUsage);
    return 1;
  }
  if (!nodeNameSchema.safeParse(node).success) {
    io.stderr(`fence_node: "${node}" is not a node name (no spaces or control characters)\n`);
    return 1;
  }
  const unavailable = (error: AgentUnavailableError) => {
    io.stderr(`fence_node: ${agentUnavailableDetail(error)}\n`);
    return 1;
  };
  try {
    return await withAgent(env, run, unavailable, async (client) => {
      const result = await client.request({ type: 'node', request: { kind: 'fence', node } });
      if (result.type !== 'node' || !result.ok) {
        const why = result.type === 'node' ? result.message : 'the agent gave no answer';
        io.stderr(`fence ${node} failed: ${why}\n`);
        return 1;
      }
      io.stdout(`fence ${node}: ${result.message}\n`);
      return 0;
    });
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    io.stderr(`fence_node: ${e.message}\n`);
    return 1;
  }
}
