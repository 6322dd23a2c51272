import type { ConfigIssue } from '@quorate/protocol';
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import type { ClusterConf } from './model.js';
import { startOrder, stopOrder } from './resource-order.js';
import { buildResourceTrees, type ResourceNode } from './resource-tree.js';

/** rgmanager's NEEDSTOP, NEEDSTART and NEEDRECONFIG. */
export type DeltaAction = 'stop' | 'start' | 'reconfig';

export interface DeltaStep {
  readonly action: DeltaAction;
  readonly type: string;
  readonly primaryValue: string;
  /**
   * Where the resource sits in its service, e.g. `service:test1/fs:mount1/nfsexport:exp`
   * (`#2` marks the second sibling with the same type and primary value).
   */
  readonly place: string;
  /** The element it comes from: in the old configuration for a stop, the new one otherwise. */
  readonly path: string;
  /** True when the step only follows from an ancestor that stops or starts. */
  readonly implied: boolean;
  /** The attributes whose change caused the step; empty for added, removed or implied ones. */
  readonly changedAttributes: readonly string[];
}

export interface ServiceDelta {
  readonly type: string;
  readonly name: string;
  /** added: start it whole; removed: stop it whole; changed: run the steps; unchanged: nothing. */
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** In the old tree's stop order. */
  readonly stop: readonly DeltaStep[];
  /** In the new tree's start order. */
  readonly start: readonly DeltaStep[];
  /** In the new tree's start order; these resources keep running. */
  readonly reconfig: readonly DeltaStep[];
}

export interface ConfigDelta {
  /** The new configuration's services in document order, then the removed ones. */
  readonly services: readonly ServiceDelta[];
  /** What building the new configuration's trees reported. */
  readonly problems: readonly ConfigIssue[];
}

interface Mark {
  readonly place: string;
  readonly implied: boolean;
  readonly changed: readonly string[];
}

type Marks = Map<ResourceNode, Mark>;

const nodeKey = (n: ResourceNode) => `${n.type}:${n.primaryValue}`;

/** Each child with its place: `parent/type:primary`, numbered when a key repeats. */
function placedChildren(node: ResourceNode, place: string): Map<string, ResourceNode> {
  const seen = new Map<string, number>();
  const out = new Map<string, ResourceNode>();
  for (const child of node.children) {
    const key = nodeKey(child);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    out.set(`${place}/${key}${n > 1 ? `#${n}` : ''}`, child);
  }
  return out;
}

function markSubtree(node: ResourceNode, place: string, changed: readonly string[], marks: Marks) {
  marks.set(node, { place, implied: false, changed });
  const below = (n: ResourceNode, p: string) => {
    for (const [childPlace, child] of placedChildren(n, p)) {
      marks.set(child, { place: childPlace, implied: true, changed: [] });
      below(child, childPlace);
    }
  };
  below(node, place);
}

class TreeComparison {
  readonly stops: Marks = new Map();
  readonly starts: Marks = new Map();
  readonly reconfigs: Marks = new Map();

  constructor(readonly catalog: AgentCatalog) {}

  /** Attributes that differ, and whether all of them may change without a restart. */
  changedAttributes(a: ResourceNode, b: ResourceNode): { names: string[]; reconfigOnly: boolean } {
    const names = [...new Set([...Object.keys(a.attributes), ...Object.keys(b.attributes)])].filter(
      (name) => a.attributes[name] !== b.attributes[name],
    );
    const params = this.catalog.get(b.type)?.parameters ?? [];
    // `__…` internals steer rgmanager's handling of the node, not the agent: no restart.
    const restarts = (name: string) =>
      !name.startsWith('__') && !params.some((p) => p.name === name && p.reconfig);
    return { names, reconfigOnly: !names.some(restarts) };
  }

  compare(before: ResourceNode, after: ResourceNode, place: string): void {
    const { names, reconfigOnly } = this.changedAttributes(before, after);
    if (!reconfigOnly) {
      markSubtree(before, place, names, this.stops);
      markSubtree(after, place, names, this.starts);
      return;
    }
    if (names.length > 0) this.reconfigs.set(after, { place, implied: false, changed: names });
    const oldChildren = placedChildren(before, place);
    const newChildren = placedChildren(after, place);
    for (const [childPlace, child] of oldChildren) {
      const match = newChildren.get(childPlace);
      if (match) this.compare(child, match, childPlace);
      else markSubtree(child, childPlace, [], this.stops);
    }
    for (const [childPlace, child] of newChildren) {
      if (!oldChildren.has(childPlace)) markSubtree(child, childPlace, [], this.starts);
    }
  }
}

function steps(action: DeltaAction, order: readonly ResourceNode[], marks: Marks): DeltaStep[] {
  const out: DeltaStep[] = [];
  for (const node of order) {
    const mark = marks.get(node);
    if (!mark) continue;
    out.push({
      action,
      type: node.type,
      primaryValue: node.primaryValue,
      place: mark.place,
      path: node.path,
      implied: mark.implied,
      changedAttributes: mark.changed,
    });
  }
  return out;
}

function serviceDelta(
  before: ResourceNode | undefined,
  after: ResourceNode | undefined,
  catalog: AgentCatalog,
): ServiceDelta {
  const root = (after ?? before)!;
  const place = nodeKey(root);
  const cmp = new TreeComparison(catalog);
  if (before && after) cmp.compare(before, after, place);
  else if (after) markSubtree(after, place, [], cmp.starts);
  else if (before) markSubtree(before, place, [], cmp.stops);
  const stop = before ? steps('stop', stopOrder(before), cmp.stops) : [];
  const start = after ? steps('start', startOrder(after), cmp.starts) : [];
  const reconfig = after ? steps('reconfig', startOrder(after), cmp.reconfigs) : [];
  const change = !before
    ? 'added'
    : !after
      ? 'removed'
      : stop.length + start.length + reconfig.length > 0
        ? 'changed'
        : 'unchanged';
  return { type: root.type, name: root.primaryValue, change, stop, start, reconfig };
}

/**
 * What a change of configuration means for running services (rgmanager's resource_delta and
 * resource_tree_delta): resources are the same when type, primary value and place in the tree
 * agree. A new resource starts, a vanished one stops, one with a changed attribute that is not
 * `reconfig` restarts; everything below a stopping or starting resource goes with it.
 */
export function configDelta(
  oldConf: ClusterConf,
  newConf: ClusterConf,
  catalog: AgentCatalog = builtinAgentCatalog,
): ConfigDelta {
  const before = buildResourceTrees(oldConf, catalog);
  const after = buildResourceTrees(newConf, catalog);
  const oldByKey = new Map(before.trees.map((t) => [nodeKey(t), t]));
  const newKeys = new Set(after.trees.map(nodeKey));
  const services = [
    ...after.trees.map((t) => serviceDelta(oldByKey.get(nodeKey(t)), t, catalog)),
    ...before.trees
      .filter((t) => !newKeys.has(nodeKey(t)))
      .map((t) => serviceDelta(t, undefined, catalog)),
  ];
  return { services, problems: after.problems };
}
