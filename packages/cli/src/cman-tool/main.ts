import { parseArgs } from 'node:util';
import type { ClusterStatus, NodeRequest } from '@quorate/protocol';
import type { ControlClient } from '../agent-client/connect.js';
import {
  AgentRequestError,
  type AgentUnavailableError,
  agentUnavailableDetail,
  isPermissionError,
  pause,
  withAgent,
} from '../agent-client/index.js';
import { CcsToolError, configPath, readConfigFile } from '../ccs-tool/config-file.js';
import { type CommandIo, type Env, type RunOptions, systemClock } from '../command-io.js';
import { quorateVersion } from '../version.js';
import { type AgentStartHost, systemStartHost } from './agent-start.js';
import { formatCmanNodes, formatCmanStatus, formatCmanVersion } from './format.js';
import { JoinError, joinCluster } from './join.js';

export const cmanToolUsage = `Usage: cman_tool COMMAND [options]

  status                 the cluster as this node sees it
  nodes [-a] [-n NAME]   the nodes (-a with their addresses; -n only NAME, repeatable)
  version [-r]           agent and config versions; -r proposes the local cluster.conf
                         ($QUORATE_CONFIG_DIR or /etc/cluster) to the cluster
  expected -e VOTES      set expected votes (while inquorate: only once every absent
                         voter is fenced or acknowledged)
  votes -v VOTES         set this node's votes
  join [-w] [-t SECONDS] start the agent when none runs (systemctl start quorate-ricci, else
                         ricci with $RICCI_OPTS, /etc/default/quorate-ricci or
                         /etc/quorate/ricci.json); -w: until this node is a member
  leave [remove] [force] leave the cluster; remove first commits this node's votes as 0
                         (and lowers expected votes); it asks for them back when it returns
  kill -n NAME           remove NAME from the cluster (repeatable)
  wait [-q] [-t SECONDS] wait until this node is a member (-q: until quorate)
  -h                     this help; -V the version
The agent's socket is $QUORATE_SOCKET, or /run/quorate/ricci.sock.
`;

const options = {
  e: { type: 'string' },
  v: { type: 'string' },
  n: { type: 'string', multiple: true },
  a: { type: 'boolean' },
  r: { type: 'boolean' },
  S: { type: 'boolean' },
  q: { type: 'boolean' },
  t: { type: 'string' },
  w: { type: 'boolean' },
  h: { type: 'boolean' },
  V: { type: 'boolean' },
} as const;

const operations = [
  'status',
  'nodes',
  'version',
  'expected',
  'votes',
  'join',
  'leave',
  'kill',
  'wait',
] as const;
type Operation = (typeof operations)[number];

type Values = ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];

/** A failure cman_tool reports as `cman_tool: MESSAGE` with exit status 1 (cman's die()). */
class CmanToolError extends Error {}

interface Invocation {
  readonly operation: Operation;
  readonly values: Values;
  readonly remove: boolean;
  readonly force: boolean;
}

function parse(argv: readonly string[]): Invocation | 'help' | 'version' {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (e) {
    throw new CmanToolError(`${(e as Error).message.split('\n')[0]}; use -h for usage`);
  }
  const { values, positionals } = parsed;
  if (values.V) return 'version';
  let operation: Operation | undefined;
  let remove = false;
  let force = false;
  for (const word of positionals) {
    if (word === 'remove') remove = true;
    else if (word === 'force') force = true;
    else if ((operations as readonly string[]).includes(word)) {
      if (operation !== undefined) throw new CmanToolError("can't specify two operations");
      operation = word as Operation;
    } else throw new CmanToolError(`unknown option ${word}`);
  }
  if (values.h) return 'help';
  if (operation === undefined) throw new CmanToolError('no operation specified');
  return { operation, values, remove, force };
}

/** cman_tool's get_int_arg: a non-negative decimal integer. */
function integer(flag: string, value: string | undefined, operation: string): number {
  if (value === undefined) throw new CmanToolError(`${operation}: -${flag} is required`);
  if (!/^-?\d{1,9}$/.test(value)) {
    throw new CmanToolError(`argument to ${flag} (${value}) is not an integer`);
  }
  if (Number(value) < 0) throw new CmanToolError(`argument to ${flag} cannot be negative`);
  return Number(value);
}

/**
 * Runs `cman_tool ARGV…` in-process and returns its exit status. `machine`: how `join` starts an
 * agent (the real machine unless a test gives another).
 */
