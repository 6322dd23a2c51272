import type {
  AgentOp,
  ConfigProposal,
  ConfigProposalResult,
  ControllerBug,
  ControllerEvent,
  ControllerMessage,
  FenceOp,
  FenceRequest,
  NodeId,
  NodeStatus,
  PeerMessage,
  PlantedBug,
  Ready,
  RmRequest,
  ServiceController,
  VotingConfig,
} from '@quorate/core';
import { isControllerMessage, timingsFor } from '@quorate/core';
import { SafetyChecker } from './checkers.js';
import { clusterConfText } from './conf-text.js';
import { ConfigChecker } from './config-checker.js';
import { type Coverage, emptyCoverage } from './coverage.js';
import { EventQueue } from './event-queue.js';
import { SimNetwork } from './network.js';
import { Prng } from './prng.js';
import { ServiceChecker } from './service-checker.js';
import { fenceKindOf, type ServiceLayout } from './service-layout.js';
import { SimResourceAgents } from './sim-agents.js';
import { SimHost } from './sim-node.js';

export interface ClusterSetup {
  readonly seed: number;
  readonly config: VotingConfig;
  readonly tickMs: number;
  /** Per-host clock drift as a fraction (0.05 = ticks 5% slow); one entry per voter. */
  readonly drift: readonly number[];
  readonly plant: PlantedBug | null;
  /** Small batches make catch-up slow and expose ordering bugs that one big batch hides. */
  readonly maxEntriesPerMessage: number;
  /** Keep every trace line (for `--trace`) instead of only the last few. */
  readonly fullTrace?: boolean;
  /** Hosts compact their log once this many applied entries follow the snapshot (0: never). */
  readonly compactAfterEntries?: number;
  /** The cluster.conf every host starts with, if any. */
  readonly clusterConf?: string;
  /**
   * Per-host fence delay (one entry per voter): a host waits this long before its fence device
   * acts, so in a two_node fence race the host without a delay fences first.
   */
  readonly fenceDelayMs?: readonly number[];
  /** Services, failover domains and fence devices in every cluster.conf version. */
  readonly layout?: ServiceLayout | null;
  /** Switches off one of the service controller's safety mechanisms. */
  readonly controllerPlant?: ControllerBug | null;
  /** How long a fence device takes (default 10–150 ms drawn per operation; slow ones longer). */
  readonly fenceLatencyMs?: number;
}

type AnyMessage = PeerMessage | ControllerMessage;

const TRACE_TAIL = 40;

/**
 * A whole cluster on one simulated clock: hosts with drifting tick rates, the network, disks,
 * and the checkers watching every write, send, arrival, apply and event from outside.
 */
/** How long a leaving node waits for its services to stop before it exits anyway. */
const LEAVE_TIMEOUT_MS = 60_000;

export class SimCluster {
  readonly queue = new EventQueue();
  readonly network: SimNetwork;
  readonly checker: SafetyChecker;
  readonly configChecker: ConfigChecker;
  readonly coverage: Coverage = emptyCoverage();
  readonly hosts = new Map<NodeId, SimHost>();
  readonly ids: readonly NodeId[];
  private readonly traceLines: string[] = [];
  private readonly tornRandom: Prng;
  private readonly fenceRandom: Prng;
  private readonly campaigns = new Set<string>();
  readonly agents: SimResourceAgents;
  readonly serviceChecker: ServiceChecker;
  /** Victims whose manual fence the simulated administrator is about to acknowledge. */
  private readonly pendingAcks = new Set<NodeId>();
  /** Nodes asked to leave, with what to do once their process ended. */
  private readonly leaving = new Map<NodeId, () => void>();
  /** Whether the simulated administrator still acknowledges manual fences. */
  adminActive = true;
  /** When the faults stopped (the liveness phase began). */
  livenessStartMs = 0;

