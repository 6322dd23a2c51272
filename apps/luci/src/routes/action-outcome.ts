import type {
  ActionOutcome,
  ControlAction,
  ControlResult,
  RmResult,
  ServiceAction,
} from '@quorate/protocol';
import { serviceActionsWithNode } from '@quorate/protocol';
import type { ClusterLink } from '../cluster-link/cluster-link.js';
import { ConsoleError } from '../errors/console-error.js';

/**
 * What clusvcadm prints before the cluster's answer. The console is no cluster member, so
 * where clusvcadm said "Local machine disabling service:x..." it says "Disabling service:x...".
 */
export function serviceActionWords(action: ServiceAction, service: string, node?: string): string {
  const to = node === undefined ? '' : ` to ${node}`;
  switch (action) {
    case 'enable':
      return node === undefined
        ? `Trying to enable ${service}...`
        : `Member ${node} trying to enable ${service}...`;
    case 'relocate':
    case 'migrate':
      return `Trying to ${action} ${service}${to}...`;
    case 'restart':
      return `Trying to restart ${service}...`;
    default:
      return `${capitalised(progressive[action])} ${service}...`;
  }
}

const progressive: Record<
  Exclude<ServiceAction, 'enable' | 'relocate' | 'migrate' | 'restart'>,
  string
> = {
  disable: 'disabling',
  stop: 'stopping',
  freeze: 'freezing',
  unfreeze: 'unfreezing',
  convalesce: 'convalescing',
};

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** rgmanager's "already running" counts as done, as clusvcadm's exit status says. */
const alreadyRunningCode = -10;

/** The cluster's link when it is connected; a 503 naming the cluster otherwise. */
export function connectedLink(cluster: string, link: ClusterLink | undefined): ClusterLink {
  if (link === undefined || link.state().state !== 'connected') {
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `the console has no connection to the agents of cluster "${cluster}"`,
    );
  }
  return link;
}

/**
 * Sends one action to the cluster, or to `node`'s own agent when the node must act itself; a
 * cluster or node that cannot be reached is the link's error.
 */
export async function requestAction(
  cluster: string,
  link: ClusterLink | undefined,
  action: ControlAction,
  node?: string,
): Promise<ControlResult> {
  const connected = connectedLink(cluster, link);
  try {
    return node === undefined
      ? await connected.request(action)
      : await connected.requestAt(node, action);
  } catch (error) {
    if (error instanceof ConsoleError && error.code === 'CONSOLE_NOT_FOUND') throw error;
    const why = error instanceof Error ? error.message : String(error);
    const silent =
      node === undefined
        ? `no agent of cluster "${cluster}" answered`
        : `the agent of ${node} did not answer`;
    throw new ConsoleError('CONSOLE_LINK_UNAVAILABLE', `${silent}: ${why}`, { cause: error });
  }
}

function expectRm(result: ControlResult): RmResult {
  if (result.type !== 'rm') {
    throw new ConsoleError('CONSOLE_INTERNAL', `the agent answered with a ${result.type} result`);
  }
  return result;
}

/**
 * A service action's answer in clusvcadm's words; a refusal throws with the same words. Like
 * clusvcadm, it says where the service runs only after an action that placed it.
 */
export function serviceOutcome(
  action: ServiceAction,
  words: string,
  result: ControlResult,
): ActionOutcome {
  const rm = expectRm(result);
  const text = `${words}${rm.message}`;
  if (rm.code !== 0 && rm.code !== alreadyRunningCode) {
    throw new ConsoleError('CONSOLE_ACTION_REFUSED', rm.detail ? `${text}: ${rm.detail}` : text);
  }
  return serviceActionsWithNode.includes(action) ? { text, owner: rm.owner } : { text };
}

/** clusvcadm -l / -u: "Resource groups locked", or "Lock operation failed" and why. */
export function lockOutcome(locked: boolean, result: ControlResult): ActionOutcome {
  const rm = expectRm(result);
  if (rm.code !== 0) {
    const failed = locked ? 'Lock operation failed' : 'Unlock operation failed';
    const why = rm.detail ? `${rm.message}: ${rm.detail}` : rm.message;
    throw new ConsoleError('CONSOLE_ACTION_REFUSED', `${failed}: ${why}`);
  }
  return { text: `Resource groups ${locked ? 'locked' : 'unlocked'}`, locked: rm.locked ?? locked };
}

/** fence_ack_manual: the agent's own words either way. */
export function fenceAckOutcome(result: ControlResult): ActionOutcome {
  if (result.type !== 'fence-ack') {
    throw new ConsoleError('CONSOLE_INTERNAL', `the agent answered with a ${result.type} result`);
  }
  if (!result.ok) throw new ConsoleError('CONSOLE_ACTION_REFUSED', result.message);
  return { text: result.message };
}

/**
 * cman_tool leave and fence_node: the command and node, then the agent's words; a failure is a
 * refusal with the agent's words ("cman_tool fence: not supported yet…").
 */
export function nodeOutcome(command: string, result: ControlResult): ActionOutcome {
  if (result.type !== 'node') {
    throw new ConsoleError('CONSOLE_INTERNAL', `the agent answered with a ${result.type} result`);
  }
  if (!result.ok)
    throw new ConsoleError('CONSOLE_ACTION_REFUSED', `${command} failed: ${result.message}`);
  return { text: `${command}: ${result.message}` };
}
