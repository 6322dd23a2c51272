import type { ClusterConf, ClusterNodeConf } from './model.js';
import { parseIpAddress } from './validate-ip.js';
import { attrPath, checkInteger, type IssueSink, missing } from './validate-values.js';

function nodeLabel(node: ClusterNodeConf): string {
  return node.name !== '' ? node.name : node.path;
}

function validateNodeIds(nodes: readonly ClusterNodeConf[], sink: IssueSink): void {
  const byId = new Map<number, ClusterNodeConf>();
  for (const node of nodes) {
    if (node.attrs.nodeid === undefined) {
      sink.runnableError(
        attrPath(node, 'nodeid'),
        'nodeid-required',
        `node ${nodeLabel(node)} has no nodeid; every node of a runnable cluster needs one`,
      );
      continue;
    }
    const id = checkInteger(sink, node, 'nodeid', { min: 1, max: 2 ** 31 - 1 });
    if (id === undefined) continue;
    const first = byId.get(id);
    if (first) {
      sink.error(
        attrPath(node, 'nodeid'),
        'duplicate-nodeid',
        `nodeid ${id} is already used by ${nodeLabel(first)}`,
      );
    } else {
      byId.set(id, node);
    }
  }
}

/**
 * Node names and altnames share one namespace: an altname is another address of its node, so it
 * may not be the name (or altname) of any other node.
 */
function validateNodeNames(nodes: readonly ClusterNodeConf[], sink: IssueSink): void {
  const owners = new Map<string, ClusterNodeConf>();
  for (const node of nodes) {
    if (missing(node, 'name')) {
      sink.error(attrPath(node, 'name'), 'missing-attribute', '<clusternode> needs a name');
      continue;
    }
    const first = owners.get(node.name);
    if (first) {
      sink.error(
        attrPath(node, 'name'),
        'duplicate-node-name',
        `node name ${node.name} is already used by ${first.path}`,
      );
    } else {
      owners.set(node.name, node);
    }
  }
  for (const node of nodes) {
    for (const alt of node.altnames) {
      if (missing(alt, 'name')) {
        sink.error(attrPath(alt, 'name'), 'missing-attribute', '<altname> needs a name');
        continue;
      }
      const first = owners.get(alt.name);
      if (first) {
        const whose = first === node ? 'this node' : `node ${nodeLabel(first)}`;
        sink.error(
          attrPath(alt, 'name'),
          'duplicate-altname',
          `altname ${alt.name} is already a name or altname of ${whose}`,
        );
      } else {
        owners.set(alt.name, node);
      }
      checkInteger(sink, alt, 'port', { min: 1, max: 65535 });
      const mcast = alt.attrs.mcast;
      if (mcast !== undefined) {
        const parsed = parseIpAddress(mcast);
        if (!parsed.ok) sink.error(attrPath(alt, 'mcast'), 'invalid-ip-address', parsed.reason);
      }
    }
  }
}

export function validateNodes(conf: ClusterConf, sink: IssueSink): void {
  if (conf.nodes.length === 0) {
    sink.runnableError(
      `${conf.path}/clusternodes`,
      'no-nodes',
      'the cluster has no nodes; a runnable config lists at least one <clusternode>',
    );
  }
  validateNodeNames(conf.nodes, sink);
  validateNodeIds(conf.nodes, sink);
  for (const node of conf.nodes) {
    checkInteger(sink, node, 'votes', { min: 0 });
    checkInteger(sink, node, 'weight', { min: 0 });
  }
}
