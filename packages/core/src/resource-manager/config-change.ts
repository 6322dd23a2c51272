// What a committed configuration change means for the services that run (rgmanager's
// resource_delta acted on): only the resources that changed, and everything below them, stop
// and start; attributes the agent marks `reconfig` change in place; removed services stop.
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import type { ClusterConf } from '../cluster-conf/model.js';
import { configDelta, type DeltaStep } from '../cluster-conf/resource-delta.js';
import type { ResourceManagerState } from './model.js';

export interface RunningServiceChange {
  readonly service: string;
  /** The node it runs on, where the operations run. */
  readonly node: string;
  /** `removed`: stop the whole service; `changed`: run the steps, the service keeps running. */
  readonly change: 'changed' | 'removed';
  /** In stop order: run first. */
  readonly stop: readonly DeltaStep[];
  /** Then these, in start order. */
  readonly start: readonly DeltaStep[];
  /** Resources that keep running and are told their new parameters. */
  readonly reconfig: readonly DeltaStep[];
}

/**
 * The resource operations a change from `before` to `after` implies for each service that is
 * started, in the new configuration's document order. Added services are not listed: the next
 * evaluation places them like any other.
 */
export function configChangeOperations(
  before: ClusterConf,
  after: ClusterConf,
  state: ResourceManagerState,
  catalog: AgentCatalog = builtinAgentCatalog,
): RunningServiceChange[] {
  const out: RunningServiceChange[] = [];
  for (const d of configDelta(before, after, catalog).services) {
    if (d.change !== 'changed' && d.change !== 'removed') continue;
    const s = state.services[`${d.type}:${d.name}`];
    if (s?.state !== 'started' || s.owner === undefined) continue;
    out.push({
      service: s.id,
      node: s.owner,
      change: d.change,
      stop: d.stop,
      start: d.start,
      reconfig: d.reconfig,
    });
  }
  return out;
}
