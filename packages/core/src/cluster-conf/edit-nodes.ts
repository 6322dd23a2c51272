import type { XmlDocument, XmlElement } from '../xml/xml-tree.js';
import { childElements, element, withAttr, withoutAttr } from '../xml/xml-tree.js';
import type { CreateClusterSpec, EditOf, FenceDeviceUse } from './edit-model.js';
import { EditError } from './edit-model.js';
import type { EditStep } from './edit-support.js';
import {
  findMethod,
  findNode,
  quoteList,
  refuseReserved,
  requireFenceDevice,
  requireHostName,
  requireIdentifier,
  requireInteger,
  step,
} from './edit-support.js';
import {
  clusterSectionOrder,
  ensureSection,
  insertChild,
  newElement,
  updateAt,
  updateElement,
} from './edit-tree.js';
import type { ClusterConf, ClusterNodeConf } from './model.js';

/** Order of a `<clusternode>`'s children. */
const nodeChildOrder = ['altname', 'fence', 'unfence'];

/** Skeleton node N as `ccs_tool create -n` wrote it: one vote, method "single", device fence1. */
function skeletonNode(n: number): XmlElement {
  const name = `NEEDNAME-${String(n).padStart(2, '0')}`;
  const method = element('method', { name: 'single' }, [element('device', { name: 'fence1' })]);
  return element('clusternode', { name, votes: '1', nodeid: String(n) }, [
    element('fence', [], [method]),
  ]);
}

/** The skeleton `ccs_tool create` writes, at config_version 1 (CL3 editconf.c). */
export function createDocument(spec: CreateClusterSpec): XmlDocument {
  requireIdentifier(spec.name, '/cluster/@name', 'the cluster name');
  const agent = spec.fenceAgent ?? 'fence_manual';
  requireIdentifier(agent, '/cluster/fencedevices/fencedevice/@agent', 'the fence agent');
  const count = spec.nodeCount ?? (spec.twoNode ? 2 : 0);
  requireInteger(count, '/cluster/clusternodes', 'the number of skeleton nodes', 0, 256);
  if (spec.twoNode && count > 2) {
    throw new EditError('/cluster/cman/@two_node', 'a two_node cluster has at most 2 nodes');
  }
  const nodes = Array.from({ length: count }, (_, i) => skeletonNode(i + 1));
  // The skeletons' device exists, so the draft is valid; with no nodes there is nothing to fence.
  const devices = count > 0 ? [element('fencedevice', { name: 'fence1', agent })] : [];
  const sections: XmlElement[] = [
    ...(spec.twoNode ? [element('cman', { two_node: '1', expected_votes: '1' })] : []),
    element('clusternodes', [], nodes),
    element('fencedevices', [], devices),
    element('rm', [], [element('failoverdomains'), element('resources')]),
  ];
  return {
    declaration: [{ name: 'version', value: '1.0' }],
    before: [],
    root: element('cluster', { name: spec.name, config_version: '1' }, sections),
    after: [],
  };
}

function deviceElement(use: FenceDeviceUse, path: string): XmlElement {
  refuseReserved(use.params ?? {}, ['name'], path);
  return newElement('device', [['name', use.device]], use.params ?? {});
}

function lowestFreeNodeid(conf: ClusterConf): number {
  const used = new Set(conf.nodes.map((n) => n.nodeid));
  let id = 1;
  while (used.has(id)) id++;
  return id;
}

function checkNodeidFree(conf: ClusterConf, nodeid: number, path: string, self?: string): void {
  const holder = conf.nodes.find((n) => n.nodeid === nodeid && n.name !== self);
  if (holder) throw new EditError(path, `nodeid ${nodeid} is already used by ${holder.name}`);
}

