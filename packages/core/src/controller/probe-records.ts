// What a leader does with a node's probe (what still runs there after a restart) and with the
// services a node owns: pure functions of the resource manager's state.
import type { NodeId } from '../consensus/types.js';
import type { ResourceManagerState, ServiceState } from '../resource-manager/model.js';
import { activeStates, serviceState, transition, withService } from '../resource-manager/model.js';

export function ownsActive(rm: ResourceManagerState, node: NodeId): boolean {
  return Object.values(rm.services).some((s) => s.owner === node && activeStates.has(s.state));
}

/**
 * The simulator (seeds 53, 93 and 354 with `--fault-ms 20000`): a service the log says is
 * started on `node` that its probe did not find was restarted in place by the node's own status
 * check, with no instruction from this term's leader (DESIGN.md §2, Restart). Nothing of it
 * runs there: it is recovered like any service whose owner stopped.
 */
export function recoverNotFound(
  rm: ResourceManagerState,
  node: NodeId,
  running: readonly string[],
  atMs: number,
): ResourceManagerState {
  let next = rm;
  for (const s of Object.values(rm.services)) {
    if (s.owner !== node || s.state !== 'started' || running.includes(s.id)) continue;
    next = withService(next, transition(s, 'recovering', undefined, atMs));
  }
  return next;
}

/**
 * A probe found `id` running on `node`. On its committed owner in `started` it is adopted as it
 * is; anywhere else it is stopped there first (and then goes back to what it was).
 */
export function strayStop(
  rm: ResourceManagerState,
  id: string,
  node: NodeId,
  atMs: number,
): ResourceManagerState {
  const s = serviceState(rm, id);
  if (s.owner === node && activeStates.has(s.state)) return rm;
  if (s.owner !== undefined && activeStates.has(s.state)) {
    // Running on two nodes already: the owner's record stands; the stray is stopped locally.
    return rm;
  }
  const after = s.state === 'disabled' ? 'disable' : s.state === 'stopped' ? 'stop' : 'recover';
  const next: ServiceState = {
    ...s,
    state: 'stopping',
    owner: node,
    pending: { kind: after },
    lastTransitionMs: atMs,
  };
  return { ...rm, services: { ...rm.services, [id]: next } };
}