  constructor(readonly setup: ClusterSetup) {
    this.network = new SimNetwork(new Prng(setup.seed, 2));
    this.tornRandom = new Prng(setup.seed, 3);
    this.fenceRandom = new Prng(setup.seed, 11);
    const leaseTicks = timingsFor(setup.config, setup.tickMs).leaseTicks;
    this.checker = new SafetyChecker(setup.config, leaseTicks, this.isActive, this.isUp);
    this.configChecker = new ConfigChecker((message) => this.checker.violations.push(message));
    this.ids = setup.config.voters.map((voter) => voter.id);
    this.agents = new SimResourceAgents(this.queue, new Prng(setup.seed, 13), (node, key) =>
      this.serviceChecker.running(node, key),
    );
    this.serviceChecker = new ServiceChecker(
      {
        now: () => this.now(),
        hostsRunning: (key) => this.agents.hostsRunning(key),
        hostsRunningService: (service) => this.agents.hostsRunningService(service),
        runningOn: (node) => this.agents.runningOn(node),
        isEffective: (node) => !this.hosts.get(node)?.fabricCut,
        describeHost: (node) => this.describeHost(node),
      },
      (message) => this.checker.violations.push(message),
    );
    this.ids.forEach((id, i) => {
      const period = setup.tickMs * (1 + (setup.drift[i] ?? 0));
      const host = new SimHost(id, period, setup.seed, 10 + i);
      // The controller needs a file to start from; a setup without one gets version 1.
      host.confText = setup.clusterConf ?? clusterConfText(setup.config, 1);
      host.fenceDelayMs = setup.fenceDelayMs?.[i] ?? 0;
      this.hosts.set(id, host);
    });
  }

  /** A host's process, for checker messages: incarnation, up or not, in the newest conf. */
  private describeHost(id: NodeId): string {
    const host = this.host(id);
    const text = this.configChecker.newestText();
    const listed = text === undefined || text.includes(`<clusternode name="${id}"`);
    const state = host.up ? `up as #${host.incarnations}` : `down after #${host.incarnations}`;
    const probing =
      host.probesInFlight > 0 ? `, ${host.probesInFlight} probe operations running` : '';
    const paused = host.pausedUntilMs > 0 ? ', paused' : '';
    return `${state}${paused}${probing}${listed ? '' : ', removed from cluster.conf'}`;
  }

  host(id: NodeId): SimHost {
    const host = this.hosts.get(id);
    if (!host) throw new Error(`no host ${id}`);
    return host;
  }

  now(): number {
    return this.queue.now();
  }

  trace(line: string): void {
    this.traceLines.push(`t=${(this.now() / 1000).toFixed(3)}s ${line}`);
    if (!this.setup.fullTrace && this.traceLines.length > TRACE_TAIL * 2) {
      this.traceLines.splice(0, this.traceLines.length - TRACE_TAIL);
    }
  }

  traceTail(): string[] {
    return this.setup.fullTrace ? [...this.traceLines] : this.traceLines.slice(-TRACE_TAIL);
  }

  statuses(): NodeStatus[] {
    const out: NodeStatus[] = [];
    for (const host of this.hosts.values()) if (host.process) out.push(host.process.status());
    return out;
  }

  /** Starts every host and its tick clock. */
  boot(): void {
    for (const host of this.hosts.values()) {
      this.startHost(host);
      this.scheduleTick(host);
    }
  }

  /**
   * The process dies (its resources run on) or, with `powerOff`, the machine loses power and
   * everything on it stops. A torn crash dies at the next write, as a process.
   */
  crash(id: NodeId, torn: boolean, powerOff = false): void {
    const host = this.host(id);
    if (powerOff) this.powerOff(id, 'powered off');
    if (!host.up) return;
    if (torn) {
      host.crashAtNextWrite = true;
      return;
    }
    this.kill(host, 'crashed');
  }

  /** The machine loses power: the process and every resource on it stop. */
  powerOff(id: NodeId, why: string): void {
    const host = this.host(id);
    this.agents.powerOff(id);
    host.fabricCut = false;
    if (host.up) this.kill(host, why);
  }

  restart(id: NodeId): void {
    const host = this.host(id);
    if (host.up) return;
    this.coverage.restarts++;
    this.startHost(host);
  }

