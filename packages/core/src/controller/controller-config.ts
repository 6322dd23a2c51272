// Everything the controller reads from the committed cluster.conf, compiled once per version:
// placement's view, the executors' service plans, fence methods and the fencing clocks in ticks.
import type { ClusterConf } from '../cluster-conf/model.js';
import { parseConfMemo } from '../consensus/parse-memo.js';
import type { Timings } from '../consensus/timings.js';
import type { NodeId } from '../consensus/types.js';
import { type RmConfig, readRmConfig } from '../resource-manager/rm-config.js';
import { type FenceMethodPlan, type FenceTimings, fenceMethodsOf } from './fencer.js';
import { stopBudgetMs } from './jobs.js';
import { buildServicePlans, type ServicePlan } from './service-plan.js';

/** fenced's pause between two rounds of every method (its `override_time`). */
export const FENCE_RETRY_DELAY_MS = 3000;

/**
 * How long a node keeps its services without hearing a quorate leader: the consensus lease
 * (one token) plus the longest election (two tokens), so an ordinary change of leader does not
 * stop every service in the cluster. A minority node has stopped by then. Non-power fences
 * wait it out, plus a clock-drift bound, before recovery.
 */
export function serviceLeaseTicks(timings: Timings): number {
  return timings.leaseTicks + 2 * timings.tokenTicks;
}

/** Clocks may drift 10% apart (the bound the consensus leader lease assumes too). */
export function driftTicks(ticks: number): number {
  return Math.ceil(ticks / 10) + 1;
}

export interface ControllerConfig {
  readonly conf: ClusterConf;
  readonly rm: RmConfig;
  readonly plans: ReadonlyMap<string, ServicePlan>;
  readonly postJoinDelayTicks: number;
  readonly cleanStart: boolean;
  readonly serviceLeaseTicks: number;
  readonly fenceTimings: FenceTimings;
  fenceMethods(node: NodeId): FenceMethodPlan[];
}

export function compileControllerConfig(
  text: string,
  timings: Timings,
  tickMs: number,
): ControllerConfig {
  // The consensus layer has parsed this committed text already (its version, its voting set).
  const conf = parseConfMemo(text);
  const ticks = (ms: number) => Math.max(0, Math.ceil(ms / tickMs));
  const plans = buildServicePlans(conf);
  const lease = serviceLeaseTicks(timings);
  const longestStopMs = Math.max(0, ...[...plans.values()].map(stopBudgetMs));
  const daemon = conf.fenceDaemon;
  const postJoinDelayS = daemon?.postJoinDelay ?? 6;
  return {
    conf,
    rm: readRmConfig(conf),
    plans,
    // -1 is "wait forever" in fenced; a very long wait does the same.
    postJoinDelayTicks: postJoinDelayS < 0 ? Number.MAX_SAFE_INTEGER : ticks(postJoinDelayS * 1000),
    cleanStart: daemon?.cleanStart ?? false,
    serviceLeaseTicks: lease,
    fenceTimings: {
      postFailDelayTicks: ticks(Math.max(0, daemon?.postFailDelay ?? 0) * 1000),
      retryDelayTicks: ticks(FENCE_RETRY_DELAY_MS),
      settleTicks: lease + driftTicks(lease) + ticks(longestStopMs),
    },
    fenceMethods: (node) => fenceMethodsOf(conf, node),
  };
}
