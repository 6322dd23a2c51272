import { type ActionOutcome, actionOutcomeSchema, type ServiceAction } from '@quorate/protocol';
import { ApiError, callApi } from '../api/api-client.js';

const clusterPath = (cluster: string) => `/api/clusters/${encodeURIComponent(cluster)}`;

/** clusvcadm's service requests; `node` for enable, relocate and migrate (`-m`). */
export function serviceAction(
  cluster: string,
  service: string,
  action: ServiceAction,
  node?: string,
): Promise<ActionOutcome> {
  return callApi(
    'POST',
    `${clusterPath(cluster)}/services/${encodeURIComponent(service)}/${action}`,
    { body: node === undefined ? {} : { node }, schema: actionOutcomeSchema },
  );
}

/** clusvcadm -l / -u. */
export function setLock(cluster: string, locked: boolean): Promise<ActionOutcome> {
  return callApi('POST', `${clusterPath(cluster)}/${locked ? 'lock' : 'unlock'}`, {
    body: {},
    schema: actionOutcomeSchema,
  });
}

/** fence_ack_manual NODE. */
export function fenceAck(cluster: string, node: string): Promise<ActionOutcome> {
  return callApi('POST', `${clusterPath(cluster)}/nodes/${encodeURIComponent(node)}/fence-ack`, {
    body: {},
    schema: actionOutcomeSchema,
  });
}

/** What a node command does: `cman_tool leave` on that node, or `fence_node NODE`. */
export type NodeCommand = 'leave' | 'fence';

/** cman_tool leave (asked of that node's agent) or fence_node (the leader fences it). */
export function nodeCommand(
  cluster: string,
  node: string,
  command: NodeCommand,
): Promise<ActionOutcome> {
  return callApi('POST', `${clusterPath(cluster)}/nodes/${encodeURIComponent(node)}/${command}`, {
    body: {},
    schema: actionOutcomeSchema,
  });
}

/** What an action ended with, for the page's notice: the cluster's words either way. */
export interface Outcome {
  readonly tone: 'ok' | 'bad';
  readonly text: string;
  /** clusvcadm's second line after an enable or relocate: where the service runs now. */
  readonly detail: string | null;
}

/** Runs an action on `subject` (a service, a node, the cluster) and words its outcome. */
export async function outcomeOf(
  run: () => Promise<ActionOutcome>,
  subject: string,
): Promise<Outcome> {
  try {
    const outcome = await run();
    // Only actions that place a service report an owner (clusvcadm's second line).
    const placed =
      outcome.owner === undefined
        ? null
        : `${subject} is now running on ${outcome.owner ?? 'none'}`;
    return { tone: 'ok', text: outcome.text, detail: placed };
  } catch (error) {
    const text =
      error instanceof ApiError || error instanceof Error ? error.message : String(error);
    return { tone: 'bad', text, detail: null };
  }
}
