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
import type { ServiceLayout } from './service-layout.js';
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

/** How long a leaving node waits for its services to stop before it exits anyway. */
const LEAVE_TIMEOUT_MS = 60_000;

/**
 * The hosts of a simulated cluster on one simulated clock: processes with drifting tick rates,
 * the network, disks, and the checkers watching every write, send, arrival, apply and event from
 * outside. `SimCluster` adds what runs on the hosts: agents, fence devices, the administrator.
 */
export abstract class SimClusterHosts {
  readonly queue = new EventQueue();
  readonly network: SimNetwork;
  readonly checker: SafetyChecker;
  readonly configChecker: ConfigChecker;
  readonly coverage: Coverage = emptyCoverage();
  readonly hosts = new Map<NodeId, SimHost>();
  readonly ids: readonly NodeId[];
  private readonly traceLines: string[] = [];
  private readonly tornRandom: Prng;
  protected readonly fenceRandom: Prng;
  protected readonly campaigns = new Set<string>();
  readonly agents: SimResourceAgents;
  readonly serviceChecker: ServiceChecker;
  /** Nodes asked to leave, with what to do once their process ended. */
  private readonly leaving = new Map<NodeId, () => void>();
  /** Whether the simulated administrator still acknowledges manual fences. */
  adminActive = true;
  /** Nodes the administrator asked to fence (fence_node) whose manual fence it still owes. */
  protected readonly fenceNodeVictims = new Set<NodeId>();
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

  /** fence_node `victim` typed at host `id`; false when the host cannot take it. */
  fenceNode(id: NodeId, requestId: string, victim: NodeId): boolean {
    const host = this.host(id);
    if (!host.controller || host.pausedUntilMs > 0 || host.fabricCut) return false;
    this.coverage.fenceRequests++;
    this.fenceNodeVictims.add(victim);
    this.trace(`${id}: fence_node ${victim}`);
    host.controller.step({ type: 'fence-request', id: requestId, node: victim });
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
  protected processReady(host: SimHost): void {
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
  protected deliverTo(host: SimHost, controller: ServiceController, deliver: () => void): void {
    if (host.controller !== controller) return;
    if (host.pausedUntilMs > 0) {
      host.held.push(() => this.deliverTo(host, controller, deliver));
      return;
    }
    deliver();
    this.processReady(host);
  }

  /** The host's two_node fence device, for a lone node's `fenceNeeded`. */
  protected abstract fence(host: SimHost, request: FenceRequest): void;
  protected abstract runAgent(host: SimHost, controller: ServiceController, op: AgentOp): void;
  protected abstract runFence(host: SimHost, controller: ServiceController, op: FenceOp): void;
  protected abstract controllerEvent(host: SimHost, event: ControllerEvent): void;
}
