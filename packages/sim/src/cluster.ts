import type {
  ConfigProposal,
  ConfigProposalResult,
  FenceRequest,
  NodeId,
  NodeStatus,
  PeerMessage,
  PlantedBug,
  Ready,
  VotingConfig,
} from '@quorate/core';
import { timingsFor } from '@quorate/core';
import { chainDigest } from './app-digest.js';
import { SafetyChecker } from './checkers.js';
import { ConfigChecker } from './config-checker.js';
import { type Coverage, emptyCoverage } from './coverage.js';
import { EventQueue } from './event-queue.js';
import { SimNetwork } from './network.js';
import { Prng } from './prng.js';
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
}

const TRACE_TAIL = 40;

/**
 * A whole cluster on one simulated clock: hosts with drifting tick rates, the network, disks,
 * and the checkers watching every write, send, arrival, apply and event from outside.
 */
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

  constructor(readonly setup: ClusterSetup) {
    this.network = new SimNetwork(new Prng(setup.seed, 2));
    this.tornRandom = new Prng(setup.seed, 3);
    this.fenceRandom = new Prng(setup.seed, 11);
    const leaseTicks = timingsFor(setup.config, setup.tickMs).leaseTicks;
    this.checker = new SafetyChecker(setup.config, leaseTicks, this.isActive, this.isUp);
    this.configChecker = new ConfigChecker((message) => this.checker.violations.push(message));
    this.ids = setup.config.voters.map((voter) => voter.id);
    this.ids.forEach((id, i) => {
      const period = setup.tickMs * (1 + (setup.drift[i] ?? 0));
      const host = new SimHost(id, period, setup.seed, 10 + i);
      host.confText = setup.clusterConf ?? null;
      host.fenceDelayMs = setup.fenceDelayMs?.[i] ?? 0;
      this.hosts.set(id, host);
    });
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

  crash(id: NodeId, torn: boolean): void {
    const host = this.host(id);
    if (!host.up) return;
    if (torn) {
      host.crashAtNextWrite = true;
      return;
    }
    this.kill(host, 'crashed');
  }

  restart(id: NodeId): void {
    const host = this.host(id);
    if (host.up) return;
    this.coverage.restarts++;
    this.startHost(host);
  }

  /** `cman_tool leave` (ricci's SIGTERM): the node says goodbye, then its process exits. */
  leave(id: NodeId): void {
    const host = this.host(id);
    if (!host.process || host.pausedUntilMs > 0 || host.crashAtNextWrite) return;
    host.process.step({ type: 'leave' });
    this.processReady(host);
    host.stop();
    this.checker.restarted(host.id);
    this.coverage.leaves++;
    this.trace(`${host.id} left the cluster and stopped`);
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
    host.start(
      this.setup.config,
      this.setup.tickMs,
      this.setup.plant,
      this.setup.maxEntriesPerMessage,
    );
    this.checker.restarted(host.id);
    this.trace(`${host.id} started (incarnation ${host.incarnations})`);
    this.processReady(host);
  }

  private kill(host: SimHost, why: string): void {
    host.stop();
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
    const process = host.process;
    if (!process) return;
    for (let i = 0; i < ticks; i++) {
      host.localTicks++;
      process.tick();
    }
    this.processReady(host);
    if (!host.process) return;
    const term = host.disk.storedHardState()?.term ?? 0;
    this.checker.ticked(host.id, host.localTicks, term, host.disk);
  }

  /**
   * The host's simulated power fence device: after the host's fence delay and the device's own
   * latency it powers the victim off (whatever incarnation runs) and tells the node, unless the
   * fencing host itself died or stalled meanwhile. A powered-off host reboots a while later.
   */
  private fence(host: SimHost, request: FenceRequest): void {
    const process = host.process;
    if (host.fencing || !process) return;
    host.fencing = process;
    const delayMs = host.fenceDelayMs + this.fenceRandom.between(10, 150);
    const delayNote = host.fenceDelayMs > 0 ? ` after its ${host.fenceDelayMs}ms fence delay` : '';
    this.trace(
      `${host.id} fences ${request.node} (incarnation ${request.incarnation})${delayNote}`,
    );
    this.queue.after(delayMs, () => {
      if (host.fencing === process) host.fencing = null;
      if (host.process !== process || host.pausedUntilMs > 0) return;
      const victim = this.host(request.node);
      this.coverage.fences++;
      if (victim.up) this.kill(victim, `powered off by ${host.id}'s fence device`);
      const tokenMs = this.setup.config.tokenMs;
      const rebootMs = this.fenceRandom.between(tokenMs, 3 * tokenMs);
      this.queue.after(rebootMs, () => this.restart(victim.id));
      process.step({
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

  private send(message: PeerMessage, senderQuorate: boolean): void {
    this.coverage.messages++;
    for (const delayMs of this.network.plan(message.from, message.to)) {
      this.queue.after(delayMs, () => this.arrive(message, senderQuorate));
    }
  }

  private arrive(message: PeerMessage, senderQuorate: boolean): void {
    const host = this.hosts.get(message.to);
    if (!host?.process || this.network.isCut(message.from, message.to)) return;
    if (host.pausedUntilMs > 0) {
      host.held.push(() => this.arrive(message, senderQuorate));
      return;
    }
    this.checker.delivered(message, host.localTicks, senderQuorate);
    host.process.step(message);
    this.processReady(host);
  }

  /** Persist, then publish and send, then apply — the order `ready()` requires. */
  private processReady(host: SimHost): void {
    const process = host.process;
    if (!process) return;
    const ready = process.ready();
    if (ready.persist.length > 0) {
      this.checker.beforePersist(host.id, ready.persist, host.disk);
      if (host.crashAtNextWrite) {
        host.disk.write(ready.persist, this.tornRandom.nextInt(ready.persist.length));
        this.coverage.tornWrites++;
        this.kill(host, 'crashed mid-write (torn record)');
        return;
      }
      host.disk.write(ready.persist);
    }
    this.checker.events(host.id, ready.events, host.disk);
    for (const event of ready.events) {
      if (event.type === 'leader-changed' && event.leader === host.id) {
        this.trace(`${host.id} leads term ${event.term}`);
      }
    }
    const quorate = this.checker.believesQuorate(host.id);
    for (const message of ready.messages) {
      const campaign = `${message.from}|${message.term}`;
      if (message.type === 'vote-request' && !message.preVote && !this.campaigns.has(campaign)) {
        this.campaigns.add(campaign);
        this.trace(`${message.from} campaigns in term ${message.term}`);
      }
      this.checker.sent(message, host.disk);
      this.send(message, quorate);
    }
    this.apply(host, ready);
    process.advance(ready);
    const compactAfter = this.setup.compactAfterEntries ?? 0;
    const status = process.status();
    if (compactAfter > 0 && host.appliedIndex - status.snapshotIndex >= compactAfter) {
      process.compact(String(host.appDigest));
      this.coverage.compactions++;
    }
    if (status.fenceNeeded) this.fence(host, status.fenceNeeded);
  }

  /** Loads a snapshot, applies committed entries and writes cluster.conf, as a host would. */
  private apply(host: SimHost, ready: Ready): void {
    if (ready.snapshot) {
      this.checker.loadedSnapshot(host.id, ready.snapshot);
      host.appDigest = Number(ready.snapshot.appState);
      host.appliedIndex = ready.snapshot.index;
      if (host.incarnations > 0 && host.localTicks > 0) this.coverage.snapshotsInstalled++;
    }
    this.checker.applied(host.id, ready.committed, host.disk);
    for (const entry of ready.committed) host.appDigest = chainDigest(host.appDigest, entry);
    const last = ready.committed[ready.committed.length - 1];
    if (last) host.appliedIndex = last.index;
    this.configChecker.written(host.id, ready.configWrites);
    const newest = ready.configWrites[ready.configWrites.length - 1];
    if (newest) host.confText = newest.text;
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
    };
  }
}
