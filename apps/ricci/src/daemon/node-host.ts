import { dirname } from 'node:path';
import {
  ClusterNode,
  type ConfigProposalResult,
  type ControllerEvent,
  type ControllerInput,
  type ControllerReady,
  type ForceExpectedResult,
  type NodeStatus,
  type ObserverEvent,
  type PeerMessage,
  type Ready,
  ServiceController,
  type Timings,
  timingsFor,
  votingConfigOf,
} from '@quorate/core';
import type { ExecutorWork } from '../executor/agent-operation-executor.js';
import type { ConfigFileWrite } from '../storage/cluster-conf-file.js';
import type { DurableLog, RestoredState } from '../storage/durable-log.js';
import type { WireMessage } from '../transport/transport-types.js';
import type { JsonLog } from './json-log.js';

/** Where the host sends the core's messages; the peer transport in the daemon. */
export interface MessageSink {
  send(message: WireMessage): boolean;
}

export interface NodeHostOptions {
  /**
   * The core to drive: a `ServiceController` (a node with a cluster.conf: services, fencing), or
   * a bare `ClusterNode` (a cluster formed from a peer list, consensus only).
   */
  readonly node: ClusterNode | ServiceController;
  /** Runs each ready's agent and fence operations (the daemon's `AgentOperationExecutor`). */
  readonly executor?: { run(work: ExecutorWork): void };
  /** Told every controller event after it is logged (the control socket's request results). */
  readonly onControllerEvent?: (event: ControllerEvent) => void;
  /** Told every consensus event as it is published (the console API pushes them). */
  readonly onObserverEvent?: (event: ObserverEvent) => void;
  /** The cluster.conf text the node starts with (the config directory's), if any. */
  readonly clusterConf?: string | null;
  /**
   * Makes the `ServiceController` for a bare node once its first cluster.conf is committed
   * (formation from another host's file), from the node's durable state. Without it a bare
   * node stays consensus-only.
   */
  readonly makeController?: (clusterConf: string, restored: RestoredState) => ServiceController;
  /**
   * Told after a committed cluster.conf was written or the committed voting set changed (the
   * entry closing a joint change): the transport dials new nodes and drops removed ones.
   */
  readonly onConfigChanged?: () => void;
  readonly storage: DurableLog;
  readonly sink: MessageSink;
  readonly log: JsonLog;
  /** Writes a committed cluster.conf into the config directory (atomically, with a backup). */
  readonly writeConfig: (text: string) => ConfigFileWrite;
  /** The log is compacted into a snapshot once this many applied entries follow the last one. */
  readonly snapshotEntries: number;
  /** The tick length and the token of the voting configuration the node starts with. */
  readonly tickMs: number;
  readonly tokenMs: number;
}

/**
 * Drives one `ClusterNode` (DESIGN.md §2): feeds it ticks and peer messages, and carries out
 * each `ready()` in the order it demands — persist and fsync, then send, then apply (write
 * the committed cluster.conf) and publish — before calling `advance()`. Inputs that arrive in
 * one turn of the event loop share one fsync.
 */
export class NodeHost {
  private drainScheduled = false;
  /** Told once the node's goodbye is out (see `leaveCleanly`). */
  private leftWaiter: (() => void) | null = null;
  private stopped = false;
  private node: ClusterNode;
  private controller: ServiceController | null;
  /** The committed voting set as last seen, to notice a node added or removed. */
  private votersKey: string;
  private confText: string | null;
  /** The core's clocks in ticks, following the committed cluster.conf's `<totem token>`. */
  private timings: Timings;
  /** Ticks given to the host so far: the clock's count of time. */
  private ticks = 0;
  /**
   * The host's tick at which the core's own count began (the core stamps messages with it):
   * 0, or when the resource manager started, the tick it started at.
   */
  private coreStartTick = 0;
  /** A leader's latest heartbeat round: the tick it went out at and who has not answered. */
  private round: { sentTick: number; unanswered: Set<string> } | null = null;