export function addNode(conf: ClusterConf, edit: EditOf<'addNode'>): EditStep {
  const path = `/cluster/clusternodes/clusternode[${conf.nodes.length + 1}]`;
  requireHostName(edit.name, `${path}/@name`, 'the node name');
  if (conf.nodes.some((n) => n.name === edit.name)) {
    throw new EditError(`${path}/@name`, `node "${edit.name}" already exists`);
  }
  const nodeid = edit.nodeid ?? lowestFreeNodeid(conf);
  requireInteger(nodeid, `${path}/@nodeid`, 'nodeid', 1);
  checkNodeidFree(conf, nodeid, `${path}/@nodeid`);
  const votes = requireInteger(edit.votes ?? 1, `${path}/@votes`, 'votes', 0);
  const children: XmlElement[] = [];
  if (edit.altname !== undefined) {
    requireHostName(edit.altname, `${path}/altname/@name`, 'the altname');
    children.push(element('altname', { name: edit.altname }));
  }
  if (edit.fence) {
    const devPath = `${path}/fence/method/device`;
    requireFenceDevice(conf, edit.fence.device, `${devPath}/@name`);
    const method = element('method', { name: 'single' }, [deviceElement(edit.fence, devPath)]);
    children.push(element('fence', [], [method]));
  }
  const node = element('clusternode', { name: edit.name, votes, nodeid: String(nodeid) }, children);
  const root = ensureSection(conf.doc.root, 'clusternodes', clusterSectionOrder);
  const note = edit.nodeid === undefined ? [`node "${edit.name}" has nodeid ${nodeid}`] : [];
  return step(
    updateAt(root, '/cluster/clusternodes', (el) => insertChild(el, node, ['clusternode'])),
    ...note,
  );
}

export function deleteNode(conf: ClusterConf, edit: EditOf<'deleteNode'>): EditStep {
  const node = findNode(conf, edit.name);
  let root = updateElement(conf.doc.root, node, () => null);
  const domains =
    conf.rm?.failoverDomains.filter((d) => d.nodes.some((m) => m.name === edit.name)) ?? [];
  // Members are removed last-first so the earlier paths stay valid.
  for (const domain of domains) {
    for (const member of [...domain.nodes].reverse()) {
      if (member.name === edit.name) root = updateElement(root, member, () => null);
    }
  }
  const notes = domains.length
    ? [
        `node "${edit.name}" was also removed from failover domain(s) ${quoteList(domains.map((d) => d.name))}`,
      ]
    : [];
  return step(root, ...notes);
}

function setAltname(node: XmlElement, altname: string | null): XmlElement {
  if (altname === null) {
    return {
      ...node,
      children: node.children.filter((c) => !(c.type === 'element' && c.name === 'altname')),
    };
  }
  const existing = childElements(node, 'altname')[0];
  if (!existing)
    return insertChild(node, element('altname', { name: altname }), [], nodeChildOrder.slice(1));
  return {
    ...node,
    children: node.children.map((c) => (c === existing ? withAttr(existing, 'name', altname) : c)),
  };
}

export function setNodeProperties(conf: ClusterConf, edit: EditOf<'setNodeProperties'>): EditStep {
  const node = findNode(conf, edit.name);
  if (edit.nodeid !== undefined) {
    requireInteger(edit.nodeid, `${node.path}/@nodeid`, 'nodeid', 1);
    checkNodeidFree(conf, edit.nodeid, `${node.path}/@nodeid`, node.name);
  }
  if (edit.votes !== undefined && edit.votes !== null) {
    requireInteger(edit.votes, `${node.path}/@votes`, 'votes', 0);
  }
  if (edit.altname !== undefined && edit.altname !== null) {
    requireHostName(edit.altname, `${node.path}/altname/@name`, 'the altname');
  }
  const root = updateElement(conf.doc.root, node, (el) => {
    let out = el;
    if (edit.nodeid !== undefined) out = withAttr(out, 'nodeid', String(edit.nodeid));
    if (edit.votes === null) out = withoutAttr(out, 'votes');
    else if (edit.votes !== undefined) out = withAttr(out, 'votes', String(edit.votes));
    if (edit.altname !== undefined) out = setAltname(out, edit.altname);
    return out;
  });
  return step(root);
}

