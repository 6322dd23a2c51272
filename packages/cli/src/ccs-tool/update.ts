import { parseArgs } from 'node:util';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  withAgent,
} from '../agent-client/index.js';
import type { Env, RunOptions } from '../command-io.js';
import { CcsToolError, readConfigFile } from './config-file.js';
import type { CliIo } from './main.js';

/**
 * `ccs_tool update FILE` (RHEL 5): proposes the whole file to the cluster through the local
 * agent, which commits it through the log. The cluster refuses it, with RHCS's words, when it
 * is not quorate or the file's config_version is not greater than the running one.
 */
export async function runUpdate(
  args: readonly string[],
  env: Env,
  io: CliIo,
  run: RunOptions,
): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({
      args: [...args],
      options: {},
      allowPositionals: true,
      strict: true,
    }).positionals;
  } catch (e) {
    throw new CcsToolError(`update: ${(e as Error).message.split('\n')[0]}`);
  }
  if (positionals.length !== 1) throw new CcsToolError('update: usage: ccs_tool update FILE');
  const file = readConfigFile(positionals[0]!);
  const unavailable = (error: AgentUnavailableError) => {
    io.stderr(`ccs_tool: Unable to connect to the cluster: ${agentUnavailableDetail(error)}\n`);
    return 1;
  };
  try {
    return await withAgent(env, run, unavailable, async (client) => {
      const result = await client.request({ type: 'config-update', text: file.text });
      if (result.type !== 'config-update')
        throw new CcsToolError('update: the agent gave no config result');
      if (!result.accepted) {
        io.stderr(`${result.message}\n`);
        return 1;
      }
      io.stdout(
        `Config file updated from version ${result.previousVersion} to ${result.version}\n`,
      );
      return 0;
    });
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    throw new CcsToolError(`update: ${e.message}`);
  }
}
