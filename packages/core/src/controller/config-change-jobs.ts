// A committed cluster.conf that changes resources of a running service (issue 5 item 4, acted
// on): the owner stops only the changed resources and everything below them (old tree, stop
// order), starts them again (new tree, start order) and tells the others their new parameters
// (`reconfig`), while the service keeps running. A service the new file removes stops entirely.
import type { ClusterConf } from '../cluster-conf/model.js';
import type { DeltaStep } from '../cluster-conf/resource-delta.js';
import { configChangeOperations } from '../resource-manager/config-change.js';
import type { ResourceManagerState } from '../resource-manager/model.js';
import { type Job, newJob, type Step } from './jobs.js';
import type { ResourcePlan, ServicePlan } from './service-plan.js';

export interface PlannedConfig {
  readonly conf: ClusterConf;
  readonly plans: ReadonlyMap<string, ServicePlan>;
}

function byPath(plan: ServicePlan | undefined): Map<string, ResourcePlan> {
  return new Map((plan?.start ?? []).map((r) => [r.path, r]));
}

function steps(
  delta: readonly DeltaStep[],
  plans: Map<string, ResourcePlan>,
  action: 'start' | 'stop' | 'reconfig',
): Step[] {
  const out: Step[] = [];
  for (const d of delta) {
    const plan = plans.get(d.path);
    if (!plan) continue;
    const timeoutMs =
      action === 'start'
        ? plan.startTimeoutMs
        : action === 'stop'
          ? plan.stopTimeoutMs
          : plan.reconfigTimeoutMs;
    out.push({ plan, action, depth: 0, timeoutMs });
  }
  return out;
}

/** The jobs `self` runs for the services it owns that the change from `before` to `after` touches. */
export function configChangeJobs(
  before: PlannedConfig,
  after: PlannedConfig,
  state: ResourceManagerState,
  self: string,
): Job[] {
  const jobs: Job[] = [];
  for (const change of configChangeOperations(before.conf, after.conf, state)) {
    if (change.node !== self) continue;
    const old = byPath(before.plans.get(change.service));
    if (change.change === 'removed') {
      const all = before.plans.get(change.service)?.stop ?? [];
      const stops = all.map((plan) => ({
        plan,
        action: 'stop' as const,
        depth: 0,
        timeoutMs: plan.stopTimeoutMs,
      }));
      jobs.push(newJob('emergency', change.service, 0, stops));
      continue;
    }
    const now = byPath(after.plans.get(change.service));
    const all = [
      ...steps(change.stop, old, 'stop'),
      ...steps(change.start, now, 'start'),
      ...steps(change.reconfig, now, 'reconfig'),
    ];
    if (all.length > 0) jobs.push(newJob('config-change', change.service, 0, all));
  }
  return jobs;
}
