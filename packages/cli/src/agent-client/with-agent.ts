import { controlSocketPath } from '@quorate/protocol';
import type { Env, RunOptions } from '../command-io.js';
import { AgentUnavailableError, type ControlClient, connectControlSocket } from './connect.js';

/**
 * Connects to the local agent, runs `body`, and always closes the connection. When no agent
 * answers, `unavailable` prints the command's own RHCS message and gives its exit status.
 */
export async function withAgent(
  env: Env,
  options: RunOptions,
  unavailable: (error: AgentUnavailableError) => number,
  body: (client: ControlClient) => Promise<number>,
): Promise<number> {
  let client: ControlClient;
  try {
    client = await connectControlSocket(controlSocketPath(env), {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (error) {
    if (error instanceof AgentUnavailableError) return unavailable(error);
    throw error;
  }
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

/** Waits `ms`, or less when `signal` aborts; returns false when aborted. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