  constructor(private readonly options: NodeHostOptions) {
    this.controller = options.node instanceof ServiceController ? options.node : null;
    this.node = options.node instanceof ClusterNode ? options.node : options.node.node;
    this.timings = this.timingsOf(options.tokenMs);
    this.confText = options.clusterConf ?? null;
    this.votersKey = votersKeyOf(this.node);
  }

  status(): NodeStatus {
    return this.node.status();
  }

  /** `missed`: ticks that came late (a stall, a suspended VM), for the log. */
  tick(count: number, missed = 0): void {
    if (this.stopped) return;
    const core = this.controller ?? this.node;
    for (let i = 0; i < count; i++) core.tick();
    this.ticks += count;
    if (missed > 1) this.options.log('warn', 'clock-stall', { missedTicks: missed });
    // At once rather than in a later turn of the event loop: an idle agent's CPU goes on
    // wake-ups and loop turns, and a tick has no other input to share its fsync with.
    this.drain(true);
  }

  /** A peer message, or (with a controller) a local input: an agent or fence result, a request. */
  receive(input: WireMessage | ControllerInput): void {
    if (this.stopped) return;
    if (this.controller) this.controller.step(input);
    else if (isControllerInput(input)) {
      // A peer with a resource manager re-sends its probe every tick: debug, not a warning.
      this.options.log('debug', 'controller-input-ignored', { type: input.type });
      return;
    } else this.node.step(input);
    this.scheduleDrain();
  }

  /** The controller this host drives, or null for a consensus-only node. */
  serviceController(): ServiceController | null {
    return this.controller;
  }

  /**
   * The tick before which nothing can happen on its own after `message` (just received), or 0
   * when the clock must wake for every tick. Two cases are known to be quiet:
   *
   * - a follower that has heard from its leader does nothing of its own until a token time
   *   later: it neither campaigns nor sees a member go before then (DESIGN.md §2, "Failure
   *   detection follows the token"), and it stays quorate for a lease counted from the tick it
   *   sent the answer the leader last heard (the message's `echoTick`), which is earlier. It
   *   wakes two ticks before the first of these ends, or for the leader's next message;
   * - a leader whose last heartbeat round every peer has answered holds a fresh lease from all
   *   of them (its lease outlasts a heartbeat interval), so it does nothing of its own before
   *   its next heartbeat is due, a heartbeat interval after the last.
   *
   * Anything else (a vote, a refusal, a missing answer) wakes the clock tick by tick.
   */
  quietUntilTick(message: WireMessage): number {
    const quiet = this.consensusQuietUntilTick(message);
    // Services running here have status checks and timers of their own: a quiet spell ends
    // after a heartbeat interval at the latest, so a check is never later than that.
    if (quiet === 0 || !this.controller || this.controller.activeServices().length === 0) {
      return quiet;
    }
    return Math.min(quiet, this.ticks + this.timings.heartbeatTicks);
  }

  private consensusQuietUntilTick(message: WireMessage): number {
    const { role, leader } = this.node.status();
    if (message.type === 'append-request' || message.type === 'install-snapshot') {
      if (role !== 'follower' || leader !== message.from) return 0;
      // An echo of no answer, or of a tick this core never reached, starts no lease.
      if (message.echoTick < 0 || message.echoTick > this.ticks - this.coreStartTick) return 0;
      const tokenEnd = this.ticks + this.timings.tokenTicks;
      const leaseEnd = this.hostTick(message.echoTick) + this.timings.leaseTicks;
      return Math.max(0, Math.min(tokenEnd, leaseEnd) - 2);
    }
    if (message.type !== 'append-response' || role !== 'leader' || !message.success) return 0;
    const round = this.round;
    if (!round || message.echoTick !== round.sentTick) return 0;
    const { heartbeatTicks, leaderLeaseTicks } = this.timings;
    if (leaderLeaseTicks <= heartbeatTicks) return 0;
    round.unanswered.delete(message.from);
    return round.unanswered.size === 0 ? this.hostTick(round.sentTick) + heartbeatTicks : 0;
  }

  /** The newest cluster.conf text this node applied, else the one it started with, or null. */
  clusterConfText(): string | null {
    return this.confText;
  }

