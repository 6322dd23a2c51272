// The legacy `<rm><dependencies>` block (rgmanager's experimental dependency engine, tested by
// its dtest tool): rules between services that the resource manager can apply as placement
// constraints. Only read here; nothing in the trees depends on it.
import type { ConfigIssue } from '@quorate/protocol';
import { attrsRecord, childElements } from '../xml/xml-tree.js';
import type { ClusterConf, Located } from './model.js';
import { childPaths } from './read.js';

/** A resource named as `TYPE:NAME`, e.g. `service:a`. */
export interface ResourceId {
  readonly type: string;
  readonly name: string;
}

/** `start`: the target must run when the dependent starts; `always`: for as long as it runs. */
export type DependencyRequire = 'start' | 'always';
/** `always`: on the same node as the target; `never`: never on the same node. */
export type DependencyColocate = 'always' | 'never';

export interface DependencyTarget extends Located {
  readonly resource: ResourceId;
  readonly require: DependencyRequire | undefined;
  readonly colocate: DependencyColocate | undefined;
}

export interface DependencyRule extends Located {
  /** The dependent resource. */
  readonly resource: ResourceId;
  readonly targets: readonly DependencyTarget[];
}

export interface Dependencies {
  readonly rules: readonly DependencyRule[];
  readonly problems: readonly ConfigIssue[];
}

const requireValues: readonly string[] = ['start', 'always'];
const colocateValues: readonly string[] = ['always', 'never'];

function resourceId(text: string | undefined): ResourceId | undefined {
  const m = text === undefined ? null : /^([^:\s]+):(.+)$/.exec(text);
  return m ? { type: m[1]!, name: m[2]! } : undefined;
}

/** Names of the roots under `<rm>` by type, a `<service ref>` counting as its target's name. */
function rootNames(conf: ClusterConf): Set<string> {
  const out = new Set<string>();
  for (const root of conf.rm?.services ?? []) {
    const name = root.ref ?? root.params.name;
    if (name !== undefined) out.add(`${root.type}:${name}`);
  }
  return out;
}

/** Reads the `<dependencies>` rules; never throws, problems name the element and the rule. */
export function readDependencies(conf: ClusterConf): Dependencies {
  const problems: ConfigIssue[] = [];
  const error = (path: string, rule: string, message: string) =>
    problems.push({ severity: 'error', path, rule, message });
  const roots = rootNames(conf);
  const known = (id: ResourceId, path: string) => {
    if (!roots.has(`${id.type}:${id.name}`)) {
      error(path, 'unknown-dependency', `${id.type}:${id.name} is not a service of this cluster`);
    }
  };
  const choice = <T extends string>(l: Located, name: string, allowed: readonly string[]) => {
    const value = l.attrs[name];
    if (value === undefined || allowed.includes(value)) return value as T | undefined;
    error(`${l.path}/@${name}`, 'invalid-dependency', `${name} must be ${allowed.join(' or ')}`);
    return undefined;
  };
  const rules: DependencyRule[] = [];
  for (const dep of conf.rm?.dependencies ?? []) {
    const resource = resourceId(dep.attrs.name);
    if (!resource) {
      error(`${dep.path}/@name`, 'invalid-dependency', 'name must be TYPE:NAME, e.g. service:a');
      continue;
    }
    known(resource, `${dep.path}/@name`);
    const paths = childPaths(dep.path, dep.el);
    const targets: DependencyTarget[] = [];
    for (const el of childElements(dep.el, 'target')) {
      const t: Located = { path: paths.get(el)!, el, attrs: attrsRecord(el) };
      const target = resourceId(t.attrs.name);
      if (!target) {
        error(`${t.path}/@name`, 'invalid-dependency', 'name must be TYPE:NAME, e.g. service:b');
        continue;
      }
      if (target.type === resource.type && target.name === resource.name) {
        error(`${t.path}/@name`, 'self-dependency', `${dep.attrs.name} cannot depend on itself`);
        continue;
      }
      known(target, `${t.path}/@name`);
      targets.push({
        ...t,
        resource: target,
        require: choice<DependencyRequire>(t, 'require', requireValues),
        colocate: choice<DependencyColocate>(t, 'colocate', colocateValues),
      });
    }
    rules.push({ ...dep, resource, targets });
  }
  return { rules, problems };
}
