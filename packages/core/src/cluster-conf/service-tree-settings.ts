// What a tree editor does not show — `__independent_subtree`, `__max_failures`, `<action>`
// overrides — belongs to a resource, not to its place in the tree: when the console rewrites a
// service's tree, each resource that stays gets its settings back, wherever it moved.
import type { AgentCatalog } from '../agent-metadata/model.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { attr, childElements, withAttr, withChildren } from '../xml/xml-tree.js';
import { primaryAttribute } from './edit-resources.js';
import { updateElement } from './edit-tree.js';
import type { ClusterConf, ResourceConf } from './model.js';
import { readClusterConf } from './read.js';

interface KeptSettings {
  readonly internals: Readonly<Record<string, string>>;
  readonly actions: readonly XmlElement[];
}

export type TreeSettings = ReadonlyMap<string, KeptSettings>;

/** A resource in a tree is the global it refers to, or its type and primary value. */
function identity(resource: ResourceConf, catalog?: AgentCatalog): string {
  if (resource.ref !== undefined) return `${resource.type} ref=${resource.ref}`;
  return `${resource.type} ${resource.params[primaryAttribute(resource.type, catalog)] ?? ''}`;
}

function walk(nodes: readonly ResourceConf[], visit: (resource: ResourceConf) => void): void {
  for (const resource of nodes) {
    walk(resource.children, visit);
    visit(resource);
  }
}

/** The hidden settings of every resource in the service's tree. */
export function treeSettings(service: ResourceConf, catalog?: AgentCatalog): TreeSettings {
  const kept = new Map<string, KeptSettings>();
  walk(service.children, (resource) => {
    const actions = childElements(resource.el, 'action');
    if (Object.keys(resource.internals).length === 0 && actions.length === 0) return;
    kept.set(identity(resource, catalog), { internals: resource.internals, actions });
  });
  return kept;
}

/** Gives the resources of the service's new tree the settings they had in the old one. */
export function restoreTreeSettings(
  conf: ClusterConf,
  serviceName: string,
  settings: TreeSettings,
  catalog?: AgentCatalog,
): ClusterConf {
  const service = conf.rm?.services.find((s) => s.params.name === serviceName);
  if (!service || settings.size === 0) return conf;
  let root = conf.doc.root;
  walk(service.children, (resource) => {
    const kept = settings.get(identity(resource, catalog));
    if (kept) root = updateElement(root, resource, (el) => withSettings(el, kept));
  });
  return root === conf.doc.root ? conf : readClusterConf({ ...conf.doc, root });
}

function withSettings(el: XmlElement, kept: KeptSettings): XmlElement {
  let next = el;
  for (const [name, value] of Object.entries(kept.internals)) {
    if (attr(next, name) === undefined) next = withAttr(next, name, value);
  }
  if (kept.actions.length > 0 && childElements(next, 'action').length === 0) {
    next = withChildren(next, [...kept.actions, ...next.children]);
  }
  return next;
}
