import { nodeNameSchema } from '@quorate/protocol';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  withAgent,
} from '../agent-client/index.js';
import type { CommandIo, Env, RunOptions } from '../command-io.js';

export const fenceAckManualUsage = `usage:
  fence_ack_manual NODENAME
  fence_ack_manual -n NODENAME
Tells the cluster that NODENAME, which fence_manual is waiting on, has been turned off or
cut from shared storage by hand, so its services can be recovered elsewhere. Asks for
confirmation: type "absolutely".
`;

/** Runs `fence_ack_manual [-n] NODE` in-process and returns its exit status. */
export async function runFenceAckManual(
  argv: readonly string[],
  env: Env,
  io: CommandIo,
  run: RunOptions = {},
): Promise<number> {
  const args = argv[0] === '-n' ? argv.slice(1) : [...argv];
  const node = args[0];
  if (node === undefined || node === '-h' || node === '--help' || args.length > 1) {
    io.stdout(fenceAckManualUsage);
    return 1;
  }
  if (!nodeNameSchema.safeParse(node).success) {
    io.stderr(`fence_ack_manual: "${node}" is not a node name (no spaces or control characters)\n`);
    return 1;
  }
  const unavailable = (error: AgentUnavailableError) => {
    io.stderr(`fence_ack_manual: ${agentUnavailableDetail(error)}\n`);
    return 1;
  };
  try {
    return await withAgent(env, run, unavailable, async (client) => {
      io.stdout(`About to override fencing for ${node}.\n`);
      io.stdout('Improper use of this command can cause severe file system damage.\n\n');
      const answer = io.readLine ? await io.readLine('Continue [NO/absolutely]? ') : null;
      if (answer?.trim() !== 'absolutely') {
        io.stdout('Aborted.\n');
        return 1;
      }
      const result = await client.request({ type: 'fence-ack', node });
      if (result.type !== 'fence-ack' || !result.ok) {
        const why = result.type === 'fence-ack' ? result.message : 'the agent gave no answer';
        io.stderr(`fence_ack_manual: ${why}\n`);
        return 1;
      }
      io.stdout('Done\n');
      return 0;
    });
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    io.stderr(`fence_ack_manual: ${e.message}\n`);
    return 1;
  }
}
