// Fence device monitoring: the leader runs each configured device's `monitor` action every
// minute and reports a device whose state changed (`fence-device-status`), so a dead power
// switch is known before a node has to be fenced with it.
import type { ClusterConf } from '../cluster-conf/model.js';
import type { NodeId } from '../consensus/types.js';
import { MANUAL_FENCE_AGENT } from './fencer.js';
import type { ControllerEvent, FenceOp } from './types.js';

export const DEVICE_MONITOR_INTERVAL_MS = 60_000;

export class DeviceMonitor {
  private nextAt: number;
  private seq = 0;
  private readonly inFlight = new Map<string, string>();
  /** The last state reported per device (none yet: reported on the first answer). */
  private readonly healthy = new Map<string, boolean>();

  constructor(
    private readonly self: NodeId,
    private readonly intervalTicks: number,
    now: number,
    private readonly sink: { op(op: FenceOp): void; event(e: ControllerEvent): void },
  ) {
    this.nextAt = now + intervalTicks;
  }

  tick(conf: ClusterConf, now: number): void {
    if (now < this.nextAt) return;
    this.nextAt = now + this.intervalTicks;
    for (const dev of conf.fenceDevices) {
      if (dev.agent === MANUAL_FENCE_AGENT || [...this.inFlight.values()].includes(dev.name)) {
        continue;
      }
      const opId = `monitor.${this.self}.${++this.seq}`;
      this.inFlight.set(opId, dev.name);
      const params = { ...dev.params, action: 'monitor' };
      this.sink.op({
        opId,
        victim: this.self,
        method: 'monitor',
        device: dev.name,
        agent: dev.agent,
        params,
      });
    }
  }

  result(opId: string, ok: boolean): boolean {
    const device = this.inFlight.get(opId);
    if (device === undefined) return false;
    this.inFlight.delete(opId);
    if (this.healthy.get(device) !== ok) {
      this.healthy.set(device, ok);
      this.sink.event({ type: 'fence-device-status', device, ok });
    }
    return true;
  }
}
