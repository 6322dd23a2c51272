import type { ConfigIssue } from '@quorate/protocol';
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog } from '../agent-metadata/model.js';
import { withAttr } from '../xml/xml-tree.js';
import { applyEditWithNotes } from './edit.js';
import type { ConfigEdit, DomainMember, FenceDeviceUse, TreePath } from './edit-model.js';
import { EditError } from './edit-model.js';
import { fenceAgentInfo } from './fence-agent-catalog.js';
import type { ClusterConf } from './model.js';
import { readClusterConf } from './read.js';
import { restoreTreeSettings, treeSettings } from './service-tree-settings.js';
import { validateClusterConf } from './validate.js';

/**
 * The console's edits: the core's `ConfigEdit`s plus three that replace a whole list, as a form
 * submits it (a node's fence levels, a domain's members, a service's resource tree). They are
 * carried out as the core's own edits, so every rule of the config model applies to them.
 */
export interface FenceMethodSpec {
  readonly name: string;
  readonly devices: readonly FenceDeviceUse[];
}

/** A resource in a service tree as the tree editor holds it: a global `ref`, or inline params. */
export interface TreeSpec {
  readonly type: string;
  readonly ref?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** Resources nested below this one (inline resources only). */
  readonly children?: readonly TreeSpec[];
}

export type ConsoleEdit =
  | ConfigEdit
  /** The node's fence levels in the order they are tried; each level's devices all must succeed. */
  | {
      readonly op: 'setNodeFencing';
      readonly node: string;
      readonly methods: readonly FenceMethodSpec[];
    }
  | {
      readonly op: 'setDomainMembers';
      readonly domain: string;
      readonly members: readonly DomainMember[];
    }
  /** The service's resources, replacing the old ones; the service keeps its place and attributes. */
  | { readonly op: 'setServiceTree'; readonly service: string; readonly tree: readonly TreeSpec[] };

export interface ConsoleEditResult {
  readonly conf: ClusterConf;
  readonly notes: readonly string[];
}

type Apply = (conf: ClusterConf, edit: ConfigEdit) => ConsoleEditResult;

function nodeFencing(
  conf: ClusterConf,
  edit: Extract<ConsoleEdit, { op: 'setNodeFencing' }>,
  apply: Apply,
) {
  const node = conf.nodes.find((n) => n.name === edit.node);
  if (!node) throw new EditError('/cluster/clusternodes', `node "${edit.node}" does not exist`);
  const edits: ConfigEdit[] = node.fenceMethods.map((m) => ({
    op: 'deleteFenceMethod',
    node: edit.node,
    method: m.name,
  }));
  for (const method of edit.methods) {
    edits.push({ op: 'addFenceMethod', node: edit.node, method: method.name });
    for (const use of method.devices) {
      edits.push({ op: 'addMethodDevice', node: edit.node, method: method.name, use });
    }
  }
  return edits.reduce((r, e) => apply(r.conf, e), { conf, notes: [] } as ConsoleEditResult);
}

function domainMembers(
  conf: ClusterConf,
  edit: Extract<ConsoleEdit, { op: 'setDomainMembers' }>,
  apply: Apply,
) {
  const domain = conf.rm?.failoverDomains.find((d) => d.name === edit.domain);
  if (!domain) {
    throw new EditError(
      '/cluster/rm/failoverdomains',
      `failover domain "${edit.domain}" does not exist`,
    );
  }
  const wanted = new Set(edit.members.map((m) => m.node));
  const edits: ConfigEdit[] = [
    ...domain.nodes
      .filter((m) => !wanted.has(m.name))
      .map((m) => ({ op: 'deleteDomainMember' as const, domain: edit.domain, node: m.name })),
    ...edit.members.map((m) => ({
      op: 'setDomainMember' as const,
      domain: edit.domain,
      node: m.node,
      priority: m.priority ?? null,
    })),
  ];
  return edits.reduce((r, e) => apply(r.conf, e), { conf, notes: [] } as ConsoleEditResult);
}

