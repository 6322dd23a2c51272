import { isCommand, parseCommand } from './args.js';
import { runCommand } from './commands.js';
import { CcsToolError } from './config-file.js';

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
Every change raises config_version by one and is written atomically; the previous file is
kept as cluster.conf.bak.N.
`;

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** Runs `ccs_tool ARGV…` in-process and returns its exit status. */
export function runCcsTool(
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
