// What an executor needs to run a service: its resource tree in start and stop order (rgmanager's
// levels, from cluster-conf's resource-order), each resource's timeouts and status checks (agent
// meta-data, then `<action>` overrides), failure thresholds and independent subtrees.
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import { parseOcfDurationMs } from '../agent-metadata/duration.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import type { ClusterConf } from '../cluster-conf/model.js';
import { parseInteger } from '../cluster-conf/read.js';
import { startOrder, stopOrder } from '../cluster-conf/resource-order.js';
import { buildResourceTrees, type ResourceNode } from '../cluster-conf/resource-tree.js';

/** Used when neither meta-data nor an `<action>` gives a timeout (or gives 0: "none"). */
export const DEFAULT_AGENT_TIMEOUT_MS = 60_000;

export interface StatusCheck {
  readonly depth: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

export interface SubtreePolicy {
  readonly path: string;
  /** `__independent_subtree="2"`: left stopped on failure (the partial flag). */
  readonly nonCritical: boolean;
  /** `__max_restarts` in `__restart_expire_time`: in-place restarts before the service fails. */
  readonly maxRestarts: number;
  readonly restartExpireMs: number;
}

export interface ResourcePlan {
  /** `TYPE:PRIMARY`. */
  readonly key: string;
  readonly path: string;
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly migrateTimeoutMs: number;
  readonly reconfigTimeoutMs: number;
  readonly statusChecks: readonly StatusCheck[];
  /** `__max_failures` within `__failure_expire_time`: failures up to it count as success. */
  readonly maxFailures: number;
  readonly failureExpireMs: number;
  /** The nearest independent subtree at or above it: its path, kind and restart limit. */
  readonly subtree: SubtreePolicy | undefined;
}

export interface ServicePlan {
  readonly id: string;
  /** Every resource, parent before child (start order). */
  readonly start: readonly ResourcePlan[];
  /** Children before parent (stop order). */
  readonly stop: readonly ResourcePlan[];
  /** A subtree's resources in start order and stop order, by the subtree's path. */
  readonly subtrees: ReadonlyMap<string, { start: ResourcePlan[]; stop: ResourcePlan[] }>;
}

function durationMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseOcfDurationMs(text);
}

class PlanBuilder {
  private readonly plans = new Map<string, ResourcePlan>();

  constructor(readonly catalog: AgentCatalog) {}

  timeoutMs(node: ResourceNode, action: string, depth?: number): number {
    const matches = (a: { name: string; depth: number | string | undefined }) =>
      a.name === action && (depth === undefined || Number(a.depth ?? 0) === depth);
    const override = node.actions.find((a) => matches(a) && a.timeout !== undefined);
    const meta = this.catalog.get(node.type)?.actions.find(matches);
    const ms = durationMs(override?.timeout) ?? (meta?.timeoutS ?? 0) * 1000;
    return ms > 0 ? ms : DEFAULT_AGENT_TIMEOUT_MS;
  }

  /** rgmanager's status actions: meta-data's, each replaced by an `<action>` of the same depth. */
  statusChecks(node: ResourceNode): StatusCheck[] {
    const byDepth = new Map<number, StatusCheck>();
    for (const a of this.catalog.get(node.type)?.actions ?? []) {
      if (a.name !== 'status' || !a.intervalS) continue;
      const depth = a.depth ?? 0;
      byDepth.set(depth, {
        depth,
        intervalMs: a.intervalS * 1000,
        timeoutMs: this.timeoutMs(node, 'status', depth),
      });
    }
    for (const o of node.actions) {
      if (o.name !== 'status' && o.name !== 'monitor') continue;
      const depth = Number(o.depth ?? 0);
      const intervalMs = durationMs(o.interval) ?? byDepth.get(depth)?.intervalMs;
      if (!intervalMs) continue;
      byDepth.set(depth, { depth, intervalMs, timeoutMs: this.timeoutMs(node, 'status', depth) });
    }
    return [...byDepth.values()].sort((a, b) => a.depth - b.depth);
  }

  plan(node: ResourceNode, subtree: ResourcePlan['subtree']): ResourcePlan {
    const a = node.attributes;
    const kind = a.__independent_subtree;
    const own: SubtreePolicy | undefined =
      kind === '1' || kind === '2'
        ? {
            path: node.path,
            nonCritical: kind === '2',
            maxRestarts: Math.max(0, parseInteger(a.__max_restarts) ?? 0),
            restartExpireMs: Math.max(0, parseInteger(a.__restart_expire_time) ?? 0) * 1000,
          }
        : undefined;
    const plan: ResourcePlan = {
      key: `${node.type}:${node.primaryValue}`,
      path: node.path,
      type: node.type,
      params: Object.fromEntries(Object.entries(a).filter(([k]) => !k.startsWith('__'))),
      startTimeoutMs: this.timeoutMs(node, 'start'),
      stopTimeoutMs: this.timeoutMs(node, 'stop'),
      migrateTimeoutMs: this.timeoutMs(node, 'migrate'),
      reconfigTimeoutMs: this.timeoutMs(node, 'reconfig'),
      statusChecks: this.statusChecks(node),
      maxFailures: Math.max(0, parseInteger(a.__max_failures) ?? 0),
      failureExpireMs: Math.max(0, parseInteger(a.__failure_expire_time) ?? 0) * 1000,
      subtree: own ?? subtree,
    };
    this.plans.set(node.path, plan);
    for (const child of node.children) this.plan(child, plan.subtree);
    return plan;
  }

  of(node: ResourceNode): ResourcePlan {
    return this.plans.get(node.path)!;
  }
}

/** Plans for every service root in the configuration, by `TYPE:NAME`. */
export function buildServicePlans(
  conf: ClusterConf,
  catalog: AgentCatalog = builtinAgentCatalog,
): Map<string, ServicePlan> {
  const plans = new Map<string, ServicePlan>();
  for (const tree of buildResourceTrees(conf, catalog).trees) {
    const b = new PlanBuilder(catalog);
    b.plan(tree, undefined);
    const subtrees = new Map<string, { start: ResourcePlan[]; stop: ResourcePlan[] }>();
    const visit = (node: ResourceNode) => {
      const p = b.of(node);
      if (p.subtree?.path === node.path) {
        subtrees.set(node.path, {
          start: startOrder(node).map((n) => b.of(n)),
          stop: stopOrder(node).map((n) => b.of(n)),
        });
      }
      node.children.forEach(visit);
    };
    visit(tree);
    const id = `${tree.type}:${tree.primaryValue}`;
    plans.set(id, {
      id,
      start: startOrder(tree).map((n) => b.of(n)),
      stop: stopOrder(tree).map((n) => b.of(n)),
      subtrees,
    });
  }
  return plans;
}
