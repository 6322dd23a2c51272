// cluster.conf version 1 for a new cluster, built with the core's config model (the same edits
// ccs_tool and the console's forms make) and judged runnable before any host receives it.
import {
  applyEdits,
  type ClusterConf,
  type ConfigEdit,
  createClusterConf,
  element,
  readClusterConf,
  serializeXml,
  validateClusterConf,
  withAttr,
  withChildren,
  type XmlElement,
} from '@quorate/core';
import type { BootstrapClusterOptions } from './bootstrap-plan.js';

export class InitialConfigError extends Error {
  override readonly name = 'InitialConfigError';
}

/** The text of cluster.conf version 1: the nodes in plan order (nodeid 1…), one vote each. */
export function initialClusterConf(
  clusterName: string,
  nodeNames: readonly string[],
  options: BootstrapClusterOptions = {},
): string {
  const edits: ConfigEdit[] = nodeNames.map((name, index) => ({
    op: 'addNode',
    name,
    nodeid: index + 1,
    votes: 1,
  }));
  const cman = options.twoNode ? { twoNode: true, expectedVotes: 1 } : undefined;
  const totem = options.tokenMs === undefined ? undefined : { tokenMs: options.tokenMs };
  if (cman || totem) edits.push({ op: 'setClusterProperties', changes: { cman, totem } });
  const edited = applyEdits(createClusterConf({ name: clusterName }), edits);
  let root = withAttr(edited.doc.root, 'config_version', '1');
  if (options.waitForAll && !options.twoNode) root = withWaitForAll(root);
  const conf = readClusterConf({ ...edited.doc, root });
  assertRunnable(conf);
  return serializeXml(conf.doc);
}

/** `<cman wait_for_all="1">`: the config model has no edit for it, so the tree is changed here. */
function withWaitForAll(root: XmlElement): XmlElement {
  const hasCman = root.children.some((c) => c.type === 'element' && c.name === 'cman');
  if (!hasCman)
    return withChildren(root, [element('cman', { wait_for_all: '1' }), ...root.children]);
  return withChildren(
    root,
    root.children.map((c) =>
      c.type === 'element' && c.name === 'cman' ? withAttr(c, 'wait_for_all', '1') : c,
    ),
  );
}

function assertRunnable(conf: ClusterConf): void {
  const { errors } = validateClusterConf(conf, 'runnable');
  if (errors.length > 0) {
    const list = errors.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new InitialConfigError(`the new cluster.conf is not runnable: ${list}`);
  }
}
