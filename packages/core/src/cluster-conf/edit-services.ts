import type { AgentCatalog } from '../agent-metadata/model.js';
import type { EditOf } from './edit-model.js';
import { EditError } from './edit-model.js';
import { resolveTreePath, treeResourceElement } from './edit-resources.js';
import type { EditStep } from './edit-support.js';
import { findService, quoteList, refuseReserved, requireIdentifier, step } from './edit-support.js';
import {
  applyAttrChanges,
  clusterSectionOrder,
  elementNames,
  ensureSection,
  insertChild,
  newElement,
  rmSectionOrder,
  updateAt,
  updateElement,
} from './edit-tree.js';
import type { ClusterConf, ResourceConf } from './model.js';

function requireDomain(conf: ClusterConf, domain: string | null | undefined, path: string): void {
  if (domain === undefined || domain === null || domain === '') return;
  if (!conf.rm?.failoverDomains.some((d) => d.name === domain)) {
    throw new EditError(`${path}/@domain`, `failover domain "${domain}" does not exist`);
  }
}

/** Services whose `depend` names this one (`service:NAME`). */
function dependents(conf: ClusterConf, name: string): string[] {
  return (conf.rm?.services ?? [])
    .filter((s) => s.params.depend === `service:${name}` || s.params.depend === `vm:${name}`)
    .map((s) => s.params.name ?? '');
}

export function addService(conf: ClusterConf, edit: EditOf<'addService'>): EditStep {
  const kind = edit.kind ?? 'service';
  const count = conf.rm?.services.filter((s) => s.el.name === kind).length ?? 0;
  const path = `/cluster/rm/${kind}[${count + 1}]`;
  requireIdentifier(edit.name, `${path}/@name`, `the ${kind} name`);
  if (conf.rm?.services.some((s) => s.params.name === edit.name)) {
    throw new EditError(`${path}/@name`, `service "${edit.name}" already exists`);
  }
  const attrs = edit.attrs ?? {};
  refuseReserved(attrs, ['name', 'ref'], path);
  requireDomain(conf, attrs.domain, path);
  const service = newElement(kind, [['name', edit.name]], attrs);
  const root = ensureSection(conf.doc.root, 'rm', clusterSectionOrder);
  const sections = new Set<string>([...rmSectionOrder, 'events', 'dependencies']);
  return step(
    updateAt(root, '/cluster/rm', (rm) => {
      // After the last service, else after the sections that lead <rm>, else before events.
      const services = rm.children.flatMap((c) =>
        c.type === 'element' && !sections.has(c.name) ? [c.name] : [],
      );
      return services.length > 0
        ? insertChild(rm, service, services)
        : insertChild(rm, service, rmSectionOrder, ['events', 'dependencies']);
    }),
  );
}

export function updateService(conf: ClusterConf, edit: EditOf<'updateService'>): EditStep {
  const svc = findService(conf, edit.name);
  refuseReserved(edit.attrs, ['name', 'ref'], svc.path);
  requireDomain(conf, edit.attrs.domain, svc.path);
  return step(updateElement(conf.doc.root, svc, (el) => applyAttrChanges(el, edit.attrs)));
}

export function deleteService(conf: ClusterConf, edit: EditOf<'deleteService'>): EditStep {
  const svc = findService(conf, edit.name);
  const deps = dependents(conf, edit.name);
  if (deps.length > 0) {
    throw new EditError(
      svc.path,
      `service "${edit.name}" is a dependency of ${quoteList(deps)}: change their depend first`,
    );
  }
  return step(updateElement(conf.doc.root, svc, () => null));
}

export function addServiceResource(
  conf: ClusterConf,
  edit: EditOf<'addServiceResource'>,
  catalog?: AgentCatalog,
): EditStep {
  const svc = findService(conf, edit.service);
  const parent = resolveTreePath(svc, edit.parent);
  const child = treeResourceElement(
    conf,
    edit.resource,
    `${parent.path}/${edit.resource.type}`,
    catalog,
  );
  return step(
    // Last among the children, after any <action> overrides.
    updateElement(conf.doc.root, parent, (el) => insertChild(el, child, elementNames(el))),
  );
}

export function deleteServiceResource(
  conf: ClusterConf,
  edit: EditOf<'deleteServiceResource'>,
): EditStep {
  const svc = findService(conf, edit.service);
  if (edit.at.length === 0) {
    throw new EditError(svc.path, 'an empty tree path is the service itself: use deleteService');
  }
  const target = resolveTreePath(svc, edit.at);
  const removed = countBelow(target.children);
  const notes =
    removed > 0 ? [`${removed} resource(s) below ${target.path} were removed with it`] : [];
  return step(
    updateElement(conf.doc.root, target, () => null),
    ...notes,
  );
}

function countBelow(children: readonly ResourceConf[]): number {
  let n = 0;
  for (const c of children) n += 1 + countBelow(c.children);
  return n;
}