  /**
   * `cman_tool leave` (ricci's SIGTERM): the controller stops the node's services, says
   * goodbye, and then the process exits. A node whose stops do not finish within
   * `LEAVE_TIMEOUT_MS` exits without a goodbye (its peers fence it), as ricci gives up.
   */
  leave(id: NodeId, exited: () => void = () => undefined): void {
    const host = this.host(id);
    const controller = host.controller;
    if (!controller || host.pausedUntilMs > 0 || host.crashAtNextWrite) return;
    if (controller.leaving()) return;
    controller.step({ type: 'leave' });
    this.trace(`${host.id}: cman_tool leave (stopping its services first)`);
    this.leaving.set(host.id, exited);
    this.processReady(host);
    this.queue.after(LEAVE_TIMEOUT_MS, () => {
      if (host.controller !== controller || controller.node.status().left) return;
      this.kill(host, 'gave up leaving (a stop did not finish) and exited');
    });
  }

  /** The goodbye is sent: the process exits; what its agents run keeps running. */
  private exitAfterLeave(host: SimHost): void {
    host.stop();
    this.agents.processDied(host.id);
    this.checker.restarted(host.id);
    this.coverage.leaves++;
    this.trace(`${host.id} left the cluster and stopped`);
    this.exited(host);
  }

  /** The process of a node that was asked to leave ended, by its goodbye or otherwise. */
  private exited(host: SimHost): void {
    const exited = this.leaving.get(host.id);
    this.leaving.delete(host.id);
    exited?.();
  }

  pause(id: NodeId, durationMs: number): void {
    const host = this.host(id);
    if (!host.up || host.pausedUntilMs > this.now()) return;
    this.coverage.pauses++;
    host.pausedUntilMs = this.now() + durationMs;
    this.trace(`${id} paused for ${durationMs}ms`);
    const process = host.process;
    this.queue.at(host.pausedUntilMs, () => {
      if (host.process === process) this.resume(host);
    });
  }

  /** Ends a pause now: the host catches up on missed ticks, then handles held messages. */
  resume(host: SimHost): void {
    if (host.pausedUntilMs === 0) return;
    host.pausedUntilMs = 0;
    const missed = host.missedTicks;
    host.missedTicks = 0;
    // Missed ticks are replayed back to back before the host does anything else (DESIGN.md §2).
    if (missed > 0) this.tickHost(host, missed);
    const held = host.held;
    host.held = [];
    for (const arrive of held) arrive();
  }

  /** An administrator's request (clusvcadm) at host `id`; false when the host cannot take it. */
  request(id: NodeId, requestId: string, request: RmRequest): boolean {
    const host = this.host(id);
    if (!host.controller || host.pausedUntilMs > 0 || host.fabricCut) return false;
    this.coverage.adminRequests++;
    this.trace(`${id}: clusvcadm ${request.kind} ${'service' in request ? request.service : ''}`);
    host.controller.step({ type: 'rm-request', id: requestId, request });
    this.processReady(host);
    return true;
  }

  propose(id: NodeId, data: string): boolean {
    const host = this.host(id);
    if (!host.process || host.pausedUntilMs > 0) return false;
    const accepted = host.process.step({ type: 'propose', data });
    this.processReady(host);
    return accepted;
  }

  /** An administrator's cluster.conf change at host `id` (refusals are counted, not traced). */
  proposeConfig(id: NodeId, proposal: ConfigProposal): ConfigProposalResult | null {
    const host = this.host(id);
    if (!host.process || host.pausedUntilMs > 0) return null;
    const result = host.process.proposeConfig(proposal);
    if (result.accepted) this.trace(`${id} appends cluster.conf version ${result.version}`);
    else this.configChecker.refused();
    this.processReady(host);
    return result;
  }

  private startHost(host: SimHost): void {
    // A host cut off by a fabric fence comes back only through a reboot, which the admin does.
    if (host.fabricCut) this.agents.powerOff(host.id);
    host.start(
      this.setup.config,
      this.setup.tickMs,
      this.setup.plant,
      this.setup.maxEntriesPerMessage,
      this.setup.controllerPlant ?? null,
      this.now(),
    );
    this.checker.restarted(host.id);
    this.serviceChecker.restarted(host.id);
    this.trace(`${host.id} started (incarnation ${host.incarnations})`);
    this.processReady(host);
  }

  private kill(host: SimHost, why: string): void {
    this.exited(host);
    host.stop();
    this.agents.processDied(host.id);
    this.checker.restarted(host.id);
    this.coverage.crashes++;
    this.trace(`${host.id} ${why}`);
  }

