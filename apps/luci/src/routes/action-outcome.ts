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

/** Sends one action to the cluster; a cluster that cannot be reached is the link's error. */
export async function requestAction(
  cluster: string,
  link: ClusterLink | undefined,
  action: ControlAction,
): Promise<ControlResult> {
  if (link === undefined || link.state().state !== 'connected') {
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `the console has no connection to the agents of cluster "${cluster}"`,
    );
  }
  try {
    return await link.request(action);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConsoleError(
      'CONSOLE_LINK_UNAVAILABLE',
      `no agent of cluster "${cluster}" answered: ${why}`,
    );
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
