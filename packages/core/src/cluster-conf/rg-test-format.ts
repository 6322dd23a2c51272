// Text in the shape rgmanager's rg_test printed (CL3 rgmanager/src/daemons/test.c, restree.c
// `_print_resource_tree`, reslist.c `print_resource`), so trees can be compared with the
// .expected files of rgmanager's own tests and administrators see the familiar layout.
import type { ConfigIssue } from '@quorate/protocol';
import { builtinAgentCatalog } from '../agent-metadata/catalog.js';
import type { AgentCatalog, AgentParameter } from '../agent-metadata/model.js';
import { isTrue, parseInteger } from './read.js';
import { startOrder, stopOrder } from './resource-order.js';
import type { ResourceEntry, ResourceNode, ResourceTrees } from './resource-tree.js';

/** The agent file rg_test named: `ip.sh` for a built-in type, `IPaddr2` for `ocf:heartbeat:IPaddr2`. */
export function agentFileName(type: string): string {
  return type.startsWith('ocf:') ? type.slice(type.lastIndexOf(':') + 1) : `${type}.sh`;
}

function parameterFlags(p: AgentParameter): string {
  const flags: string[] = [];
  if (p.primary) flags.push('primary');
  if (p.unique) flags.push('unique');
  if (p.required) flags.push('required');
  if (p.reconfig) flags.push('reconfig');
  if (p.inherit !== undefined) flags.push(`inherit("${p.inherit}")`);
  return flags.length === 0 ? '' : ` [ ${flags.join(' ')} ]`;
}

/** One block of the resource list, ending with a newline. */
export function formatResourceEntry(
  entry: ResourceEntry,
  catalog: AgentCatalog = builtinAgentCatalog,
): string {
  const meta = catalog.get(entry.type);
  const lines: string[] = [];
  const marks = `${meta?.root ? ' [ROOT]' : ''}${entry.inline ? ' [INLINE]' : ''}`;
  lines.push(`Resource type: ${entry.type}${marks}`);
  if (meta?.maxInstances !== undefined) {
    lines.push(`Instances: ${entry.references}/${meta.maxInstances}`);
  }
  lines.push(`Agent: ${agentFileName(entry.type)}`, 'Attributes:');
  const known = new Set<string>();
  for (const p of meta?.parameters ?? []) {
    known.add(p.name);
    const value = entry.attributes[p.name];
    if (value !== undefined) lines.push(`  ${p.name} = ${value}${parameterFlags(p)}`);
    else if (p.inherit !== undefined) lines.push(`  ${p.name}${parameterFlags(p)}`);
  }
  for (const [name, value] of Object.entries(entry.attributes)) {
    if (!known.has(name)) lines.push(`  ${name} = ${value}`);
  }
  if (lines.length === 4) lines.push('  - none -');
  return `${lines.join('\n')}\n`;
}

export function formatResourceList(
  resources: readonly ResourceEntry[],
  catalog: AgentCatalog = builtinAgentCatalog,
): string {
  return `=== Resources List ===\n${resources.map((r) => `${formatResourceEntry(r, catalog)}\n`).join('')}`;
}

/** rgmanager's per-node flags that come from the configuration (`__…` internals). */
function nodeFlags(node: ResourceNode): string[] {
  const flags: string[] = [];
  const independent = node.attributes.__independent_subtree;
  if (independent !== undefined && (independent.trim() === '1' || isTrue(independent))) {
    flags.push('INDEPENDENT');
  }
  const enforce = node.attributes.__enforce_timeouts;
  if (enforce !== undefined && ((parseInteger(enforce) ?? 0) > 0 || isTrue(enforce))) {
    flags.push('ENFORCE-TIMEOUTS');
  }
  return flags;
}

/** Extra marks to print after a node's type, e.g. NEEDSTART from a config delta. */
export type NodeMarks = (node: ResourceNode) => readonly string[];

function printTree(
  node: ResourceNode,
  depth: number,
  catalog: AgentCatalog,
  marks: NodeMarks,
  out: string[],
): void {
  const pad = '  '.repeat(depth);
  const flags = [...marks(node), ...nodeFlags(node)];
  out.push(`${pad}${node.type}${flags.length > 0 ? ` [ ${flags.join(' ')} ]` : ''} {`);
  const names = (catalog.get(node.type)?.parameters ?? []).map((p) => p.name);
  for (const name of Object.keys(node.attributes)) {
    if (!names.includes(name) && !name.startsWith('__')) names.push(name);
  }
  for (const name of names) {
    const value = node.attributes[name];
    if (value !== undefined) out.push(`${pad}  ${name} = "${value}";`);
  }
  for (const child of node.children) printTree(child, depth + 1, catalog, marks, out);
  out.push(`${pad}}`);
}

export function formatResourceTree(
  tree: ResourceNode,
  catalog: AgentCatalog = builtinAgentCatalog,
  marks: NodeMarks = () => [],
): string {
  const out: string[] = [];
  printTree(tree, 0, catalog, marks, out);
  return `${out.join('\n')}\n`;
}

/** `type:primary`, the name rgmanager gave a resource instance in logs and transcripts. */
export function instanceName(node: Pick<ResourceNode, 'type' | 'primaryValue'>): string {
  return `${node.type}:${node.primaryValue}`;
}

/** What `rg_test … start`/`stop` printed when its agents only echoed what they were asked. */
export function formatTranscript(trees: readonly ResourceNode[], op: 'start' | 'stop'): string {
  const out: string[] = [];
  for (const tree of trees) {
    const name = tree.primaryValue;
    out.push(op === 'start' ? `Starting ${name}...` : `Stopping ${name}...`);
    for (const node of op === 'start' ? startOrder(tree) : stopOrder(tree)) {
      out.push(`[${op}] ${instanceName(node)}`);
    }
    out.push(op === 'start' ? `Start of ${name} complete` : `Stop of ${name} complete`);
  }
  return `${out.join('\n')}\n`;
}

export function formatProblem(problem: ConfigIssue): string {
  return `${problem.severity === 'warning' ? 'Warning' : 'Error'}: ${problem.message}`;
}

/** rg_test's `test` output: problems, the resource list, then every tree. */
export function formatRgTest(
  result: ResourceTrees,
  catalog: AgentCatalog = builtinAgentCatalog,
): string {
  const problems = result.problems.map((p) => `${formatProblem(p)}\n`).join('');
  const trees = result.trees.map((t) => formatResourceTree(t, catalog)).join('');
  return `${problems}${formatResourceList(result.resources, catalog)}=== Resource Tree ===\n${trees}`;
}
