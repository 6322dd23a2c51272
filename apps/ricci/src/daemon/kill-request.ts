// `cman_tool kill -n NODE` (rhcs.md §3.3): NODE's agent exits at once, without the leave notice
// a clean stop sends, so its peers take it for failed and fence it before they recover its
// services — exactly as after a crash, and as safe, because recovery waits for the fence.
//
// Killing this node itself is allowed, as cman allowed it (its kill message came back to it
// through the ring): the command is answered first, then the agent exits.
import type { NodeStatus } from '@quorate/core';
import type { ControlResult } from '@quorate/protocol';
import type { JsonLog } from './json-log.js';

/** The status an agent exits with when a kill told it to (0 is a clean leave, 2 bad options). */
export const KILLED_EXIT_STATUS = 3;

type NodeResult = Extract<ControlResult, { type: 'node' }>;

export interface KillRequestContext {
  readonly nodeName: string;
  readonly log: JsonLog;
  /** The committed voting set and the current members, as this node sees them now. */
  readonly status: () => Pick<NodeStatus, 'voters' | 'members'>;
  /** Sends `node` a kill frame on the peer link; true once it is written to the link. */
  readonly sendKill: (node: string) => Promise<boolean>;
  /** Kills this node (as a kill frame from itself would). */
  readonly killSelf: () => void;
}

/**
 * The requesting agent's side: `node` must be a node of the committed configuration and a
 * current member. The answer comes once the frame is written to the link to `node`; the
 * membership events of the survivors tell the rest.
 */
export async function requestKill(node: string, context: KillRequestContext): Promise<NodeResult> {
  const { voters, members } = context.status();
  const refusal = !voters.includes(node)
    ? 'no such node in the cluster configuration'
    : !members.includes(node)
      ? 'node is not a cluster member'
      : null;
  if (refusal !== null) {
    context.log('warn', 'kill-refused', { node, reason: refusal });
    return { type: 'node', ok: false, message: refusal };
  }
  if (node === context.nodeName) {
    context.log('warn', 'kill-requested', { node, delivered: true });
    // The answer goes out in the promise callbacks that follow this one (control socket,
    // console API); a macrotask later it has been written, and the agent may die.
    setImmediate(context.killSelf);
    return { type: 'node', ok: true, message: `killing this node (${node})` };
  }
  const delivered = await context.sendKill(node);
  context.log('warn', 'kill-requested', { node, delivered });
  return delivered
    ? { type: 'node', ok: true, message: `kill sent to ${node}` }
    : { type: 'node', ok: false, message: `no link to it from ${context.nodeName}` };
}

export interface KilledContext {
  readonly log: JsonLog;
  /** Stops the node taking input and sending anything, before `exit`. */
  readonly silence: () => void;
  /** Ends the agent without its leave notice (the process exits in `ricci`). */
  readonly exit: (from: string) => void;
}

/**
 * The target's side: a kill frame from `from` (a member, whose certificate the link checked).
 * No leave notice and no service stop: fencing is what makes this safe, as after a crash.
 */
export function obeyKill(from: string, context: KilledContext): void {
  context.log('error', 'killed', { from, exitStatus: KILLED_EXIT_STATUS });
  context.silence();
  context.exit(from);
}
