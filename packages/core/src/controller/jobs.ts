// An executor's unit of work: one service's agent operations, run one at a time in order.

import type { ResourcePlan, ServicePlan, SubtreePolicy } from './service-plan.js';
import type { AgentOpAction } from './types.js';

export type JobKind =
  /** A committed transition: reported to the leader. */
  | 'start'
  | 'stop'
  | 'migrate'
  /** Local work: status checks, recovery of an independent subtree, probes, emergency stops. */
  | 'status'
  | 'inline'
  | 'non-critical'
  | 'convalesce'
  /** A committed cluster.conf changed resources of a running service: only those restart. */
  | 'config-change'
  | 'emergency'
  | 'probe'
  /** Only under the planted bug `start-from-replayed-log`: a start without the leader. */
  | 'resume';

export interface Step {
  readonly plan: ResourcePlan;
  readonly target?: string;
  readonly action: AgentOpAction;
  readonly depth: number;
  readonly timeoutMs: number;
}

export interface Job {
  readonly kind: JobKind;
  readonly service: string;
  /** The committed transition it belongs to (0 for local work). */
  readonly transition: number;
  readonly steps: Step[];
  next: number;
  inFlight: string | null;
  ok: boolean;
  /** The transition was superseded: finish the operation in flight, start no more. */
  cancelled: boolean;
  /** For probes: whether any resource answered that it runs. */
  running: boolean;
  /** What a failed status check asks for once the check ends. */
  followUp: SubtreePolicy | undefined;
  /** The independent subtree an inline, non-critical or convalesce job works on. */
  readonly subtrees: readonly string[];
}

export function newJob(
  kind: JobKind,
  service: string,
  transition: number,
  steps: Step[],
  subtrees: readonly string[] = [],
): Job {
  return {
    kind,
    service,
    transition,
    steps,
    next: 0,
    inFlight: null,
    ok: true,
    cancelled: false,
    running: false,
    followUp: undefined,
    subtrees,
  };
}

export const startSteps = (plans: readonly ResourcePlan[]): Step[] =>
  plans.map((plan) => ({ plan, action: 'start', depth: 0, timeoutMs: plan.startTimeoutMs }));

export const stopSteps = (plans: readonly ResourcePlan[]): Step[] =>
  plans.map((plan) => ({ plan, action: 'stop', depth: 0, timeoutMs: plan.stopTimeoutMs }));

/** A probe asks every resource whether it runs: `status` at depth 0. */
export function probeSteps(plan: ServicePlan): Step[] {
  return plan.start.map((p) => ({
    plan: p,
    action: 'status',
    depth: 0,
    timeoutMs: p.statusChecks[0]?.timeoutMs ?? p.stopTimeoutMs,
  }));
}

/** The longest stop of a service, for the wait after a fence that does not cut power. */
export function stopBudgetMs(plan: ServicePlan): number {
  return plan.stop.reduce((sum, p) => sum + p.stopTimeoutMs, 0);
}
