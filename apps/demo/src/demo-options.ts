import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDemoDir } from './demo-layout.js';

/** Each agent serves `/metrics` on its own port plus this. */
export const METRICS_PORT_OFFSET = 1000;

/** What `pnpm demo` is started with (`--help` lists them). */
export interface DemoOptions {
  readonly dir: string;
  /** node1's peer port; node2 and node3 take the next two. */
  readonly basePort: number;
  /** Where the demo service's web server listens, on whichever node runs it. */
  readonly webPort: number;
  readonly consolePort: number;
  /** As root: the demo on test hosts with a real floating IP (e2e/src/demo-test-hosts.ts). */
  readonly testHosts: boolean;
}

export const DEMO_USAGE = `usage: pnpm demo [-- options]
Starts a three-node Quorate cluster on this machine's loopback (real agents, a demo fence agent
and a demo web service) and the console, as a normal user. Ctrl-C stops everything.
  --dir DIR           the demo's folder (default $XDG_STATE_HOME/quorate-demo, else
                      ~/.local/state/quorate-demo); emptied at each start
  --base-port N       node1's agent port; node2 and node3 take the next two (default 11111);
                      each agent serves Prometheus /metrics on its port + ${METRICS_PORT_OFFSET}
  --web-port N        the demo web service's port (default 8088)
  --console-port N    the console's HTTPS port (default 8084)
  --test-hosts        as root: the cluster on test hosts (network namespaces) with a real
                      floating IP, power fencing and the console in its own host, reached at
                      https://127.0.0.1:<console port>/ (takes only --console-port)
  --help              print this and exit
`;

/** A wrong option; `message` names it and the rule. */
export class DemoOptionsError extends Error {
  override readonly name = 'DemoOptionsError';
}

export function parseDemoArgs(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  home: string = homedir(),
): DemoOptions | 'help' {
  // `pnpm demo -- --help` hands node the `--` too (pnpm appends its arguments to the script).
  const given = args[0] === '--' ? args.slice(1) : args;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...given],
      options: {
        dir: { type: 'string' },
        'base-port': { type: 'string' },
        'web-port': { type: 'string' },
        'console-port': { type: 'string' },
        'test-hosts': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new DemoOptionsError((error as Error).message);
  }
  if (values.help) return 'help';
  const testHosts = values['test-hosts'] === true;
  if (testHosts) refuseLoopbackOptions(values);
  const options: DemoOptions = {
    dir: resolve(stringValue(values.dir) ?? defaultDemoDir(env, home)),
    basePort: port('--base-port', values['base-port'], 11111, METRICS_PORT_OFFSET + 2),
    webPort: port('--web-port', values['web-port'], 8088),
    consolePort: port('--console-port', values['console-port'], 8084),
    testHosts,
  };
  const used = [
    ...[0, 1, 2].flatMap((i) => [options.basePort + i, options.basePort + METRICS_PORT_OFFSET + i]),
    options.webPort,
    options.consolePort,
  ];
  if (new Set(used).size !== used.length) {
    throw new DemoOptionsError(
      `--base-port, --web-port, --console-port: the agents' ports and metrics ports, the web port and the console port must all differ (${used.join(', ')})`,
    );
  }
  return options;
}

/** The test hosts have their own folder (/run/quorate-e2e/<run>) and ports, the service port 80. */
function refuseLoopbackOptions(values: Record<string, string | boolean | undefined>): void {
  const given = ['dir', 'base-port', 'web-port'].filter((name) => values[name] !== undefined);
  if (given.length > 0) {
    throw new DemoOptionsError(
      `${given.map((name) => `--${name}`).join(', ')}: not used with --test-hosts (the test hosts have their own folder and ports; only --console-port applies)`,
    );
  }
}

function stringValue(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A TCP port with room for `following` more after it. */
function port(name: string, value: string | boolean | undefined, fallback: number, following = 0) {
  const text = stringValue(value);
  if (text === undefined) return fallback;
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(number >= 1 && number + following <= 65535)) {
    throw new DemoOptionsError(`${name}: ${text} is not a TCP port (1-${65535 - following})`);
  }
  return number;
}
