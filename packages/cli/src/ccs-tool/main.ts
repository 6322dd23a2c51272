import type { RunOptions } from '../command-io.js';
import { isCommand, parseCommand } from './args.js';
import { runCommand } from './commands.js';
import { CcsToolError } from './config-file.js';
import { editThroughAgent } from './online-edit.js';
import { runUpdate } from './update.js';

/** Where a command writes; tests capture it, the launcher passes process.stdout/stderr. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const ccsToolUsage = `Usage: ccs_tool COMMAND [options]

Commands (each takes -c FILE; default $QUORATE_CONFIG_DIR/cluster.conf or /etc/cluster/cluster.conf):
  create [-2] [-n N] [-f AGENT] [--force] NAME
                             write a new skeleton config (version 1); -2 two-node cluster,
                             -n N skeleton nodes using fence device "fence1" (agent -f, default
                             fence_manual); refuses an existing file unless --force
  addnode [-v VOTES] [-n NODEID] [-a ALTNAME] [-f FENCEDEV] NAME [key=value ...]
                             add a node (nodeid: lowest free one when -n is not given); with -f,
                             method "single" uses FENCEDEV with the key=value arguments
  delnode NAME               remove a node (and its failover domain memberships)
  addfence NAME AGENT [key=value ...]
                             add a fence device
  delfence NAME              remove a fence device no node uses
  lsnode [-v]                list nodes
  lsfence [-v]               list fence devices
  query XPATH                print what an XPath (subset) selects, e.g. /cluster/@name,
                             /cluster/clusternodes/clusternode[@name="n1"]/@votes, count(//clusternode)
  validate [-l draft|runnable]
                             print errors and warnings (default level: runnable); exit 1 on errors
  update FILE                propose FILE as the cluster's new cluster.conf through the running
                             agent ($QUORATE_SOCKET or /run/quorate/ricci.sock); its
                             config_version must be greater and the cluster quorate
Every change raises config_version by one and is written atomically; the previous file is
kept as cluster.conf.bak.N. While the local agent runs, addnode, delnode, addfence and delfence
without -c edit the cluster's committed cluster.conf and propose it to the cluster instead.
`;

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Runs `ccs_tool ARGV…` in-process and returns its exit status. `update` goes to the running
 * agent, and so do addnode, delnode, addfence and delfence without `-c` while an agent runs;
 * every other command works on the file alone.
 */
export async function runCcsTool(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
  run: RunOptions = {},
): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'update') return await runUpdate(args, env, io, run);
    // An edit without -c goes through the cluster when the local agent runs.
    if (command !== undefined && isCommand(command)) {
      const parsed = parseCommand(command, args);
      if (parsed.values.config === undefined) {
        const online = await editThroughAgent(command, parsed, env, io, run);
        if (online !== undefined) return online;
      }
    }
    return runOfflineCcsTool(argv, env, io);
  } catch (e) {
    if (!(e instanceof CcsToolError)) throw e;
    io.stderr(`ccs_tool: ${oneLine(e.message)}\n`);
    return 1;
  }
}

/** The commands that edit or read the file directly, with no agent: synchronous. */
export function runOfflineCcsTool(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): number {
  const [command, ...args] = argv;
  if (command === 'help' || command === '-h' || command === '--help') {
    io.stdout(ccsToolUsage);
    return 0;
  }
  try {
    if (command === undefined) throw new CcsToolError('no command given; try "ccs_tool help"');
    if (!isCommand(command))
      throw new CcsToolError(`unknown command "${command}"; try "ccs_tool help"`);
    const outcome = runCommand(command, parseCommand(command, args), env);
    if (outcome.stdout) io.stdout(outcome.stdout);
    if (outcome.failure) io.stderr(`ccs_tool: ${oneLine(outcome.failure)}\n`);
    return outcome.status;
  } catch (e) {
    const message =
      e instanceof CcsToolError ? e.message : `internal error: ${(e as Error).message}`;
    io.stderr(`ccs_tool: ${oneLine(message)}\n`);
    return 1;
  }
}
