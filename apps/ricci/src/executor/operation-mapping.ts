// From the controller's operations to the agent runners' and back: which agent action an
// `AgentOp` runs, which OCF code the controller gets for each way a run can end, and which
// fence-agents action and input a `FenceOp` becomes.
import type { AgentOp, FenceOp } from '@quorate/core';
import type { FenceOperation } from '../agent-runner/fence-agent-runner.js';
import type { FenceAction } from '../agent-runner/fence-input.js';
import { type OcfOutcome, ocfCodes } from '../agent-runner/ocf-outcome.js';
import type { ResourceOperation } from '../agent-runner/resource-agent-runner.js';

/**
 * The code a run gets when it ended without an OCF exit code (timed out, killed by a signal,
 * cancelled at shutdown) or with a code outside 0–7: OCF_ERR_GENERIC, the generic failure.
 */
export const failedRunCode = ocfCodes.errGeneric;

/** The exit code the controller is given: 0 success, 7 not running, anything else a failure. */
export function controllerCodeOf(outcome: OcfOutcome): number {
  switch (outcome.kind) {
    case 'ocf':
      return outcome.code;
    case 'not-started':
      // No executable for the type (or it could not be executed): the OCF contract's own code.
      return ocfCodes.notInstalled;
    case 'unknown-code':
    case 'timeout':
    case 'signal':
    case 'cancelled':
      return failedRunCode;
  }
}

const isOcfType = (type: string) => type.startsWith('ocf:');

/**
 * The action the agent is run with. rgmanager's types answer `status` and `migrate TARGET`;
 * OCF agents written for Pacemaker (`ocf:heartbeat:Dummy`) answer `monitor`, which every OCF
 * agent must support, and migrate with `migrate_to` on the node the resource leaves.
 */
export function agentActionOf(op: Pick<AgentOp, 'type' | 'action'>): string {
  if (!isOcfType(op.type)) return op.action;
  if (op.action === 'status') return 'monitor';
  if (op.action === 'migrate') return 'migrate_to';
  // rgmanager's agents call it reconfig; OCF agents (Pacemaker's) call the same thing reload.
  if (op.action === 'reconfig') return 'reload';
  return op.action;
}

/** The runner's operation; `self` is this node's name (a migration's source). */
export function resourceOperationOf(op: AgentOp, self: string | undefined): ResourceOperation {
  const target = op.action === 'migrate' ? op.target : undefined;
  const ocf = isOcfType(op.type);
  let attributes = op.params;
  if (target !== undefined && ocf) {
    // Pacemaker's meta attributes of a migration, which OCF agents read as OCF_RESKEY_CRM_meta_*.
    attributes = { ...attributes, CRM_meta_migrate_target: target };
    if (self !== undefined) attributes = { ...attributes, CRM_meta_migrate_source: self };
  }
  return {
    type: op.type,
    action: agentActionOf(op),
    attributes,
    depth: op.depth,
    // A zero timeout means "none" in cluster.conf: the runner's default bounds the run instead.
    timeoutMs: op.timeoutMs > 0 ? op.timeoutMs : undefined,
    instance: op.resource,
    arguments: target !== undefined && !ocf ? [target] : undefined,
  };
}

/** What a device does when cluster.conf names no `action`: the fence-agents default. */
export const defaultFenceAction: FenceAction = 'reboot';
const fencingActions: ReadonlySet<string> = new Set<FenceAction>(['off', 'on', 'reboot']);

/**
 * The runner's operation for a device run. A device's own `action` (dual power supplies are
 * fenced with `off` on both, then `on`) is kept; actions that do not change power are refused.
 * The victim's name goes last so that a `fence_manual` wait is keyed by it.
 */
export function fenceOperationOf(
  op: FenceOp,
  timeoutMs: number | undefined,
): FenceOperation | { readonly error: string } {
  const { action = defaultFenceAction, nodename = op.victim, ...device } = op.params;
  if (!fencingActions.has(action)) {
    return {
      error: `fence device ${op.device} (method ${op.method}): action=${action} does not fence a node (use off, on or reboot)`,
    };
  }
  return {
    agent: op.agent,
    action: action as FenceAction,
    device,
    nodename,
    timeoutMs,
  };
}
