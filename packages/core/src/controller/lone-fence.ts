// two_node: a lone node may lead only after it fenced its peer's current incarnation (the
// consensus layer asks for it in `status().fenceNeeded`). The controller runs that fence with
// the peer's methods, as the leader's fencing does, and confirms it to the consensus layer,
// which records it as the first entry of the lone node's term. A fence delay on one node's
// device decides a race: the slower side dies before its own fence acts.
import type { ClusterNode } from '../consensus/node.js';
import type { ControllerConfig } from './controller-config.js';
import { FenceRun, type FenceSink } from './fencer.js';

export class LoneFence {
  private run: FenceRun | null = null;

  constructor(
    private readonly node: ClusterNode,
    private readonly sink: FenceSink,
  ) {}

  /** Follows `fenceNeeded`; call on every tick while this node does not lead. */
  tick(config: ControllerConfig, now: number): void {
    const need = this.node.status().fenceNeeded;
    if (!need) {
      this.run = null;
      return;
    }
    const run = this.run;
    if (run?.victim !== need.node || run.incarnation !== need.incarnation) {
      const methods = config.fenceMethods(need.node);
      this.run = new FenceRun(
        need.node,
        need.incarnation,
        methods,
        config.fenceTimings,
        now,
        this.sink,
      );
    }
    this.run?.tick(now);
    this.confirm();
  }

  result(opId: string, ok: boolean, now: number): boolean {
    if (!this.run?.result(opId, ok, now)) return false;
    this.confirm();
    return true;
  }

  /** fence_ack_manual for the peer this node waits to fence. */
  acknowledge(victim: string): boolean {
    if (this.run?.victim !== victim) return false;
    this.run = null;
    this.node.step({ type: 'fence-acknowledged', node: victim });
    return true;
  }

  private confirm(): void {
    const run = this.run;
    if (!run?.done || run.succeededWith === undefined) return;
    this.run = null;
    this.node.step({ type: 'fence-confirmed', node: run.victim, incarnation: run.incarnation });
  }
}
