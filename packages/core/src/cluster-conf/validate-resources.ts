import type { AgentCatalog } from '../agent-metadata/model.js';
import type { ClusterConf, ResourceConf } from './model.js';
import { attrPath, type IssueSink, listText, missing } from './validate-values.js';

/** One element of a service tree, with the service (or vm) it belongs to. */
export interface TreeOccurrence {
  readonly res: ResourceConf;
  /** `service test1`, `vm guest2`: how messages name the tree. */
  readonly owner: string;
  readonly depth: number;
}

/** Resolution of the `<rm>` section: the global resources and every tree element. */
export interface ResourceIndex {
  /** type → primary value → the global resource under `<resources>`. */
  readonly globals: ReadonlyMap<string, ReadonlyMap<string, ResourceConf>>;
  readonly occurrences: readonly TreeOccurrence[];
}

/** The attribute `ref` points at: the type's primary parameter (rgmanager's default `name`). */
export function refAttribute(type: string, catalog: AgentCatalog): string {
  const meta = catalog.get(type);
  const primary = meta?.parameters.find((p) => p.primary)?.name;
  return primary ?? (type === 'ip' && !meta ? 'address' : 'name');
}

/** How a root (service, vm) is named: by its `name`, or by the global it refers to. */
export function rootName(root: ResourceConf): string {
  return root.ref ?? root.params.name ?? '';
}

function ownerLabel(root: ResourceConf): string {
  const name = rootName(root);
  return name === '' ? root.path : `${root.type} ${name}`;
}

export function collectOccurrences(conf: ClusterConf): TreeOccurrence[] {
  const out: TreeOccurrence[] = [];
  const walk = (res: ResourceConf, owner: string, depth: number) => {
    out.push({ res, owner, depth });
    for (const child of res.children) walk(child, owner, depth + 1);
  };
  for (const root of conf.rm?.services ?? []) walk(root, ownerLabel(root), 0);
  return out;
}

function describe(res: ResourceConf, key: string): string {
  const value = res.attrs[key];
  return value === undefined ? `<${res.el.name}> at ${res.path}` : `${res.type} ${value}`;
}

/**
 * rgmanager's `store_resource`: within a type, no two resources (global or inline) share their
 * primary value or the value of a `unique` parameter.
 */
function checkUniqueValues(
  resources: readonly ResourceConf[],
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  const seen = new Map<string, ResourceConf>();
  for (const res of resources) {
    const key = refAttribute(res.type, catalog);
    const uniques = catalog.get(res.type)?.parameters.filter((p) => p.unique || p.primary) ?? [];
    const names = uniques.length > 0 ? uniques.map((p) => p.name) : [key];
    for (const name of names) {
      const value = res.params[name];
      if (value === undefined) continue;
      const slot = `${res.type}\u0000${name}\u0000${value}`;
      const first = seen.get(slot);
      if (!first) {
        seen.set(slot, res);
        continue;
      }
      const primary = name === key;
      sink.error(
        attrPath(res, name),
        primary ? 'duplicate-resource' : 'duplicate-unique-parameter',
        primary
          ? `there is already a ${res.type} resource with ${name} ${value} (${first.path})`
          : `${name} ${value} is already used by ${describe(first, key)} (${first.path}); ` +
              `no two ${res.type} resources may share it`,
      );
    }
  }
}

function indexGlobals(
  conf: ClusterConf,
  catalog: AgentCatalog,
  sink: IssueSink,
): Map<string, Map<string, ResourceConf>> {
  const globals = new Map<string, Map<string, ResourceConf>>();
  for (const res of conf.rm?.resources ?? []) {
    const key = refAttribute(res.type, catalog);
    if (missing(res, key)) {
      sink.error(
        attrPath(res, key),
        'missing-attribute',
        `a global <${res.el.name}> needs its ${key}: services refer to it by that`,
      );
      continue;
    }
    if (res.children.length > 0) {
      sink.warning(
        res.path,
        'ignored-children',
        `children of a global resource are ignored; nest them under the ${res.type} ` +
          'where a service uses it',
      );
    }
    const byValue = globals.get(res.type) ?? new Map<string, ResourceConf>();
    globals.set(res.type, byValue);
    if (!byValue.has(res.params[key]!)) byValue.set(res.params[key]!, res);
  }
  return globals;
}

function checkReferences(
  index: ResourceIndex,
  inline: readonly ResourceConf[],
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  for (const { res } of index.occurrences) {
    if (res.ref === undefined) continue;
    const key = refAttribute(res.type, catalog);
    if (index.globals.get(res.type)?.has(res.ref)) continue;
    const inlined = inline.find((r) => r.type === res.type && r.params[key] === res.ref);
    if (inlined) {
      sink.error(
        attrPath(res, 'ref'),
        'ref-to-inline-resource',
        `${res.type} ${res.ref} is defined inline at ${inlined.path}; a ref may only name a ` +
          'resource under <resources>',
      );
    } else {
      sink.error(
        attrPath(res, 'ref'),
        'unknown-resource-ref',
        `there is no ${res.type} resource with ${key} ${res.ref} under <resources>`,
      );
    }
  }
}

function usersText(owners: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  return listText([...counts].map(([o, n]) => (n === 1 ? o : `${o} (${n} times)`)));
}

/**
 * A resource used in more places than its type's `maxinstances` allows (an ip address in two
 * services). rgmanager only warned and silently kept the first use; here it is an error.
 */
function checkInstances(index: ResourceIndex, catalog: AgentCatalog, sink: IssueSink): void {
  const uses = new Map<ResourceConf, TreeOccurrence[]>();
  for (const occ of index.occurrences) {
    const global = occ.res.ref && index.globals.get(occ.res.type)?.get(occ.res.ref);
    if (!global) continue;
    const list = uses.get(global) ?? [];
    list.push(occ);
    uses.set(global, list);
  }
  for (const [global, list] of uses) {
    const max = catalog.get(global.type)?.maxInstances;
    if (max === undefined || list.length <= max) continue;
    const key = refAttribute(global.type, catalog);
    const excess = list[max]!;
    sink.error(
      attrPath(excess.res, 'ref'),
      'max-instances-exceeded',
      `${global.type} ${global.params[key]} is used by ${usersText(list.map((u) => u.owner))}, ` +
        `but type ${global.type} allows each resource ${max} use${max === 1 ? '' : 's'} ` +
        `(maxinstances ${max})`,
    );
  }
}

/** Resolves `ref`s and checks uniqueness and instance counts; returns the index it built. */
export function validateResourceReferences(
  conf: ClusterConf,
  catalog: AgentCatalog,
  sink: IssueSink,
): ResourceIndex {
  const globals = indexGlobals(conf, catalog, sink);
  const occurrences = collectOccurrences(conf);
  const index: ResourceIndex = { globals, occurrences };
  const inline = occurrences.filter((o) => o.res.ref === undefined).map((o) => o.res);
  for (const res of inline) {
    const key = refAttribute(res.type, catalog);
    if (missing(res, key) && catalog.has(res.type)) {
      sink.error(
        attrPath(res, key),
        'missing-attribute',
        `<${res.el.name}> needs its ${key} (or a ref to a resource under <resources>)`,
      );
    }
  }
  // Roots (services, vms) are named by validateServices, which also sees the ones used by ref.
  const nested = occurrences.filter((o) => o.res.ref === undefined && o.depth > 0);
  checkUniqueValues([...(conf.rm?.resources ?? []), ...nested.map((o) => o.res)], catalog, sink);
  checkReferences(index, inline, catalog, sink);
  checkInstances(index, catalog, sink);
  return index;
}