export async function runCmanTool(
  argv: readonly string[],
  env: Env,
  io: CommandIo,
  run: RunOptions = {},
  machine: AgentStartHost = systemStartHost(env, process.argv[1] ?? ''),
): Promise<number> {
  try {
    const invocation = parse(argv);
    if (invocation === 'help') {
      io.stdout(cmanToolUsage);
      return 0;
    }
    if (invocation === 'version') {
      io.stdout(`cman_tool ${quorateVersion} (Quorate)\n`);
      return 0;
    }
    const { operation, values } = invocation;
    if (operation === 'join') {
      const timeoutMs = values.t === undefined ? undefined : integer('t', values.t, 'join') * 1000;
      return await joinCluster({ wait: values.w === true, timeoutMs }, env, io, run, machine);
    }
    const unavailable = (error: AgentUnavailableError) => {
      const why = isPermissionError(error) ? 'permission denied.' : 'is it running ?';
      io.stderr(`cman_tool: Cannot open connection to cman, ${why}\n`);
      io.stderr(`cman_tool: ${agentUnavailableDetail(error)}\n`);
      return 1;
    };
    return await withAgent(env, run, unavailable, (client) =>
      operate(client, { ...invocation, operation }, env, io, run),
    );
  } catch (e) {
    if (
      !(
        e instanceof CmanToolError ||
        e instanceof AgentRequestError ||
        e instanceof CcsToolError ||
        e instanceof JoinError
      )
    ) {
      throw e;
    }
    io.stderr(`cman_tool: ${e.message}\n`);
    return 1;
  }
}

/** Every operation but join, which starts an agent when none answers (join.ts). */
async function operate(
  client: ControlClient,
  { operation, values, remove, force }: Invocation & { operation: Exclude<Operation, 'join'> },
  env: Env,
  io: CommandIo,
  run: RunOptions,
): Promise<number> {
  const clock = run.clock ?? systemClock;
  switch (operation) {
    case 'status':
      io.stdout(formatCmanStatus(await client.status()));
      return 0;
    case 'nodes': {
      const view = { addresses: values.a === true, ...(values.n ? { names: values.n } : {}) };
      io.stdout(formatCmanNodes(await client.status(), view, clock));
      return 0;
    }
    case 'version':
      if (values.r) return reloadConfig(client, env);
      io.stdout(formatCmanVersion(await client.status()));
      return 0;
    case 'expected': {
      const votes = integer('e', values.e, operation);
      if (votes < 1) throw new CmanToolError("can't set expected votes: it must be at least 1");
      return nodeRequest(client, { kind: 'expected', votes }, "can't set expected votes");
    }
    case 'votes': {
      const votes = integer('v', values.v, operation);
      return nodeRequest(client, { kind: 'votes', votes }, "can't set votes");
    }
    case 'leave':
      return nodeRequest(client, { kind: 'leave', remove, force }, 'Error leaving cluster');
    case 'kill':
      return killNodes(client, values.n ?? [], io);
    case 'wait':
      return waitForCluster(client, values, io, run);
  }
}

async function nodeRequest(client: ControlClient, request: NodeRequest, failure: string) {
  const result = await client.request({ type: 'node', request });
  if (result.type !== 'node' || !result.ok) {
    throw new CmanToolError(
      `${failure}: ${result.type === 'node' ? result.message : 'bad answer'}`,
    );
  }
  return 0;
}

/** Unlike cman_tool, which printed the failure and exited 0, a node not killed is status 1. */
async function killNodes(client: ControlClient, names: readonly string[], io: CommandIo) {
  if (names.length === 0) throw new CmanToolError('No node name specified');
  let status = 0;
  for (const node of names) {
    const result = await client.request({ type: 'node', request: { kind: 'kill', node } });
    if (result.type !== 'node' || !result.ok) {
      io.stderr(
        `Can't kill node ${node} : ${result.type === 'node' ? result.message : 'bad answer'}\n`,
      );
      status = 1;
    }
  }
  return status;
}

/** cman_tool version -r: propose the local cluster.conf, as cman_tool + ccs_sync did. */
async function reloadConfig(client: ControlClient, env: Env): Promise<number> {
  const file = readConfigFile(configPath(undefined, env));
  const result = await client.request({ type: 'config-update', text: file.text });
  if (result.type !== 'config-update') throw new CmanToolError('the agent gave no config result');
  if (!result.accepted) throw new CmanToolError(result.message);
  return 0;
}

const waitPollMs = 250;

async function waitForCluster(
  client: ControlClient,
  values: Values,
  io: CommandIo,
  run: RunOptions,
) {
  const timeoutMs = values.t === undefined ? undefined : integer('t', values.t, 'wait') * 1000;
  const clock = run.clock ?? systemClock;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : clock.nowMs() + timeoutMs;
  const done = (s: ClusterStatus) =>
    values.q ? s.quorum.quorate : s.local.membership === 'member';
  for (;;) {
    if (done(await client.status())) return 0;
    if (clock.nowMs() >= deadline) {
      io.stderr('Timed-out waiting for cluster\n');
      return 2;
    }
    if (!(await pause(waitPollMs, run.signal))) return 1;
  }
}
