import type {
  AgentOp,
  ControllerEvent,
  FenceOp,
  FenceRequest,
  NodeId,
  ServiceController,
} from '@quorate/core';
import { SimClusterHosts } from './cluster-hosts.js';
import type { Coverage } from './coverage.js';
import { fenceKindOf } from './service-layout.js';
import type { SimHost } from './sim-node.js';

export type { ClusterSetup } from './cluster-hosts.js';

/**
 * A whole simulated cluster: the hosts (`SimClusterHosts`) with simulated resource agents, fence
 * devices (power, slow, fabric, manual) and an administrator who acknowledges manual fences.
 */
export class SimCluster extends SimClusterHosts {
  /** Victims whose manual fence the simulated administrator is about to acknowledge. */
  private readonly pendingAcks = new Set<NodeId>();

  /**
   * The host's simulated power fence device: after the host's fence delay and the device's own
   * latency it powers the victim off (whatever incarnation runs) and tells the node, unless the
   * fencing host itself died or stalled meanwhile. A powered-off host reboots a while later.
   */
  protected fence(host: SimHost, request: FenceRequest): void {
    const process = host.controller;
    if (host.fencing || !process) return;
    host.fencing = process;
    const delayMs = host.fenceDelayMs + this.fenceRandom.between(10, 150);
    const delayNote = host.fenceDelayMs > 0 ? ` after its ${host.fenceDelayMs}ms fence delay` : '';
    this.trace(
      `${host.id} fences ${request.node} (incarnation ${request.incarnation})${delayNote}`,
    );
    this.queue.after(delayMs, () => {
      if (host.fencing === process) host.fencing = null;
      if (host.controller !== process || host.pausedUntilMs > 0) return;
      const victim = this.host(request.node);
      this.coverage.fences++;
      this.powerOff(victim.id, `powered off by ${host.id}'s fence device`);
      const tokenMs = this.setup.config.tokenMs;
      const rebootMs = this.fenceRandom.between(tokenMs, 3 * tokenMs);
      this.queue.after(rebootMs, () => this.restart(victim.id));
      process.node.step({
        type: 'fence-confirmed',
        node: request.node,
        incarnation: request.incarnation,
      });
      this.processReady(host);
    });
  }

  protected runAgent(host: SimHost, controller: ServiceController, op: AgentOp): void {
    this.serviceChecker.agentOp(host.id, op, {
      appliedIndex: host.appliedIndex,
      term: controller.node.status().term,
      incarnation: controller.node.status().incarnation,
      startedMs: host.startedMs,
      localTick: host.localTicks,
    });
    if (op.purpose === 'emergency-stop') this.coverage.emergencyStops++;
    const traced = op.action !== 'status' && this.setup.fullTrace;
    if (op.purpose === 'probe') host.probesInFlight++;
    this.agents.run(host.id, op, (code) => {
      if (host.controller !== controller) return;
      if (traced)
        this.trace(
          `${host.id}: ${op.action} ${op.resource} (${op.service}, ${op.purpose}) exit ${code}`,
        );
      this.deliverTo(host, controller, () => {
        // An operation ends for the process when it hears the result, not while it is paused
        // (seed 13378: a stop that failed during a pause was judged by rule 5 before the
        // process could know it had to try again).
        this.serviceChecker.agentDone(host.id, op, code);
        if (op.purpose === 'probe') this.probed(host);
        controller.step({ type: 'agent-result', opId: op.opId, code });
      });
    });
  }

  /**
   * A restarted process learns what runs on its host from its probe; its service lease counts
   * from the end of the probe at the earliest (rule 5 judges it from there).
   */
  private probed(host: SimHost): void {
    host.probesInFlight--;
    if (host.probesInFlight === 0)
      host.lastQuorateTick = Math.max(host.lastQuorateTick, host.localTicks);
  }

