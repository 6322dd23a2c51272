import type { EditOf } from './edit-model.js';
import { EditError } from './edit-model.js';
import type { EditStep } from './edit-support.js';
import { refuseReserved, requireIdentifier, step } from './edit-support.js';
import {
  applyAttrChanges,
  clusterSectionOrder,
  ensureSection,
  insertChild,
  newElement,
  updateAt,
  updateElement,
} from './edit-tree.js';
import type { ClusterConf, FenceDeviceConf } from './model.js';

function findDevice(conf: ClusterConf, name: string): FenceDeviceConf {
  const device = conf.fenceDevices.find((d) => d.name === name);
  if (!device)
    throw new EditError('/cluster/fencedevices', `fence device "${name}" does not exist`);
  return device;
}

/** Nodes whose fence methods or unfence section use the device, in document order. */
export function fenceDeviceUsers(conf: ClusterConf, name: string): string[] {
  return conf.nodes
    .filter(
      (n) =>
        n.fenceMethods.some((m) => m.devices.some((d) => d.name === name)) ||
        n.unfence.some((d) => d.name === name),
    )
    .map((n) => n.name);
}

export function addFenceDevice(conf: ClusterConf, edit: EditOf<'addFenceDevice'>): EditStep {
  const path = `/cluster/fencedevices/fencedevice[${conf.fenceDevices.length + 1}]`;
  requireIdentifier(edit.name, `${path}/@name`, 'the fence device name');
  requireIdentifier(edit.agent, `${path}/@agent`, 'the fence agent');
  if (conf.fenceDevices.some((d) => d.name === edit.name)) {
    throw new EditError(`${path}/@name`, `fence device "${edit.name}" already exists`);
  }
  const params = edit.params ?? {};
  refuseReserved(params, ['name', 'agent'], path);
  const device = newElement(
    'fencedevice',
    [
      ['name', edit.name],
      ['agent', edit.agent],
    ],
    params,
  );
  const root = ensureSection(conf.doc.root, 'fencedevices', clusterSectionOrder);
  return step(
    updateAt(root, '/cluster/fencedevices', (el) => insertChild(el, device, ['fencedevice'])),
  );
}

export function updateFenceDevice(conf: ClusterConf, edit: EditOf<'updateFenceDevice'>): EditStep {
  const device = findDevice(conf, edit.name);
  const params = edit.params ?? {};
  refuseReserved(params, ['name', 'agent'], device.path);
  if (edit.agent !== undefined)
    requireIdentifier(edit.agent, `${device.path}/@agent`, 'the fence agent');
  const changes = { ...params, agent: edit.agent };
  return step(updateElement(conf.doc.root, device, (el) => applyAttrChanges(el, changes)));
}

export function deleteFenceDevice(conf: ClusterConf, edit: EditOf<'deleteFenceDevice'>): EditStep {
  const device = findDevice(conf, edit.name);
  const users = fenceDeviceUsers(conf, edit.name);
  if (users.length > 0) {
    throw new EditError(
      device.path,
      `fence device "${edit.name}" is used by ${users.join(', ')}: remove it from their methods first`,
    );
  }
  return step(updateElement(conf.doc.root, device, () => null));
}
