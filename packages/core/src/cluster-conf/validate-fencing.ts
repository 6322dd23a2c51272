import type { ClusterConf, FenceDeviceConf, FenceDeviceRef } from './model.js';
import { attrPath, type IssueSink, missing } from './validate-values.js';

function validateFenceDevices(conf: ClusterConf, sink: IssueSink): Map<string, FenceDeviceConf> {
  const byName = new Map<string, FenceDeviceConf>();
  for (const device of conf.fenceDevices) {
    if (missing(device, 'agent')) {
      sink.error(
        attrPath(device, 'agent'),
        'missing-attribute',
        `fence device ${device.name || device.path} needs an agent (fence_ipmilan, fence_apc, …)`,
      );
    }
    if (missing(device, 'name')) {
      sink.error(attrPath(device, 'name'), 'missing-attribute', '<fencedevice> needs a name');
      continue;
    }
    const first = byName.get(device.name);
    if (first) {
      sink.error(
        attrPath(device, 'name'),
        'duplicate-fence-device',
        `fence device name ${device.name} is already used by ${first.path}`,
      );
    } else {
      byName.set(device.name, device);
    }
  }
  return byName;
}

function checkDeviceRef(
  ref: FenceDeviceRef,
  devices: ReadonlyMap<string, FenceDeviceConf>,
  sink: IssueSink,
): void {
  if (missing(ref, 'name')) {
    sink.error(
      attrPath(ref, 'name'),
      'missing-attribute',
      '<device> needs the name of a <fencedevice>',
    );
  } else if (!devices.has(ref.name)) {
    sink.error(
      attrPath(ref, 'name'),
      'unknown-fence-device',
      `there is no <fencedevice name="${ref.name}"> under /cluster/fencedevices`,
    );
  }
}

function validateNodeFencing(
  conf: ClusterConf,
  devices: ReadonlyMap<string, FenceDeviceConf>,
  sink: IssueSink,
): void {
  for (const node of conf.nodes) {
    const methodNames = new Set<string>();
    for (const method of node.fenceMethods) {
      if (missing(method, 'name')) {
        sink.error(attrPath(method, 'name'), 'missing-attribute', '<method> needs a name');
      } else if (methodNames.has(method.name)) {
        sink.error(
          attrPath(method, 'name'),
          'duplicate-fence-method',
          `node ${node.name} already has a fence method named ${method.name}`,
        );
      }
      methodNames.add(method.name);
      if (method.devices.length === 0) {
        sink.warning(
          method.path,
          'empty-fence-method',
          `fence method ${method.name} of node ${node.name} has no devices; it can never succeed`,
        );
      }
      for (const ref of method.devices) checkDeviceRef(ref, devices, sink);
    }
    for (const ref of node.unfence) checkDeviceRef(ref, devices, sink);
  }
}

/**
 * Recovery after a node failure waits until the node is fenced; without a fence method that
 * means waiting for an administrator's manual acknowledgement.
 */
function warnMissingFencing(conf: ClusterConf, sink: IssueSink): void {
  if (conf.nodes.length === 0) return;
  if (conf.fenceDevices.length === 0) {
    sink.warning(
      `${conf.path}/fencedevices`,
      'no-fencing',
      'no fence devices are configured: after a node failure, recovery waits until an ' +
        'administrator acknowledges the fence manually (fence_ack_manual)',
    );
    return;
  }
  for (const node of conf.nodes) {
    if (node.fenceMethods.some((m) => m.devices.length > 0)) continue;
    sink.warning(
      node.path,
      'node-without-fencing',
      `node ${node.name} has no fence method: if it fails, recovery of its services waits ` +
        'for a manual acknowledgement (fence_ack_manual)',
    );
  }
}

export function validateFencing(conf: ClusterConf, sink: IssueSink): void {
  const devices = validateFenceDevices(conf, sink);
  validateNodeFencing(conf, devices, sink);
  warnMissingFencing(conf, sink);
}
