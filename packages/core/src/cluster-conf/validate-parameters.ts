import type { AgentCatalog, AgentMetadata, AgentParameter } from '../agent-metadata/model.js';
import type { ClusterConf, ResourceConf } from './model.js';
import { parseInteger } from './read.js';
import { parseIpAddress } from './validate-ip.js';
import { refAttribute } from './validate-resources.js';
import { serviceRuleAttributes } from './validate-services.js';
import {
  attrPath,
  checkInteger,
  checkTime,
  type IssueSink,
  isBooleanWord,
  missing,
} from './validate-values.js';

/** How much of a resource element the checks may expect to find written on it. */
type Definition = 'full' | 'reference';

function checkParameterValue(
  res: ResourceConf,
  param: AgentParameter,
  value: string,
  sink: IssueSink,
): void {
  const where = attrPath(res, param.name);
  if (param.type === 'integer' && parseInteger(value) === undefined) {
    sink.error(where, 'not-an-integer', `${param.name} must be an integer, not "${value}"`);
  } else if (param.type === 'boolean' && !isBooleanWord(value)) {
    sink.error(
      where,
      'not-a-boolean',
      `${param.name} must be a flag (1/0, yes/no), not "${value}"`,
    );
  } else if (param.type === 'select' && param.options.length > 0) {
    if (!param.options.includes(value)) {
      sink.error(
        where,
        'not-one-of',
        `${param.name} must be one of ${param.options.join(', ')}, not "${value}"`,
      );
    }
  }
}

/** Parameters of one element against its type's metadata. */
function checkParameters(
  res: ResourceConf,
  meta: AgentMetadata,
  definition: Definition,
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  const checkedElsewhere = serviceRuleAttributes(res.type);
  const known = new Map(meta.parameters.map((p) => [p.name, p]));
  for (const [name, value] of Object.entries(res.params)) {
    const param = known.get(name);
    if (!param) {
      sink.warning(
        attrPath(res, name),
        'unknown-parameter',
        `${res.type} has no parameter ${name}; it is kept but the agent will not use it`,
      );
    } else if (!checkedElsewhere.has(name)) {
      checkParameterValue(res, param, value, sink);
    }
  }
  if (res.type === 'ip' && res.params.address !== undefined) {
    const parsed = parseIpAddress(res.params.address);
    if (!parsed.ok) sink.error(attrPath(res, 'address'), 'invalid-ip-address', parsed.reason);
  }
  if (definition === 'reference') return;
  const key = refAttribute(res.type, catalog);
  for (const param of meta.parameters) {
    // A missing primary is reported by the reference checks; inherited values come from above.
    if (!param.required || param.name === key || param.inherit !== undefined) continue;
    if (missing(res, param.name)) {
      const which = res.params[key] === undefined ? res.type : `${res.type} ${res.params[key]}`;
      sink.error(
        attrPath(res, param.name),
        'missing-parameter',
        `${which} needs the parameter ${param.name}`,
      );
    }
  }
}

const independentSubtreeValues = ['0', '1', '2', 'yes', 'no', 'on', 'off', 'true', 'false'];

/** The `__…` attributes every resource element may carry (cluster.rng). */
function checkInternals(res: ResourceConf, sink: IssueSink): void {
  for (const [name, value] of Object.entries(res.internals)) {
    const where = attrPath(res, name);
    switch (name) {
      case '__independent_subtree':
        if (!independentSubtreeValues.includes(value.toLowerCase())) {
          sink.error(
            where,
            'not-one-of',
            `__independent_subtree must be 0, 1 (independent) or 2 (non-critical), not "${value}"`,
          );
        }
        break;
      case '__enforce_timeouts':
        if (!isBooleanWord(value)) {
          sink.error(where, 'not-a-boolean', `__enforce_timeouts must be a flag, not "${value}"`);
        }
        break;
      case '__max_failures':
      case '__max_restarts':
        checkInteger(sink, res, name, { min: 0 });
        break;
      case '__failure_expire_time':
      case '__restart_expire_time':
        checkTime(sink, res, name);
        break;
      default:
        sink.warning(
          where,
          'unknown-parameter',
          `${name} is not a resource attribute rgmanager knew`,
        );
    }
  }
}

function checkActions(res: ResourceConf, sink: IssueSink): void {
  for (const action of res.actions) {
    if (missing(action, 'name')) {
      sink.error(attrPath(action, 'name'), 'missing-attribute', '<action> needs a name');
    }
    const depth = action.depth;
    if (depth !== undefined && depth !== '*' && parseInteger(depth) === undefined) {
      sink.error(
        attrPath(action, 'depth'),
        'not-an-integer',
        `depth must be an integer or *, not "${depth}"`,
      );
    }
    checkTime(sink, action, 'interval');
    checkTime(sink, action, 'timeout');
  }
}

function checkPlacement(
  res: ResourceConf,
  parent: ResourceConf | undefined,
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  const meta = catalog.get(res.type);
  if (!parent && meta && !meta.root) {
    sink.error(
      res.path,
      'not-a-root-type',
      `a ${res.type} cannot stand directly under <rm>; put it inside a service`,
    );
  }
  const forbidden = parent && catalog.get(parent.type)?.childTypes.find((c) => c.type === res.type);
  if (forbidden?.forbid) {
    sink.error(res.path, 'forbidden-child', `a ${parent!.type} may not contain a ${res.type}`);
  }
}

function checkElement(
  res: ResourceConf,
  definition: Definition,
  catalog: AgentCatalog,
  sink: IssueSink,
  unknownTypes: Set<string>,
): void {
  checkInternals(res, sink);
  checkActions(res, sink);
  if (res.el.name === 'ocf' && !/^[\w.-]+:[\w.-]+$/.test(res.attrs.agent ?? '')) {
    sink.error(
      attrPath(res, 'agent'),
      'invalid-ocf-agent',
      `<ocf> needs agent="PROVIDER:TYPE" (for example heartbeat:IPaddr2)`,
    );
  }
  const meta = catalog.get(res.type);
  if (meta) {
    checkParameters(res, meta, definition, catalog, sink);
    return;
  }
  if (unknownTypes.has(res.type)) return;
  unknownTypes.add(res.type);
  sink.warning(
    res.path,
    'unknown-resource-type',
    `no agent metadata for resource type ${res.type}: its elements are kept as written, ` +
      'but their parameters cannot be checked',
  );
}

/** Resource parameters against agent metadata, the `__` attributes and `<action>` overrides. */
export function validateResourceParameters(
  conf: ClusterConf,
  catalog: AgentCatalog,
  sink: IssueSink,
): void {
  // One warning per unknown type, at its first element: the rest say nothing new.
  const unknownTypes = new Set<string>();
  for (const res of conf.rm?.resources ?? []) {
    checkElement(res, 'full', catalog, sink, unknownTypes);
  }
  const walk = (res: ResourceConf, parent: ResourceConf | undefined) => {
    checkElement(res, res.ref === undefined ? 'full' : 'reference', catalog, sink, unknownTypes);
    checkPlacement(res, parent, catalog, sink);
    for (const child of res.children) walk(child, res);
  };
  for (const root of conf.rm?.services ?? []) walk(root, undefined);
}
