import type { ResourceNode } from './resource-tree.js';

type Operation = 'start' | 'stop';

/**
 * The children of `node` in the order an operation visits them (rgmanager's restree.c
 * `_res_op_by_level`). Start: children of levelled types by start level, then the others in
 * tree order. Stop: the others in reverse tree order, then levelled types by stop level, each
 * type's children in reverse. Within one level the parent's listing order of types decides.
 */
function childrenInOrder(node: ResourceNode, op: Operation): ResourceNode[] {
  const levelled = node.childTypes.filter((c) => !c.forbid && c.start > 0);
  const isLevelled = (child: ResourceNode) => levelled.some((c) => c.type === child.type);
  const forward = op === 'start';
  const inTreeOrder = (list: readonly ResourceNode[]) =>
    forward ? [...list] : [...list].reverse();
  const others = inTreeOrder(node.children.filter((c) => !isLevelled(c)));
  const levelOf = (c: (typeof levelled)[number]) => (forward ? c.start : c.stop);
  // A stable sort keeps the parent's listing order for types that share a level.
  const typed = [...levelled]
    .sort((a, b) => levelOf(a) - levelOf(b))
    .flatMap((c) => inTreeOrder(node.children.filter((child) => child.type === c.type)));
  return forward ? [...typed, ...others] : [...others, ...typed];
}

/** Every node of the tree in start order: a parent before its children. */
export function startOrder(tree: ResourceNode): ResourceNode[] {
  return [tree, ...childrenInOrder(tree, 'start').flatMap(startOrder)];
}

/** Every node of the tree in stop order: children before their parent. */
export function stopOrder(tree: ResourceNode): ResourceNode[] {
  return [...childrenInOrder(tree, 'stop').flatMap(stopOrder), tree];
}