  /** `cman_tool expected -e N`: the core's committed change (or forced one while inquorate). */
  forceExpectedVotes(expectedVotes: number): ForceExpectedResult {
    const result = this.node.forceExpectedVotes(expectedVotes);
    this.scheduleDrain();
    return result;
  }

  /** Proposes a whole cluster.conf (as `cman_tool version -r` propagates the local file). */
  proposeConfig(text: string): ConfigProposalResult {
    const result = this.node.proposeConfig({ kind: 'file', text });
    this.scheduleDrain();
    return result;
  }

  /** The newest cluster.conf in the log, committed or not: what edits apply to. */
  newestConfigText(): string | null {
    return this.node.newestConfigText();
  }

  /** Writes one line to the agent's log (for helpers the daemon builds around the host). */
  logEvent(...line: Parameters<JsonLog>): void {
    this.options.log(...line);
  }

  /** The node's state folder (its log lives there). */
  stateDir(): string {
    return dirname(this.options.storage.path);
  }

  /**
   * Carries out everything the core asked for so far, synchronously. `afterTicks`: the work
   * came from ticks, so appends sent now are the leader's heartbeat round.
   */
  drain(afterTicks = false): void {
    // Each round may produce more work (a snapshot to store after a compaction).
    for (let round = 0; round < 16 && !this.stopped; round++) {
      // Asked first: an idle agent drains after every tick and message, mostly for nothing.
      if (!(this.controller ?? this.node).hasReady()) break;
      const ready = this.controller ? this.controller.ready() : bareReady(this.node.ready());
      const consensus = ready.consensus;
      this.options.storage.append(consensus.persist);
      for (const message of consensus.messages) {
        this.options.sink.send(message);
        if (afterTicks) this.noteHeartbeat(message);
      }
      for (const message of ready.messages) this.options.sink.send(message);
      this.apply(consensus);
      // Started before `advance`: the controller hands out each operation once.
      if (ready.agentOps.length + ready.fenceOps.length > 0) this.options.executor?.run(ready);
      for (const event of ready.events) this.publishControllerEvent(event);
      if (this.controller) this.controller.advance(ready);
      else this.node.advance(consensus);
      const configWritten = consensus.configWrites.length > 0;
      // A bare node's first committed file starts its resource manager; the bare node takes no
      // snapshot first (it would hold no controller state). The controller replays the log and
      // the next round compacts.
      if (configWritten && !this.controller) this.startResourceManager();
      // Only newly applied entries bring the next snapshot closer.
      else if (consensus.committed.length > 0) this.maybeCompact();
      if (configWritten || consensus.committed.length > 0) this.noticeConfigChange(configWritten);
    }
    if (this.leftWaiter && this.node.status().left) this.leftWaiter();
  }

  /**
   * A bare node whose first cluster.conf was just committed starts its resource manager: a
   * `ServiceController` restored from what this node has stored, which is all of its consensus
   * state that must survive (log, term, vote, commit). It begins as a restarted node does,
   * with a new incarnation, as a follower that probes its resources before it runs any
   * (DESIGN.md §2 "Restart"); a leader gives up its leadership and the cluster elects again.
   * Everything the old node asked for was carried out before this, so nothing is lost.
   */
  private startResourceManager(): void {
    const text = this.confText;
    const make = this.options.makeController;
    const restored = this.options.storage.restored();
    if (!make || text === null || !restored) return;
    const before = this.node.status();
    this.controller = make(text, restored);
    this.node = this.controller.node;
    this.coreStartTick = this.ticks;
    this.round = null;
    this.options.log('info', 'resource-manager-started', {
      configVersion: before.configVersion,
      term: before.term,
      commit: before.commit,
      wasLeader: before.role === 'leader',
      incarnation: this.node.status().incarnation,
    });
  }

  /** Tells the daemon when a committed file arrived or the voting set changed. */
  private noticeConfigChange(configWritten: boolean): void {
    const votersKey = votersKeyOf(this.node);
    if (!configWritten && votersKey === this.votersKey) return;
    this.votersKey = votersKey;
    this.options.onConfigChanged?.();
  }

