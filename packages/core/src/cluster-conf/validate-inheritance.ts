import type { AgentCatalog } from '../agent-metadata/model.js';
import type { ClusterConf, ResourceConf } from './model.js';
import { type Ancestor, inheritedValue } from './resource-tree.js';
import type { ResourceIndex } from './validate-resources.js';
import { refAttribute } from './validate-resources.js';
import { attrPath, type IssueSink } from './validate-values.js';

/** What the element says: the global's parameters (for a ref), then its own on top. */
function writtenParameters(res: ResourceConf, index: ResourceIndex): Record<string, string> {
  const global = res.ref === undefined ? undefined : index.globals.get(res.type)?.get(res.ref);
  return { ...(global?.params ?? {}), ...res.params };
}

/**
 * An inherited parameter without a default (or with an empty one) whose value no ancestor
 * supplies: an nfsexport that is not below a file system has no path to export. `service%nfslock`-style parameters fall back
 * to their default and are not reported.
 */
export function validateInheritance(
  conf: ClusterConf,
  index: ResourceIndex,
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  const walk = (res: ResourceConf, ancestors: readonly Ancestor[]) => {
    const attrs = writtenParameters(res, index);
    for (const param of catalog.get(res.type)?.parameters ?? []) {
      if (param.inherit === undefined || attrs[param.name] !== undefined) continue;
      const value = inheritedValue(param.inherit, ancestors);
      if (value !== undefined) {
        attrs[param.name] = value;
      } else if (!param.inherit.includes('%') && !param.defaultValue) {
        const name = attrs[refAttribute(res.type, catalog)];
        sink.warning(
          attrPath(res, param.name),
          'inherit-unresolved',
          `${res.type}${name === undefined ? '' : ` ${name}`} takes ${param.name} from the ` +
            `${param.inherit} of a resource above it, but none above it has one`,
        );
      }
    }
    const here = [...ancestors, { type: res.type, attributes: attrs }];
    for (const child of res.children) walk(child, here);
  };
  for (const root of conf.rm?.services ?? []) walk(root, []);
}
