import type { AgentCatalog } from '../agent-metadata/model.js';
import type { XmlElement } from '../xml/xml-tree.js';
import { withRmSection } from './edit-domains.js';
import type { EditOf } from './edit-model.js';
import { EditError } from './edit-model.js';
import type { EditStep } from './edit-support.js';
import { quoteList, refuseReserved, requireName, step } from './edit-support.js';
import { applyAttrChanges, insertChild, newElement, updateAt, updateElement } from './edit-tree.js';
import type { ClusterConf, ResourceConf } from './model.js';

/**
 * The attribute that names a resource of this type and that `ref` points at: the catalog's
 * primary parameter, else rgmanager's own convention (`address` for ip, `name` otherwise).
 */
export function primaryAttribute(type: string, catalog?: AgentCatalog): string {
  const meta = catalog?.get(type)?.parameters.find((p) => p.primary);
  return meta?.name ?? (type === 'ip' ? 'address' : 'name');
}

/** Element name and leading attributes for a type (`ocf:heartbeat:IPaddr2` is `<ocf agent=…>`). */
export function resourceElementName(type: string): { name: string; lead: [string, string][] } {
  if (type.startsWith('ocf:')) return { name: 'ocf', lead: [['agent', type.slice(4)]] };
  if (!/^[A-Za-z_][\w.-]*$/.test(type)) {
    throw new EditError('/cluster/rm', `"${type}" is not a valid resource type`);
  }
  return { name: type, lead: [] };
}

/** Every element of every service tree, the services themselves included. */
export function allTreeNodes(conf: ClusterConf): Array<{ service: string; node: ResourceConf }> {
  const out: Array<{ service: string; node: ResourceConf }> = [];
  const walk = (service: string, node: ResourceConf) => {
    out.push({ service, node });
    for (const child of node.children) walk(service, child);
  };
  for (const svc of conf.rm?.services ?? []) walk(svc.params.name ?? svc.ref ?? '', svc);
  return out;
}

function findGlobal(conf: ClusterConf, type: string, primary: string, catalog?: AgentCatalog) {
  const key = primaryAttribute(type, catalog);
  const found = conf.rm?.resources.find((r) => r.type === type && r.params[key] === primary);
  if (!found) {
    throw new EditError('/cluster/rm/resources', `resource ${type} "${primary}" does not exist`);
  }
  return { resource: found, key };
}

function refUsers(conf: ClusterConf, type: string, primary: string): string[] {
  const services = allTreeNodes(conf)
    .filter(({ node }) => node.type === type && node.ref === primary)
    .map(({ service }) => service);
  return [...new Set(services)];
}

export function addResource(
  conf: ClusterConf,
  edit: EditOf<'addResource'>,
  catalog?: AgentCatalog,
): EditStep {
  const count = conf.rm?.resources.length ?? 0;
  const path = `/cluster/rm/resources/${resourceElementName(edit.type).name}[${count + 1}]`;
  if (edit.type === 'service' || edit.type === 'vm') {
    throw new EditError(path, `a ${edit.type} is not a global resource: add it as a service`);
  }
  const key = primaryAttribute(edit.type, catalog);
  const value = edit.params[key];
  requireName(value ?? '', `${path}/@${key}`, `the primary attribute "${key}"`);
  refuseReserved(edit.params, ['ref', 'agent'], path);
  if (conf.rm?.resources.some((r) => r.type === edit.type && r.params[key] === value)) {
    throw new EditError(`${path}/@${key}`, `resource ${edit.type} "${value}" already exists`);
  }
  const { name, lead } = resourceElementName(edit.type);
  const resource = newElement(name, lead, edit.params);
  const root = withRmSection(conf, 'resources');
  return step(updateAt(root, '/cluster/rm/resources', (el) => insertChild(el, resource, [name])));
}

export function updateResource(
  conf: ClusterConf,
  edit: EditOf<'updateResource'>,
  catalog?: AgentCatalog,
): EditStep {
  const { resource, key } = findGlobal(conf, edit.type, edit.primary, catalog);
  refuseReserved(edit.params, ['ref', 'agent'], resource.path);
  const renamed = edit.params[key];
  if (renamed === null || (renamed !== undefined && renamed.trim() === '')) {
    throw new EditError(`${resource.path}/@${key}`, `the primary attribute "${key}" is required`);
  }
  if (renamed !== undefined && renamed !== edit.primary) {
    const users = refUsers(conf, edit.type, edit.primary);
    if (users.length > 0) {
      throw new EditError(
        `${resource.path}/@${key}`,
        `resource ${edit.type} "${edit.primary}" is referenced by service ${quoteList(users)}: remove the refs before renaming it`,
      );
    }
    if (conf.rm?.resources.some((r) => r.type === edit.type && r.params[key] === renamed)) {
      throw new EditError(
        `${resource.path}/@${key}`,
        `resource ${edit.type} "${renamed}" already exists`,
      );
    }
  }
  return step(updateElement(conf.doc.root, resource, (el) => applyAttrChanges(el, edit.params)));
}

export function deleteResource(
  conf: ClusterConf,
  edit: EditOf<'deleteResource'>,
  catalog?: AgentCatalog,
): EditStep {
  const { resource } = findGlobal(conf, edit.type, edit.primary, catalog);
  const users = refUsers(conf, edit.type, edit.primary);
  if (users.length > 0) {
    throw new EditError(
      resource.path,
      `resource ${edit.type} "${edit.primary}" is used by service ${quoteList(users)}: remove the refs first`,
    );
  }
  return step(updateElement(conf.doc.root, resource, () => null));
}

/** The tree element a path of child indexes leads to, from the service down. */
export function resolveTreePath(service: ResourceConf, at: readonly number[]): ResourceConf {
  let node = service;
  for (const [depth, i] of at.entries()) {
    const next = node.children[i];
    if (!next) {
      throw new EditError(
        node.path,
        `tree path [${at.slice(0, depth + 1).join(', ')}] of service "${service.params.name}" does not exist`,
      );
    }
    node = next;
  }
  return node;
}

export function treeResourceElement(
  conf: ClusterConf,
  resource: EditOf<'addServiceResource'>['resource'],
  path: string,
  catalog?: AgentCatalog,
): XmlElement {
  const { name, lead } = resourceElementName(resource.type);
  if ('ref' in resource) {
    findGlobal(conf, resource.type, resource.ref, catalog);
    return newElement(name, [...lead, ['ref', resource.ref]]);
  }
  const key = primaryAttribute(resource.type, catalog);
  const value = resource.params[key];
  requireName(value ?? '', `${path}/@${key}`, `the primary attribute "${key}"`);
  refuseReserved(resource.params, ['ref', 'agent'], path);
  const clash = [...(conf.rm?.resources ?? []), ...allTreeNodes(conf).map((t) => t.node)].find(
    (r) => r.type === resource.type && r.params[key] === value,
  );
  if (clash) {
    throw new EditError(
      `${path}/@${key}`,
      `${resource.type} "${value}" is already defined at ${clash.path}: use a ref to a global resource instead`,
    );
  }
  return newElement(name, lead, resource.params);
}