  /**
   * A fence device run for the controller: power (and slow) devices turn the victim off, a
   * fabric device cuts it off its storage and network (the administrator reboots it later), a
   * failing one fails. The victim reboots five to eight token times after losing power.
   */
  protected runFence(host: SimHost, controller: ServiceController, op: FenceOp): void {
    const kind = this.setup.layout ? fenceKindOf(this.setup.layout, op.device) : 'manual';
    const tokenMs = this.setup.config.tokenMs;
    const delayMs =
      kind === 'slow'
        ? this.fenceRandom.between(2 * tokenMs, 4 * tokenMs)
        : (this.setup.fenceLatencyMs ?? this.fenceRandom.between(10, 150));
    // The simulator (seed 7993): the leader's minutely `monitor` of every device, and
    // unfencing (`on`) at start-up, powered the named node off like a fence; they only ask the
    // device how it is (and a fabric `on` changes nothing here: a cut host reboots anyway).
    const action = op.params.action;
    const acts = action !== 'monitor' && action !== 'on';
    this.coverage.controllerFences++;
    this.trace(`${host.id} runs ${op.device} (${kind}) ${action ?? 'off'} against ${op.victim}`);
    this.queue.after(delayMs, () => {
      const ok = kind === 'power' || kind === 'slow' || kind === 'fabric';
      if (acts && kind === 'fabric') this.fabricCut(op.victim);
      else if (acts && ok) this.powerCycle(op.victim, `powered off by ${op.device}`);
      this.trace(`${op.device} against ${op.victim}: ${ok ? 'ok' : 'failed'}`);
      this.deliverTo(host, controller, () =>
        controller.step({ type: 'fence-result', opId: op.opId, ok }),
      );
    });
  }

  /** Powers a host off now and on again five to eight token times later. */
  private powerCycle(id: NodeId, why: string): void {
    this.powerOff(id, why);
    // A machine takes longer to boot than the slowest fence device to act (4 token times):
    // booting faster, it would meet the fence the cluster sends after its loss (a fence loop
    // no real cluster sees, seed 350 with --fault-ms 20000).
    const tokenMs = this.setup.config.tokenMs;
    this.queue.after(this.fenceRandom.between(5 * tokenMs, 8 * tokenMs), () => this.restart(id));
  }

  /** A fabric fence: the host runs on, cut off; the administrator reboots it a while later. */
  private fabricCut(id: NodeId): void {
    const host = this.host(id);
    host.fabricCut = true;
    this.trace(`${id} cut off its storage and network`);
    const tokenMs = this.setup.config.tokenMs;
    this.queue.after(this.fenceRandom.between(2 * tokenMs, 5 * tokenMs), () => {
      if (host.fabricCut) this.powerCycle(id, 'rebooted by the administrator after a fabric fence');
    });
  }

  protected controllerEvent(host: SimHost, event: ControllerEvent): void {
    switch (event.type) {
      case 'fence-waiting-ack':
        this.manualAck(event.victim);
        return;
      case 'node-lost':
      case 'fence-succeeded':
      case 'fence-failed':
      case 'fence-ack-refused':
      case 'controller-log':
      case 'emergency-stop':
      case 'request-result':
      case 'fence-request-result':
        this.trace(`${host.id}: ${event.type} ${JSON.stringify(event)}`);
        return;
      default:
        return;
    }
  }

  /**
   * fence_manual: one to four token times later the administrator makes sure the victim is off
   * (powers it off) and runs fence_ack_manual at a running node that is not the victim. A
   * fence_node of its own the administrator finishes after the faults stop too: the node it
   * asked to fence may still run, a member nobody else will power off (seed 108).
   */
  private manualAck(victim: NodeId): void {
    const acting = () => this.adminActive || this.fenceNodeVictims.has(victim);
    if (this.pendingAcks.has(victim) || !acting()) return;
    this.pendingAcks.add(victim);
    const tokenMs = this.setup.config.tokenMs;
    this.queue.after(this.fenceRandom.between(tokenMs, 4 * tokenMs), () => {
      this.pendingAcks.delete(victim);
      if (!acting()) return;
      const at = this.ids.filter((id) => id !== victim && this.host(id).controller !== null);
      if (at.length === 0) return;
      this.fenceNodeVictims.delete(victim);
      this.powerCycle(victim, 'powered off by the administrator before fence_ack_manual');
      const host = this.host(this.fenceRandom.pick(at));
      this.coverage.manualAcks++;
      this.trace(`${host.id}: fence_ack_manual ${victim}`);
      const controller = host.controller!;
      this.deliverTo(host, controller, () => controller.step({ type: 'fence-ack', node: victim }));
    });
  }

  /** Coverage with the counters derived from what the checkers saw. */
  finalCoverage(): Coverage {
    return {
      ...this.coverage,
      elections: this.campaigns.size,
      leaderChanges: this.checker.leaderTerms(),
      commits: this.checker.committedCount(),
      configVersions: this.configChecker.versions(),
      configRefusals: this.configChecker.refusalCount(),
      votingChanges: this.configChecker.votingChangeCount(),
      loneTerms: this.checker.loneTermCount(),
      agentOps: this.agents.operations,
      agentFaults: this.agents.failures + this.agents.hangs,
      resourceCrashes: this.agents.crashes,
      serviceStarts: this.serviceChecker.starts,
      serviceMoves: this.serviceChecker.moves,
    };
  }
}
