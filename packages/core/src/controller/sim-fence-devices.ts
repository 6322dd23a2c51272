// Simulated fence devices for the controller's test world (to move into packages/sim). A power
// device turns the victim off (the world reboots it later, as the default `reboot` action
// does); a fabric device cuts it off its storage and network but leaves it running; a failing
// device always fails; a slow one succeeds after a while. `fence_manual` never reaches a
// device: the controller waits for an acknowledgement instead.
import type { FenceOp } from './types.js';

export type FenceDeviceKind = 'power' | 'fabric' | 'failing' | 'slow';

export interface FenceCompletion {
  readonly op: FenceOp;
  readonly ok: boolean;
  /** What happened to the victim. */
  readonly effect: 'power-off' | 'fabric-cut' | 'unfence' | 'none';
}

/** The kind a device gets when a test says nothing: from its agent's name. */
export function defaultFenceKind(agent: string): FenceDeviceKind {
  return agent === 'fence_scsi' || agent === 'fence_mpath' ? 'fabric' : 'power';
}

function cutKind(kind: FenceDeviceKind): FenceCompletion['effect'] {
  return kind === 'fabric' ? 'fabric-cut' : 'power-off';
}

export class SimFenceDevices {
  private readonly kinds = new Map<string, FenceDeviceKind>();
  private inFlight: Array<{ op: FenceOp; doneAt: number; completion: FenceCompletion }> = [];
  slowTicks = 50;
  /** Every operation submitted, oldest first, for the transcripts. */
  readonly history: FenceOp[] = [];

  setKind(device: string, kind: FenceDeviceKind): void {
    this.kinds.set(device, kind);
  }

  submit(op: FenceOp, now: number): void {
    this.history.push(op);
    const kind = this.kinds.get(op.device) ?? defaultFenceKind(op.agent);
    const ok = kind !== 'failing';
    const unfence = op.params.action === 'on';
    const monitor = op.params.action === 'monitor';
    const effect = !ok || monitor ? 'none' : unfence ? 'unfence' : cutKind(kind);
    const doneAt = now + (kind === 'slow' ? this.slowTicks : 1);
    this.inFlight.push({ op, doneAt, completion: { op, ok, effect } });
  }

  due(now: number): FenceCompletion[] {
    const done = this.inFlight.filter((f) => f.doneAt <= now);
    this.inFlight = this.inFlight.filter((f) => f.doneAt > now);
    return done.map((f) => f.completion);
  }

  /**
   * The node that ran these operations died: its agents die with it (a device's own delay is
   * spent in the agent, so a delayed fence from a node already fenced never acts).
   */
  cancel(opIds: ReadonlySet<string>): void {
    this.inFlight = this.inFlight.filter((f) => !opIds.has(f.op.opId));
  }
}
