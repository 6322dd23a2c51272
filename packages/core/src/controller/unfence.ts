// Unfencing (`<unfence>` under a clusternode): a node whose fence cuts it off its storage
// rather than its power (fence_scsi, fence_mpath) must be let back in before it uses shared
// storage again. As `fence_node -U` did at startup, the node runs its unfence devices with
// `action=on` before it reports its probe, and tries again after fenced's pause if one fails.
import type { ClusterConf } from '../cluster-conf/model.js';
import type { NodeId } from '../consensus/types.js';
import type { ControllerEvent, FenceOp } from './types.js';

export class Unfencer {
  private pending = new Set<string>();
  private failed = false;
  private retryAt = 0;
  private round = 0;
  private started = false;

  constructor(
    private readonly self: NodeId,
    private readonly incarnation: number,
    private readonly sink: { op(op: FenceOp): void; event(e: ControllerEvent): void },
  ) {}

  /** Whether the node may take part: nothing to unfence, or every device said yes. */
  get done(): boolean {
    return this.started && this.pending.size === 0 && !this.failed;
  }

  tick(conf: ClusterConf, retryDelayTicks: number, now: number): void {
    if (!this.started || (this.failed && this.pending.size === 0 && now >= this.retryAt)) {
      this.begin(conf, now, retryDelayTicks);
    }
  }

  private begin(conf: ClusterConf, now: number, retryDelayTicks: number): void {
    this.started = true;
    this.failed = false;
    this.retryAt = now + retryDelayTicks;
    this.round++;
    const node = conf.nodes.find((n) => n.name === this.self);
    const devices = new Map(conf.fenceDevices.map((d) => [d.name, d]));
    (node?.unfence ?? []).forEach((ref, i) => {
      const dev = devices.get(ref.name);
      const opId = `unfence.${this.self}.${this.incarnation}.${this.round}.${i}`;
      this.pending.add(opId);
      const params = { nodename: this.self, ...dev?.params, ...ref.params, action: 'on' };
      const agent = dev?.agent ?? 'unknown';
      this.sink.op({ opId, victim: this.self, method: 'unfence', device: ref.name, agent, params });
    });
  }

  result(opId: string, ok: boolean): boolean {
    if (!this.pending.delete(opId)) return false;
    if (!ok) {
      this.failed = true;
      this.sink.event({ type: 'fence-failed', victim: this.self, method: 'unfence' });
    }
    return true;
  }
}