function withSection(
  node: ClusterNodeConf,
  conf: ClusterConf,
  name: 'fence' | 'unfence',
): XmlElement {
  return updateElement(conf.doc.root, node, (el) => ensureSection(el, name, nodeChildOrder));
}

export function addFenceMethod(conf: ClusterConf, edit: EditOf<'addFenceMethod'>): EditStep {
  const node = findNode(conf, edit.node);
  const path = `${node.path}/fence/method[${node.fenceMethods.length + 1}]/@name`;
  requireIdentifier(edit.method, path, 'the method name');
  if (node.fenceMethods.some((m) => m.name === edit.method)) {
    throw new EditError(
      path,
      `fence method "${edit.method}" already exists on node "${node.name}"`,
    );
  }
  const root = withSection(node, conf, 'fence');
  const method = element('method', { name: edit.method });
  return step(updateAt(root, `${node.path}/fence`, (el) => insertChild(el, method, ['method'])));
}

export function deleteFenceMethod(conf: ClusterConf, edit: EditOf<'deleteFenceMethod'>): EditStep {
  const method = findMethod(findNode(conf, edit.node), edit.method);
  return step(updateElement(conf.doc.root, method, () => null));
}

export function addMethodDevice(conf: ClusterConf, edit: EditOf<'addMethodDevice'>): EditStep {
  const method = findMethod(findNode(conf, edit.node), edit.method);
  const path = `${method.path}/device[${method.devices.length + 1}]`;
  requireFenceDevice(conf, edit.use.device, `${path}/@name`);
  const device = deviceElement(edit.use, path);
  return step(updateElement(conf.doc.root, method, (el) => insertChild(el, device, ['device'])));
}

function dropDevices(el: XmlElement, device: string): XmlElement {
  return {
    ...el,
    children: el.children.filter(
      (c) =>
        !(
          c.type === 'element' &&
          c.name === 'device' &&
          c.attrs.some((a) => a.name === 'name' && a.value === device)
        ),
    ),
  };
}

export function deleteMethodDevice(
  conf: ClusterConf,
  edit: EditOf<'deleteMethodDevice'>,
): EditStep {
  const method = findMethod(findNode(conf, edit.node), edit.method);
  if (!method.devices.some((d) => d.name === edit.device)) {
    throw new EditError(
      method.path,
      `fence method "${edit.method}" of node "${edit.node}" does not use device "${edit.device}"`,
    );
  }
  return step(updateElement(conf.doc.root, method, (el) => dropDevices(el, edit.device)));
}

export function addUnfenceDevice(conf: ClusterConf, edit: EditOf<'addUnfenceDevice'>): EditStep {
  const node = findNode(conf, edit.node);
  const path = `${node.path}/unfence/device[${node.unfence.length + 1}]`;
  requireFenceDevice(conf, edit.use.device, `${path}/@name`);
  const device = deviceElement(edit.use, path);
  const root = withSection(node, conf, 'unfence');
  return step(updateAt(root, `${node.path}/unfence`, (el) => insertChild(el, device, ['device'])));
}

export function deleteUnfenceDevice(
  conf: ClusterConf,
  edit: EditOf<'deleteUnfenceDevice'>,
): EditStep {
  const node = findNode(conf, edit.node);
  if (!node.unfence.some((d) => d.name === edit.device)) {
    throw new EditError(
      `${node.path}/unfence`,
      `node "${edit.node}" does not unfence with device "${edit.device}"`,
    );
  }
  return step(
    updateAt(conf.doc.root, `${node.path}/unfence`, (el) => {
      const rest = dropDevices(el, edit.device);
      // An <unfence> left with nothing at all in it says nothing: drop it.
      return rest.children.length === 0 ? null : rest;
    }),
  );
}
