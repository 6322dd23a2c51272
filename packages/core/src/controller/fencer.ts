// The leader's fencing of one lost node, as fenced did it (rhcs.md §3.5): after
// `post_fail_delay`, the node's methods in document order, every device of a method in turn and
// all of them must succeed, else the next method; after the last, a pause and another round.
// `fence_manual` waits for an acknowledgement. A device that does not cut power (fabric,
// storage) is followed by a wait for the victim's lease, a drift bound and its stop timeout.
import type { ClusterConf } from '../cluster-conf/model.js';
import type { NodeId } from '../consensus/types.js';
import type { ControllerEvent, FenceOp } from './types.js';

/** Agents that cut a node off its storage or network but leave it running. */
export const NON_POWER_FENCE_AGENTS: ReadonlySet<string> = new Set([
  'fence_scsi',
  'fence_mpath',
  'fence_sanlock',
  'fence_brocade',
  'fence_cisco_mds',
  'fence_ifmib',
]);

export const MANUAL_FENCE_AGENT = 'fence_manual';

export interface FenceDevicePlan {
  readonly device: string;
  readonly agent: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface FenceMethodPlan {
  readonly name: string;
  readonly devices: readonly FenceDevicePlan[];
}

/** The victim's methods from cluster.conf: device attributes, then the node's, then nodename. */
export function fenceMethodsOf(conf: ClusterConf, victim: NodeId): FenceMethodPlan[] {
  const node = conf.nodes.find((n) => n.name === victim);
  const devices = new Map(conf.fenceDevices.map((d) => [d.name, d]));
  return (node?.fenceMethods ?? []).map((m) => ({
    name: m.name,
    devices: m.devices.map((ref) => {
      const dev = devices.get(ref.name);
      const params = { ...dev?.params, ...ref.params };
      return {
        device: ref.name,
        agent: dev?.agent ?? 'unknown',
        params: { nodename: victim, ...params },
      };
    }),
  }));
}

export interface FenceTimings {
  readonly postFailDelayTicks: number;
  /** The pause between two rounds of every method. */
  readonly retryDelayTicks: number;
  /** Service lease + drift bound + the victim's stop timeout, for non-power fences. */
  readonly settleTicks: number;
}

export interface FenceSink {
  op(op: FenceOp): void;
  event(event: ControllerEvent): void;
}

type Phase = 'delay' | 'device' | 'manual' | 'settle' | 'done';

export class FenceRun {
  private phase: Phase = 'delay';
  private waitUntil: number;
  private method = 0;
  private device = 0;
  private inFlight: string | null = null;
  private powerCut = true;
  private seq = 0;
  /** The tick the run began: op ids stay unique when a later run fences the same incarnation. */
  private readonly startedAt: number;
  /** The method that succeeded, once done. */
  succeededWith: string | undefined;

  constructor(
    readonly victim: NodeId,
    readonly incarnation: number,
    private readonly methods: readonly FenceMethodPlan[],
    private readonly timings: FenceTimings,
    now: number,
    private readonly sink: FenceSink,
  ) {
    this.startedAt = now;
    this.waitUntil = now + timings.postFailDelayTicks;
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  tick(now: number): void {
    if ((this.phase === 'delay' || this.phase === 'settle') && now >= this.waitUntil) {
      if (this.phase === 'settle') this.phase = 'done';
      else this.beginMethod(0, now);
    }
  }

  private beginMethod(index: number, now: number): void {
    if (index >= this.methods.length) {
      this.phase = 'delay';
      this.waitUntil = now + this.timings.retryDelayTicks;
      return;
    }
    this.method = index;
    this.device = 0;
    this.powerCut = true;
    this.sink.event({
      type: 'fence-started',
      victim: this.victim,
      method: this.methods[index]!.name,
    });
    this.nextDevice(now);
  }

  private nextDevice(now: number): void {
    const method = this.methods[this.method]!;
    const dev = method.devices[this.device];
    if (!dev) {
      this.succeed(method.name, now);
      return;
    }
    if (NON_POWER_FENCE_AGENTS.has(dev.agent)) this.powerCut = false;
    if (dev.agent === MANUAL_FENCE_AGENT) {
      this.phase = 'manual';
      this.sink.event({ type: 'fence-waiting-ack', victim: this.victim, method: method.name });
      return;
    }
    this.phase = 'device';
    const opId = `fence.${this.victim}.${this.incarnation}.${this.startedAt}.${++this.seq}`;
    this.inFlight = opId;
    this.sink.op({ opId, victim: this.victim, method: method.name, ...dev });
  }

  private succeed(method: string, now: number): void {
    this.succeededWith = method;
    if (this.powerCut) this.phase = 'done';
    else {
      this.phase = 'settle';
      this.waitUntil = now + this.timings.settleTicks;
      this.sink.event({
        type: 'fence-settling',
        victim: this.victim,
        ticks: this.timings.settleTicks,
      });
    }
  }

  /** A device finished; false when the op is not this run's. */
  result(opId: string, ok: boolean, now: number): boolean {
    if (opId !== this.inFlight) return false;
    this.inFlight = null;
    if (ok) {
      this.device++;
      this.nextDevice(now);
      return true;
    }
    this.sink.event({
      type: 'fence-failed',
      victim: this.victim,
      method: this.methods[this.method]!.name,
    });
    this.beginMethod(this.method + 1, now);
    return true;
  }

  /** The operator confirmed the victim is off; counts as the whole method succeeding. */
  acknowledge(now: number): boolean {
    if (this.phase === 'done' || this.phase === 'settle') return false;
    this.inFlight = null;
    this.powerCut = true;
    this.succeed(this.methods[this.method]?.name ?? 'fence_ack_manual', now);
    return true;
  }
}