function serviceTree(
  conf: ClusterConf,
  edit: Extract<ConsoleEdit, { op: 'setServiceTree' }>,
  apply: Apply,
  catalog: AgentCatalog,
): ConsoleEditResult {
  const service = conf.rm?.services.find((s) => s.params.name === edit.service);
  if (!service) throw new EditError('/cluster/rm', `service "${edit.service}" does not exist`);
  const settings = treeSettings(service, catalog);
  // The old resources go first, so an inline resource that stays is not taken for a duplicate.
  const edits: ConfigEdit[] = service.children.map(() => ({
    op: 'deleteServiceResource',
    service: edit.service,
    at: [0],
  }));
  const add = (parent: TreePath, specs: readonly TreeSpec[]) =>
    specs.forEach((spec, i) => {
      const resource =
        spec.ref !== undefined
          ? { type: spec.type, ref: spec.ref }
          : { type: spec.type, params: spec.params ?? {} };
      edits.push({ op: 'addServiceResource', service: edit.service, parent, resource });
      add([...parent, i], spec.children ?? []);
    });
  add([], edit.tree);
  const done = edits.reduce((r, e) => apply(r.conf, e), { conf, notes: [] } as ConsoleEditResult);
  return { ...done, conf: restoreTreeSettings(done.conf, edit.service, settings, catalog) };
}

/** Issues about fence devices that leave out a parameter their agent requires. */
export function fenceParameterIssues(conf: ClusterConf): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const need = (path: string, name: string, what: string) =>
    issues.push({
      severity: 'error',
      path: `${path}/@${name}`,
      rule: 'missing-fence-parameter',
      message: `${what} needs the parameter "${name}"`,
    });
  for (const device of conf.fenceDevices) {
    const info = fenceAgentInfo(device.agent);
    for (const p of info?.deviceParameters ?? []) {
      if (p.required && !device.params[p.name])
        need(device.path, p.name, `fence device "${device.name}" (${device.agent})`);
    }
  }
  for (const node of conf.nodes) {
    for (const method of node.fenceMethods) {
      for (const use of method.devices) {
        const agent = conf.fenceDevices.find((d) => d.name === use.name)?.agent;
        const info = agent === undefined ? undefined : fenceAgentInfo(agent);
        for (const p of info?.instanceParameters ?? []) {
          if (p.required && !use.params[p.name]) {
            need(
              use.path,
              p.name,
              `device "${use.name}" in method "${method.name}" of node "${node.name}"`,
            );
          }
        }
      }
    }
  }
  return issues;
}

function refuseNewFenceIssues(before: ClusterConf, after: ClusterConf): void {
  const known = new Set(fenceParameterIssues(before).map((i) => i.message));
  const fresh = fenceParameterIssues(after).find((i) => !known.has(i.message));
  if (fresh) throw new EditError(fresh.path, `${fresh.message} [${fresh.rule}]`);
}

/**
 * Applies the console's edits in order and gives the result config_version + 1: however many
 * steps a form's save takes, the cluster sees one change. Any refusal throws EditError naming
 * the field (an XPath-like path ending in `/@attribute` where the rule is about one) and the rule.
 */
export function applyConsoleEdits(
  conf: ClusterConf,
  edits: readonly ConsoleEdit[],
  catalog: AgentCatalog = builtinAgentCatalog,
): ConsoleEditResult {
  if (edits.length === 0) throw new EditError('/cluster', 'there is no change to apply');
  const apply: Apply = (c, e) => applyEditWithNotes(c, e, catalog);
  let result: ConsoleEditResult = { conf, notes: [] };
  for (const edit of edits) {
    const step =
      edit.op === 'setNodeFencing'
        ? nodeFencing(result.conf, edit, apply)
        : edit.op === 'setDomainMembers'
          ? domainMembers(result.conf, edit, apply)
          : edit.op === 'setServiceTree'
            ? serviceTree(result.conf, edit, apply, catalog)
            : apply(result.conf, edit);
    result = { conf: step.conf, notes: [...result.notes, ...step.notes] };
  }
  refuseNewFenceIssues(conf, result.conf);
  const version = String((conf.configVersion ?? 0) + 1);
  const root = withAttr(result.conf.doc.root, 'config_version', version);
  return { conf: readClusterConf({ ...result.conf.doc, root }), notes: result.notes };
}

/** What stops a config from being sent to a running cluster: runnable errors and fence parameters. */
export function commitIssues(
  conf: ClusterConf,
  catalog: AgentCatalog = builtinAgentCatalog,
): ConfigIssue[] {
  return [...validateClusterConf(conf, 'runnable', catalog).errors, ...fenceParameterIssues(conf)];
}

/** The attribute a path is about (`/cluster/fencedevices/fencedevice[2]/@name` → `name`). */
export function fieldOfPath(path: string): string | undefined {
  const at = path.lastIndexOf('/@');
  return at < 0 ? undefined : path.slice(at + 2);
}
