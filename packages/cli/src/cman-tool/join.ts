// cman_tool join: a running agent is asked (a member answers "Node is already active", cman's
// words); with no agent on the control socket, one is started (agent-start.ts). -w then waits
// until this node is a member.
import { controlSocketPath } from '@quorate/protocol';
import {
  AgentUnavailableError,
  type ControlClient,
  connectControlSocket,
  isPermissionError,
  pause,
} from '../agent-client/index.js';
import { type CommandIo, type Env, type RunOptions, systemClock } from '../command-io.js';
import { type AgentStartHost, planAgentStart, startAgent } from './agent-start.js';

/** How long join waits for a started agent's control socket when no -t is given. */
const DEFAULT_START_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

export interface JoinOptions {
  /** -w: return once this node is a member. */
  readonly wait: boolean;
  /** -t: how long to wait, for the agent's socket and (with -w) the membership. */
  readonly timeoutMs: number | undefined;
}

/** A refusal printed as `cman_tool: MESSAGE`, exit status 1. */
export class JoinError extends Error {}

export async function joinCluster(
  options: JoinOptions,
  env: Env,
  io: CommandIo,
  run: RunOptions,
  machine: AgentStartHost,
): Promise<number> {
  const clock = run.clock ?? systemClock;
  const deadline =
    clock.nowMs() + (options.timeoutMs ?? (options.wait ? Infinity : DEFAULT_START_TIMEOUT_MS));
  let client = await connect(env, run);
  if (client === null) {
    const plan = planAgentStart(machine);
    let how: string;
    try {
      how = startAgent(machine, plan);
    } catch (error) {
      throw new JoinError((error as Error).message);
    }
    io.stderr(`cman_tool: ${how}\n`);
    client = await waitForAgent(env, run, () => clock.nowMs() >= deadline);
    if (client === null) {
      io.stderr('Timed-out waiting for the agent to start\n');
      return 2;
    }
  } else {
    // The agent judges: a member answers "Node is already active".
    const result = await client.request({ type: 'node', request: { kind: 'join' } });
    if (result.type !== 'node' || !result.ok) {
      client.close();
      throw new JoinError(result.type === 'node' ? result.message : 'the agent gave no answer');
    }
  }
  try {
    if (!options.wait) return 0;
    for (;;) {
      if ((await client.status()).local.membership === 'member') return 0;
      if (clock.nowMs() >= deadline) {
        io.stderr('Timed-out waiting for cluster\n');
        return 2;
      }
      if (!(await pause(POLL_MS, run.signal))) return 1;
    }
  } finally {
    client.close();
  }
}

/** The agent's control socket, or null when no agent answers there. */
async function connect(env: Env, run: RunOptions): Promise<ControlClient | null> {
  try {
    return await connectControlSocket(controlSocketPath(env), {
      ...(run.timeoutMs === undefined ? {} : { timeoutMs: run.timeoutMs }),
    });
  } catch (error) {
    if (!(error instanceof AgentUnavailableError)) throw error;
    // An agent runs there but this user may not talk to it: starting another would fail.
    if (isPermissionError(error)) {
      throw new JoinError('Cannot open connection to cman, permission denied.');
    }
    return null;
  }
}

/** Polls the socket until the started agent serves it, or `expired()`. */
async function waitForAgent(
  env: Env,
  run: RunOptions,
  expired: () => boolean,
): Promise<ControlClient | null> {
  for (;;) {
    const client = await connect(env, run);
    if (client !== null) return client;
    if (expired()) return null;
    if (!(await pause(POLL_MS, run.signal))) return null;
  }
}
