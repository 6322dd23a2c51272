// Removing a node from cluster.conf while it owns services (the simulator, seed 1573): the
// removal committed while a relocation to the node was pending, the node started the service,
// and the leader, no longer counting the node, placed the service again elsewhere, with no stop
// and no fence in between: two copies. A node may leave the configuration only once it owns
// nothing, and from the moment a file without it is in the log nothing is placed on it.
import { parseConfMemo } from '../consensus/parse-memo.js';
import type { NodeId } from '../consensus/types.js';
import type { ResourceManagerState } from '../resource-manager/model.js';

let lastText = '';
let lastNodes: ReadonlySet<NodeId> = new Set();

/** The `<clusternode>` names of a cluster.conf text. */
export function configuredNodes(text: string): ReadonlySet<NodeId> {
  if (text !== lastText) {
    lastNodes = new Set(parseConfMemo(text).nodes.map((n) => n.name));
    lastText = text;
  }
  return lastNodes;
}

/** States in which resources of a service may run on its owner (a failed stop included). */
const holding = new Set(['starting', 'started', 'stopping', 'migrating', 'failed']);

/**
 * Why a file that drops nodes of `before` may not be committed yet: the first service a
 * dropped node owns, or is about to receive. Undefined when nothing stands in the way.
 */
export function removalRefusal(
  rm: ResourceManagerState,
  before: ReadonlySet<NodeId>,
  after: ReadonlySet<NodeId>,
): string | undefined {
  const removed = [...before].filter((n) => !after.has(n));
  if (removed.length === 0) return undefined;
  for (const node of removed) {
    for (const s of Object.values(rm.services)) {
      const target = s.pending && 'node' in s.pending ? s.pending.node : undefined;
      if (s.owner === node && holding.has(s.state)) {
        return `clusternode ${node}: ${s.id} is ${s.state} on it; relocate or disable it before removing ${node}`;
      }
      if (target === node) {
        return `clusternode ${node}: ${s.id} is moving to it; wait until it has moved, then relocate or disable it before removing ${node}`;
      }
    }
  }
  return undefined;
}
