import { parseArgs } from 'node:util';
import type { ClusterStatus } from '@quorate/protocol';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  errnoText,
  pause,
  withAgent,
} from '../agent-client/index.js';
import { type CommandIo, type Env, type RunOptions, systemClock } from '../command-io.js';
import { quorateVersion } from '../version.js';
import { type ClustatView, formatClustat, formatClustatXml } from './format.js';

export const clustatUsage = `usage: clustat [options]
  -i SECONDS   print again every SECONDS seconds until interrupted (not with -x)
  -I           print the local node id (0x%08x) and exit
  -m MEMBER    show only MEMBER; exit status 1 unless it is online
  -s SERVICE   show only SERVICE (service: is added when no type is given); exit status 0
               while it is starting, started or stopping, else its state code (e.g. 119)
  -l           long service format
  -x           XML output
  -Q           no output; exit status 0 when the cluster is quorate, 1 when not
  -f           accepted for compatibility (every report is fast)
  -v           print the version and exit
The agent's socket is $QUORATE_SOCKET, or /run/quorate/ricci.sock.
`;

const options = {
  i: { type: 'string' },
  I: { type: 'boolean' },
  m: { type: 'string' },
  s: { type: 'string' },
  l: { type: 'boolean' },
  x: { type: 'boolean' },
  Q: { type: 'boolean' },
  f: { type: 'boolean' },
  v: { type: 'boolean' },
  h: { type: 'boolean' },
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

interface Invocation {
  readonly values: Parsed;
  readonly view: ClustatView;
  readonly intervalSeconds: number;
}

/** The options, or the exit status when they end the run (usage, -v, a bad option). */
function interpret(argv: readonly string[], io: CommandIo): Invocation | number {
  let values: Parsed;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    io.stderr(`clustat: ${(e as Error).message.split('\n')[0]}\n${clustatUsage}`);
    return 1;
  }
  if (values.h) io.stdout(clustatUsage);
  if (values.v) io.stdout(`clustat version ${quorateVersion}\n`);
  if (values.h || values.v) return 0;
  if (values.i !== undefined && values.x) {
    io.stdout("Error: Options '-i' and '-x' are mutually exclusive\n");
    return 1;
  }
  if (values.i !== undefined && !/^\d{1,6}$/.test(values.i)) {
    io.stderr(`clustat: -i: "${values.i}" is not a whole number of seconds\n`);
    return 1;
  }
  const view: ClustatView = {
    ...(values.m === undefined ? {} : { member: values.m }),
    ...(values.s === undefined ? {} : { service: withType(values.s) }),
    ...(values.l ? { long: true } : {}),
    ...(io.columns === undefined ? {} : { columns: io.columns }),
  };
  // clustat took -i 0 (or less) as one second.
  const intervalSeconds = values.i === undefined ? 0 : Math.max(1, Number(values.i));
  return { values, view, intervalSeconds };
}

/** Runs `clustat ARGV…` in-process and returns its exit status. */
export async function runClustat(
  argv: readonly string[],
  env: Env,
  io: CommandIo,
  run: RunOptions = {},
): Promise<number> {
  const invocation = interpret(argv, io);
  if (typeof invocation === 'number') return invocation;
  const { values, view, intervalSeconds } = invocation;
  const unavailable = (error: AgentUnavailableError) => {
    io.stderr(`Could not connect to CMAN: ${errnoText(error)}\n`);
    io.stderr(`clustat: ${agentUnavailableDetail(error)}\n`);
    return 1;
  };
  try {
    return await withAgent(env, run, unavailable, async (client) => {
      const status = await client.status();
      if (values.Q) return status.quorum.quorate ? 0 : 1;
      if (values.I) {
        io.stdout(`0x${status.local.nodeId.toString(16).padStart(8, '0')}\n`);
        return 0;
      }
      const next = () => client.status();
      return report(status, next, view, values.x === true, { io, run, intervalSeconds });
    });
  } catch (e) {
    if (!(e instanceof AgentRequestError)) throw e;
    io.stderr(`clustat: ${e.message}\n`);
    return 1;
  }
}

async function report(
  first: ClusterStatus,
  next: () => Promise<ClusterStatus>,
  view: ClustatView,
  xml: boolean,
  { io, run, intervalSeconds }: { io: CommandIo; run: RunOptions; intervalSeconds: number },
): Promise<number> {
  const clock = run.clock ?? systemClock;
  let status = first;
  for (;;) {
    const output = xml ? formatClustatXml(status, view, clock) : formatClustat(status, view, clock);
    // -i clears the screen first, as clustat did with the terminal's clear sequence.
    io.stdout(intervalSeconds > 0 ? `\x1b[H\x1b[2J${output.text}` : output.text);
    if (intervalSeconds === 0) return output.exitCode;
    if (!(await pause(intervalSeconds * 1000, run.signal))) return output.exitCode;
    status = await next();
  }
}

/** clustat and clusvcadm add `service:` to a name that names no type (`vm:guest` keeps its own). */
export function withType(name: string): string {
  return name.includes(':') ? name : `service:${name}`;
}