  /**
   * Starts a clean leave (`cman_tool leave`, SIGTERM). With a resource manager the controller
   * first stops every local service, and only then tells its peers, which take the goodbye as
   * the promise that nothing runs here and recover its services without a fence; the host keeps
   * ticking and running agent operations meanwhile. Resolves true once the goodbye went out,
   * false when the stops did not finish within `timeoutMs`: the node then exits without a
   * goodbye and its peers fence it. A node without a resource manager leaves at once.
   */
  leaveCleanly(timeoutMs: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(this.node.status().left);
    if (!this.controller) {
      this.node.step({ type: 'leave' });
      this.drain();
      return Promise.resolve(true);
    }
    this.controller.step({ type: 'leave' });
    this.drain();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (left: boolean) => {
        clearTimeout(timer);
        this.leftWaiter = null;
        resolve(left);
      };
      this.leftWaiter = () => finish(true);
      if (this.node.status().left) finish(true);
    });
  }

  /** The host takes no input any more (after a leave, or to exit without one). */
  leave(): void {
    this.stopped = true;
  }

  stop(): void {
    this.stopped = true;
  }

  private apply(ready: Ready): void {
    if (ready.snapshot) {
      const { index, term, config } = ready.snapshot;
      this.options.log('info', 'snapshot-loaded', {
        index,
        term,
        configVersion: config?.version ?? 0,
      });
    }
    for (const { version, index, text } of ready.configWrites) {
      const { path, written, backup } = this.options.writeConfig(text);
      this.options.log('info', 'config-applied', { version, index, path, written, backup });
      this.confText = text;
      this.timings = this.timingsOf(votingConfigOf(text).tokenMs);
    }
    for (const event of ready.events) this.publish(event);
  }

  /** The host's tick for `coreTick`, a tick of the core's own count (as messages carry). */
  private hostTick(coreTick: number): number {
    return this.coreStartTick + coreTick;
  }

  private timingsOf(tokenMs: number): Timings {
    return timingsFor({ voters: [], expectedVotes: 0, tokenMs }, this.options.tickMs);
  }

  /**
   * The appends sent on a tick are the leader's heartbeat round (appends sent in answer to a
   * message do not move its heartbeat clock); a later tick's round replaces it.
   */
  private noteHeartbeat(message: PeerMessage): void {
    if (message.type !== 'append-request' && message.type !== 'install-snapshot') return;
    if (this.round?.sentTick !== message.sentTick) {
      this.round = { sentTick: message.sentTick, unanswered: new Set() };
    }
    this.round.unanswered.add(message.to);
  }

  private maybeCompact(): void {
    const { commit, snapshotIndex } = this.node.status();
    if (commit - snapshotIndex < this.options.snapshotEntries) return;
    // The controller's replicated service state goes into the snapshot; a bare node has none.
    if (this.node.compact(this.controller?.appState() ?? '')) {
      this.options.log('debug', 'log-compacted', { index: this.node.status().snapshotIndex });
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private publishControllerEvent(event: ControllerEvent): void {
    const { type, ...fields } = event;
    const level =
      type === 'fence-failed' || type === 'command-error' || type === 'emergency-stop'
        ? 'warn'
        : 'info';
    this.options.log(level, type, fields);
    this.options.onControllerEvent?.(event);
  }

  private publish(event: ObserverEvent): void {
    this.options.onObserverEvent?.(event);
    if (event.type === 'entry-committed') {
      const { index, term, kind } = event.entry;
      this.options.log('debug', 'entry-committed', { index, term, kind });
      return;
    }
    const { type, ...fields } = event;
    this.options.log('info', type, fields);
  }
}

function votersKeyOf(node: ClusterNode): string {
  return [...node.status().voters].sort().join(',');
}

/** A bare node's ready in the controller's shape, with nothing of the controller's own. */
function bareReady(consensus: Ready): ControllerReady {
  return { consensus, messages: [], agentOps: [], fenceOps: [], events: [] };
}

function isControllerInput(
  input: WireMessage | ControllerInput,
): input is Exclude<ControllerInput, PeerMessage> {
  return (
    input.type.startsWith('rm-') ||
    input.type === 'agent-result' ||
    input.type === 'fence-result' ||
    input.type === 'fence-ack'
  );
}
