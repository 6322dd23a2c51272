import type { XmlElement } from '../xml/xml-tree.js';
import type { ClusterPropertyChanges } from './edit-model.js';
import { EditError } from './edit-model.js';
import type { EditStep } from './edit-support.js';
import { refuseReserved, requireInteger, requireName, step } from './edit-support.js';
import { applyAttrChanges, clusterSectionOrder, ensureSection, updateAt } from './edit-tree.js';
import type { ClusterConf } from './model.js';

type Changes = Record<string, string | null | undefined>;

function integer(
  value: number | null | undefined,
  path: string,
  min: number,
  max?: number,
): string | null | undefined {
  if (value === null || value === undefined) return value;
  const field = path.slice(path.lastIndexOf('@') + 1);
  return requireInteger(value, path, field, min, max);
}

/** Applies attribute changes to a section, creating it in its usual place only when needed. */
function changeSection(root: XmlElement, section: string, changes: Changes): XmlElement {
  const sets = Object.values(changes).some((v) => v !== undefined && v !== null);
  const present = root.children.some((c) => c.type === 'element' && c.name === section);
  if (!sets && !present) return root;
  const withIt = ensureSection(root, section, clusterSectionOrder);
  return updateAt(withIt, `/cluster/${section}`, (el) => applyAttrChanges(el, changes));
}

function checkedChanges(changes: ClusterPropertyChanges) {
  const { cman = {}, totem = {}, fenceDaemon = {} } = changes;
  const transport = cman.transport;
  if (transport !== undefined && transport !== null && !['udp', 'udpu'].includes(transport)) {
    throw new EditError(
      '/cluster/cman/@transport',
      `transport must be udp or udpu, not "${transport}"`,
    );
  }
  const flag = (v: boolean | null | undefined) =>
    v === undefined || v === null ? v : v ? '1' : '0';
  const twoNode = flag(cman.twoNode);
  return {
    cman: {
      two_node: twoNode,
      expected_votes: integer(cman.expectedVotes, '/cluster/cman/@expected_votes', 1),
      transport,
      port: integer(cman.port, '/cluster/cman/@port', 1, 65535),
      wait_for_all: flag(cman.waitForAll),
    },
    totem: {
      token: integer(totem.tokenMs, '/cluster/totem/@token', 1),
      consensus: integer(totem.consensusMs, '/cluster/totem/@consensus', 1),
    },
    fence_daemon: {
      post_join_delay: integer(
        fenceDaemon.postJoinDelayS,
        '/cluster/fence_daemon/@post_join_delay',
        // fenced's -1: wait forever for members before fencing those never seen.
        -1,
      ),
      post_fail_delay: integer(
        fenceDaemon.postFailDelayS,
        '/cluster/fence_daemon/@post_fail_delay',
        0,
      ),
    },
  };
}

export function setClusterProperties(conf: ClusterConf, changes: ClusterPropertyChanges): EditStep {
  const checked = checkedChanges(changes);
  if (changes.alias !== undefined && changes.alias !== null) {
    requireName(changes.alias, '/cluster/@alias', 'the alias');
  }
  const rm = changes.rm ?? {};
  refuseReserved(rm, [], '/cluster/rm');
  let root = applyAttrChanges(conf.doc.root, { alias: changes.alias });
  root = changeSection(root, 'cman', checked.cman);
  root = changeSection(root, 'totem', checked.totem);
  root = changeSection(root, 'fence_daemon', checked.fence_daemon);
  root = changeSection(root, 'rm', rm);
  return step(root);
}
