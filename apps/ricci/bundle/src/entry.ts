// The program inside the agent bundle's single executable (bundled into one CommonJS file by
// build.ts). Each command is loaded only when it runs, so the daemon does not carry the
// certificate library, nor the command line the transport.
import { type CommandName, dispatch, USAGE } from './dispatch.js';

/** Output for the agent and quorate's own commands (the agent handles its signals itself). */
const io = {
  stdout: (text: string) => {
    process.stdout.write(text);
  },
  stderr: (text: string) => {
    process.stderr.write(text);
  },
};

type CliCommand = Exclude<CommandName, 'ricci' | 'cert' | 'version' | 'help'>;

/** The RHCS commands, with the terminal and signals that the bin/ launchers give them. */
async function runCli(command: CliCommand, args: readonly string[]): Promise<number> {
  const { processIo, processRunOptions } = await import(
    '../../../../packages/cli/dist/launcher.js'
  );
  const env = process.env;
  switch (command) {
    case 'ccs_tool': {
      const { runCcsTool } = await import('../../../../packages/cli/dist/ccs-tool/main.js');
      return runCcsTool(args, env, processIo());
    }
    case 'clustat': {
      const { runClustat } = await import('../../../../packages/cli/dist/clustat/main.js');
      return runClustat(args, env, processIo(), processRunOptions());
    }
    case 'clusvcadm': {
      const { runClusvcadm } = await import('../../../../packages/cli/dist/clusvcadm/main.js');
      return runClusvcadm(args, env, processIo(), processRunOptions());
    }
    case 'cman_tool': {
      const { runCmanTool } = await import('../../../../packages/cli/dist/cman-tool/main.js');
      return runCmanTool(args, env, processIo(), processRunOptions());
    }
    case 'support-report': {
      const { runSupportReport } = await import(
        '../../../../packages/cli/dist/support-report/main.js'
      );
      return runSupportReport(args, env, processIo(), processRunOptions());
    }
    case 'fence_ack_manual': {
      const { runFenceAckManual } = await import(
        '../../../../packages/cli/dist/fence-ack-manual/main.js'
      );
      return runFenceAckManual(args, env, processIo(), processRunOptions());
    }
    case 'fence_node': {
      const { runFenceNode } = await import('../../../../packages/cli/dist/fence-node/main.js');
      return runFenceNode(args, env, processIo(), processRunOptions());
    }
  }
}

async function run(command: CommandName, args: readonly string[]): Promise<number> {
  switch (command) {
    case 'ricci': {
      const { runRicci } = await import('../../dist/daemon/daemon.js');
      return runRicci(args, process.env, io);
    }
    case 'cert': {
      const { runCertCommand } = await import('../../dist/tls/cert-command.js');
      return runCertCommand(args, process.env, io);
    }
    case 'version': {
      const { RICCI_VERSION } = await import('../../dist/daemon/daemon.js');
      io.stdout(`quorate ${RICCI_VERSION}\n`);
      return 0;
    }
    case 'help':
      io.stdout(USAGE);
      return 0;
    default:
      return runCli(command, args);
  }
}

async function main(): Promise<number> {
  // Inside a single executable, argv is [executable, name as started, ...arguments].
  const target = dispatch(process.argv0, process.argv.slice(2));
  if (target.kind === 'run') return run(target.command, target.args);
  io.stderr(`quorate: ${target.message}\n${USAGE}`);
  return 2;
}

// No top-level await: the bundle is CommonJS, which has none.
void main().then((status) => {
  process.exitCode = status;
});