  private scheduleTick(host: SimHost): void {
    this.queue.after(host.tickPeriodMs, () => {
      if (host.up) {
        if (host.pausedUntilMs > 0) host.missedTicks++;
        else this.tickHost(host);
      }
      this.scheduleTick(host);
    });
  }

  private tickHost(host: SimHost, ticks = 1): void {
    const controller = host.controller;
    if (!controller) return;
    for (let i = 0; i < ticks; i++) {
      host.localTicks++;
      controller.tick();
      // A pause's missed ticks run back to back with no output between them: the node may
      // stop being quorate within them, and its executor counts its lease from that tick.
      if (ticks > 1 && controller.node.status().quorate) host.lastQuorateTick = host.localTicks;
    }
    this.processReady(host);
    if (host.controller !== controller) return;
    const term = host.disk.storedHardState()?.term ?? 0;
    this.checker.ticked(host.id, host.localTicks, term, host.disk);
    if (this.checker.believesQuorate(host.id)) host.lastQuorateTick = host.localTicks;
    // The executor stops everything once it has heard no quorate leader for its service lease.
    // Counted from the last tick the node was seen quorate: after a pause its missed ticks run
    // back to back, and its consensus lease ends somewhere within them.
    const allowed = controller.config().serviceLeaseTicks + 1;
    this.serviceChecker.inquorate(
      host.id,
      host.lastQuorateTick,
      host.localTicks,
      allowed,
      host.probesInFlight > 0,
    );
  }

