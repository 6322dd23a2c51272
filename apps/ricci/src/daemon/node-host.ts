import {
  type ClusterNode,
  type ConfigProposalResult,
  type NodeStatus,
  type ObserverEvent,
  type PeerMessage,
  type Ready,
  type Timings,
  timingsFor,
  votingConfigOf,
} from '@quorate/core';
import type { ConfigFileWrite } from '../storage/cluster-conf-file.js';
import type { DurableLog } from '../storage/durable-log.js';
import type { JsonLog } from './json-log.js';

/** Where the host sends the core's messages; the peer transport in the daemon. */
export interface MessageSink {
  send(message: PeerMessage): boolean;
}

export interface NodeHostOptions {
  readonly node: ClusterNode;
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
  private stopped = false;
  private readonly node: ClusterNode;
  /** The core's clocks in ticks, following the committed cluster.conf's `<totem token>`. */
  private timings: Timings;
  /** Ticks given to the core so far: its own count of time. */
  private ticks = 0;
  /** A leader's latest heartbeat round: the tick it went out at and who has not answered. */
  private round: { sentTick: number; unanswered: Set<string> } | null = null;

  constructor(private readonly options: NodeHostOptions) {
    this.node = options.node;
    this.timings = this.timingsOf(options.tokenMs);
  }

  status(): NodeStatus {
    return this.node.status();
  }

  /** `missed`: ticks that came late (a stall, a suspended VM), for the log. */
  tick(count: number, missed = 0): void {
    if (this.stopped) return;
    for (let i = 0; i < count; i++) this.node.tick();
    this.ticks += count;
    if (missed > 1) this.options.log('warn', 'clock-stall', { missedTicks: missed });
    // At once rather than in a later turn of the event loop: an idle agent's CPU goes on
    // wake-ups and loop turns, and a tick has no other input to share its fsync with.
    this.drain(true);
  }

  receive(message: PeerMessage): void {
    if (this.stopped) return;
    this.node.step(message);
    this.scheduleDrain();
  }

  /**
   * The tick before which nothing can happen on its own after `message` (just received), or 0
   * when the clock must wake for every tick. Two cases are known to be quiet:
   *
   * - a follower that has heard from its leader does nothing of its own until a token time
   *   later: it neither campaigns, nor loses quorum, nor sees a member go before then (DESIGN.md
   *   §2, "Failure detection follows the token"). It wakes two ticks before that, or for the
   *   leader's next message;
   * - a leader whose last heartbeat round every peer has answered holds a fresh lease from all
   *   of them (its lease outlasts a heartbeat interval), so it does nothing of its own before
   *   its next heartbeat is due, a heartbeat interval after the last.
   *
   * Anything else (a vote, a refusal, a missing answer) wakes the clock tick by tick.
   */
  quietUntilTick(message: PeerMessage): number {
    const { role, leader } = this.node.status();
    if (message.type === 'append-request' || message.type === 'install-snapshot') {
      if (role !== 'follower' || leader !== message.from) return 0;
      return this.ticks + Math.max(0, this.timings.tokenTicks - 2);
    }
    if (message.type !== 'append-response' || role !== 'leader' || !message.success) return 0;
    const round = this.round;
    if (!round || message.echoTick !== round.sentTick) return 0;
    const { heartbeatTicks, leaderLeaseTicks } = this.timings;
    if (leaderLeaseTicks <= heartbeatTicks) return 0;
    round.unanswered.delete(message.from);
    return round.unanswered.size === 0 ? round.sentTick + heartbeatTicks : 0;
  }

  /** Proposes a whole cluster.conf (as `cman_tool version -r` propagates the local file). */
  proposeConfig(text: string): ConfigProposalResult {
    const result = this.node.proposeConfig({ kind: 'file', text });
    this.scheduleDrain();
    return result;
  }

  /**
   * Carries out everything the core asked for so far, synchronously. `afterTicks`: the work
   * came from ticks, so appends sent now are the leader's heartbeat round.
   */
  drain(afterTicks = false): void {
    // Each round may produce more work (a snapshot to store after a compaction).
    for (let round = 0; round < 16 && !this.stopped; round++) {
      const ready = this.node.ready();
      if (isEmpty(ready)) return;
      this.options.storage.append(ready.persist);
      for (const message of ready.messages) {
        this.options.sink.send(message);
        if (afterTicks) this.noteHeartbeat(message);
      }
      this.apply(ready);
      this.node.advance(ready);
      // Only newly applied entries bring the next snapshot closer.
      if (ready.committed.length > 0) this.maybeCompact();
    }
  }

  /**
   * Leaves the cluster cleanly (`cman_tool leave`): the core tells its peers, which report this
   * node as `left` rather than lost, and the notices are handed to the transport now. The host
   * takes no input afterwards.
   */
  leave(): void {
    if (this.stopped) return;
    this.node.step({ type: 'leave' });
    this.drain();
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
      this.timings = this.timingsOf(votingConfigOf(text).tokenMs);
    }
    for (const event of ready.events) this.publish(event);
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
    // The host keeps no state machine of its own yet: the snapshot's config is the state.
    if (this.node.compact('')) {
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

  private publish(event: ObserverEvent): void {
    if (event.type === 'entry-committed') {
      const { index, term, kind } = event.entry;
      this.options.log('debug', 'entry-committed', { index, term, kind });
      return;
    }
    const { type, ...fields } = event;
    this.options.log('info', type, fields);
  }
}

function isEmpty(ready: Ready): boolean {
  return (
    ready.persist.length === 0 &&
    ready.messages.length === 0 &&
    ready.snapshot === null &&
    ready.committed.length === 0 &&
    ready.configWrites.length === 0 &&
    ready.events.length === 0
  );
}