  /**
   * The host's simulated power fence device: after the host's fence delay and the device's own
   * latency it powers the victim off (whatever incarnation runs) and tells the node, unless the
   * fencing host itself died or stalled meanwhile. A powered-off host reboots a while later.
   */
  private fence(host: SimHost, request: FenceRequest): void {
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

  /** The host's process runs (paused or not). */
  private readonly isUp = (id: NodeId): boolean => this.hosts.get(id)?.process != null;

  /** Running and not paused: a paused process cannot act on what it believes. */
  private readonly isActive = (id: NodeId): boolean => {
    const host = this.hosts.get(id);
    return host?.process != null && host.pausedUntilMs === 0;
  };

  private send(message: AnyMessage, senderQuorate: boolean): void {
    this.coverage.messages++;
    if (this.hosts.get(message.from)?.fabricCut) return;
    for (const delayMs of this.network.plan(message.from, message.to)) {
      this.queue.after(delayMs, () => this.arrive(message, senderQuorate));
    }
  }

  private arrive(message: AnyMessage, senderQuorate: boolean): void {
    const host = this.hosts.get(message.to);
    if (!host?.controller || this.network.isCut(message.from, message.to)) return;
    if (host.fabricCut) return;
    if (host.pausedUntilMs > 0) {
      host.held.push(() => this.arrive(message, senderQuorate));
      return;
    }
    if (!isControllerMessage(message)) {
      this.checker.delivered(message, host.localTicks, senderQuorate);
    }
    host.controller.step(message);
    this.processReady(host);
  }

  /** Hands out everything the process's `ready()` holds, round after round until it is empty. */
  private processReady(host: SimHost): void {
    for (let round = 0; round < 20; round++) {
      const controller = host.controller;
      if (!controller?.hasReady()) break;
      if (!this.processOnce(host, controller)) return;
    }
    if (host.controller?.node.status().left) this.exitAfterLeave(host);
  }

  /** Persist, then publish and send, then apply — the order `ready()` requires. */
  private processOnce(host: SimHost, controller: ServiceController): boolean {
    const ready = controller.ready();
    const consensus = ready.consensus;
    if (consensus.persist.length > 0) {
      this.checker.beforePersist(host.id, consensus.persist, host.disk);
      if (host.crashAtNextWrite) {
        host.disk.write(consensus.persist, this.tornRandom.nextInt(consensus.persist.length));
        this.coverage.tornWrites++;
        this.kill(host, 'crashed mid-write (torn record)');
        return false;
      }
      host.disk.write(consensus.persist);
    }
    this.checker.events(host.id, consensus.events, host.disk);
    // The executor renews its service lease whenever it acts while quorate, on messages too.
    if (this.checker.believesQuorate(host.id)) host.lastQuorateTick = host.localTicks;
    for (const event of consensus.events) {
      if (event.type === 'leader-changed' && event.leader === host.id) {
        // Elected by a quorum's votes: quorate at that moment, even if it steps down at once.
        host.lastQuorateTick = host.localTicks;
        this.trace(`${host.id} leads term ${event.term}`);
      }
    }
    const quorate = this.checker.believesQuorate(host.id);
    for (const message of consensus.messages) {
      const campaign = `${message.from}|${message.term}`;
      if (message.type === 'vote-request' && !message.preVote && !this.campaigns.has(campaign)) {
        this.campaigns.add(campaign);
        this.trace(`${message.from} campaigns in term ${message.term}`);
      }
      this.checker.sent(message, host.disk);
      this.send(message, quorate);
    }
    for (const message of ready.messages) this.send(message, quorate);
    this.apply(host, consensus);
    controller.advance(ready);
    const compactAfter = this.setup.compactAfterEntries ?? 0;
    const status = controller.node.status();
    if (compactAfter > 0 && host.appliedIndex - status.snapshotIndex >= compactAfter) {
      controller.node.compact(controller.appState());
      this.coverage.compactions++;
    }
    for (const op of ready.agentOps) this.runAgent(host, controller, op);
    for (const op of ready.fenceOps) this.runFence(host, controller, op);
    for (const event of ready.events) this.controllerEvent(host, event);
    if (status.fenceNeeded) this.fence(host, status.fenceNeeded);
    return host.controller === controller;
  }

  /** Loads a snapshot, applies committed entries and writes cluster.conf, as a host would. */
  private apply(host: SimHost, ready: Ready): void {
    if (ready.snapshot) {
      this.checker.loadedSnapshot(host.id, ready.snapshot);
      this.serviceChecker.snapshot(host.id, ready.snapshot);
      host.appliedIndex = ready.snapshot.index;
      if (host.incarnations > 0 && host.localTicks > 0) this.coverage.snapshotsInstalled++;
    }
    this.checker.applied(host.id, ready.committed, host.disk);
    for (const change of this.serviceChecker.applied(ready.committed)) {
      const pending = change.pending ? ` then ${JSON.stringify(change.pending)}` : '';
      this.trace(`log: ${change.id} ${change.state} on ${change.owner ?? 'no node'}${pending}`);
    }
    const last = ready.committed[ready.committed.length - 1];
    if (last) host.appliedIndex = last.index;
    this.configChecker.written(host.id, ready.configWrites);
    const newest = ready.configWrites[ready.configWrites.length - 1];
    if (newest) host.confText = newest.text;
  }

  /** A result reaches the process that asked, once it is not paused; a new process never. */
  private deliverTo(host: SimHost, controller: ServiceController, deliver: () => void): void {
    if (host.controller !== controller) return;
    if (host.pausedUntilMs > 0) {
      host.held.push(() => this.deliverTo(host, controller, deliver));
      return;
    }
    deliver();
    this.processReady(host);
  }

  private runAgent(host: SimHost, controller: ServiceController, op: AgentOp): void {
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
  private runFence(host: SimHost, controller: ServiceController, op: FenceOp): void {
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

  private controllerEvent(host: SimHost, event: ControllerEvent): void {
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
        this.trace(`${host.id}: ${event.type} ${JSON.stringify(event)}`);
        return;
      default:
        return;
    }
  }

  /**
   * fence_manual: one to four token times later the administrator makes sure the victim is off
   * (powers it off) and runs fence_ack_manual at a running node that is not the victim.
   */
  private manualAck(victim: NodeId): void {
    if (this.pendingAcks.has(victim) || !this.adminActive) return;
    this.pendingAcks.add(victim);
    const tokenMs = this.setup.config.tokenMs;
    this.queue.after(this.fenceRandom.between(tokenMs, 4 * tokenMs), () => {
      this.pendingAcks.delete(victim);
      if (!this.adminActive) return;
      const at = this.ids.filter((id) => id !== victim && this.host(id).controller !== null);
      if (at.length === 0) return;
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
