import { MembershipView } from './membership.js';
import { type Envelope, sameHardState } from './messages.js';
import type { ClusterNodeOptions, NodeStatus } from './node-options.js';
import { ProgressTracker } from './progress.js';
import { votingConfigProblems } from './quorum.js';
import { RaftLog } from './raft-log.js';
import { type Timings, timingsFor } from './timings.js';
import type {
  HardState,
  LogEntry,
  NodeId,
  ObserverEvent,
  PeerMessage,
  PersistRecord,
  PlantedBug,
  RandomSource,
  Ready,
  Role,
  VotingConfig,
} from './types.js';
import { headCountCounter, type VoteCounter, weightedCounter } from './vote-counter.js';

/**
 * The state of one member of the replicated log and its host-facing half: what is durable,
 * what the host must do (`ready`/`advance`), and what observers see. `ClusterNode` adds the
 * protocol on top.
 */
export abstract class NodeState {
  readonly id: NodeId;
  readonly timings: Timings;
  protected readonly config: VotingConfig;
  protected readonly peers: readonly NodeId[];
  protected readonly counter: VoteCounter;
  protected readonly random: RandomSource;
  protected readonly plant: PlantedBug | null;
  protected readonly maxEntriesPerMessage: number;
  protected readonly log: RaftLog;
  protected readonly membership: MembershipView;
  protected readonly incarnation: number;
  protected term: number;
  protected vote: NodeId | null;
  protected commit: number;
  protected role: Role = 'follower';
  protected leader: NodeId | null = null;
  protected leaderMembers: readonly NodeId[] | null = null;
  protected applied = 0;
  protected now = 0;
  protected electionElapsed = 0;
  protected electionTimeout = 0;
  protected heartbeatElapsed = 0;
  protected ticksSinceLeader = 0;
  protected quorate = false;
  protected readonly granted = new Set<NodeId>();
  protected readonly progress = new ProgressTracker();
  /**
   * Lease evidence: for each peer, this node's tick when it sent the freshest request that the
   * peer answered in the current term (an append it acknowledged, or the vote request it granted).
   */
  protected readonly leaseEvidence = new Map<NodeId, number>();
  protected campaignTick = 0;
  /** A restarted node may have acknowledged a leader just before it crashed: it honours that lease. */
  protected readonly startupLeaseTicks: number;
  /** Until this tick the node refuses to help a newer term: it granted a vote that may lead. */
  protected promiseUntilTick = 0;
  /** The lease votes a leader held when check-quorum made it step down, for the quorum event. */
  protected stepDownVotes: number | null = null;
  protected persistedHardState: HardState | null;
  protected outbox: PeerMessage[] = [];
  protected events: ObserverEvent[] = [];
  constructor(options: ClusterNodeOptions) {
    const problems = votingConfigProblems(options.config);
    if (problems.length > 0) throw new Error(`voting configuration: ${problems.join('; ')}`);
    this.id = options.id;
    this.config = options.config;
    this.timings = timingsFor(options.config, options.tickMs);
    this.peers = options.config.voters.map((v) => v.id).filter((id) => id !== options.id);
    this.plant = options.plant ?? null;
    this.counter =
      this.plant === 'unweighted-votes'
        ? headCountCounter(options.config)
        : weightedCounter(options.config);
    this.random = options.random;
    this.maxEntriesPerMessage = options.maxEntriesPerMessage ?? 64;
    const restored = options.restored;
    this.log = new RaftLog(restored?.entries ?? []);
    this.term = restored?.hardState.term ?? 0;
    this.vote = restored?.hardState.vote ?? null;
    this.commit = restored?.hardState.commit ?? 0;
    if (this.commit > this.log.lastIndex()) {
      throw new Error(
        `hard-state/commit: commit ${this.commit} is past the last stored entry ${this.log.lastIndex()}`,
      );
    }
    this.incarnation = (restored?.hardState.incarnation ?? 0) + 1;
    this.persistedHardState = restored?.hardState ?? null;
    this.startupLeaseTicks = restored ? this.timings.tokenTicks : 0;
    this.membership = new MembershipView(this.id, this.timings.tokenTicks);
    this.resetElectionTimeout();
  }

  status(): NodeStatus {
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      leader: this.leader,
      commit: this.commit,
      lastIndex: this.log.lastIndex(),
      quorate: this.quorate,
      members: this.membership.members(),
      incarnation: this.incarnation,
    };
  }

  /** The stored entry at `index`, for hosts and tests that inspect the log. */
  entryAt(index: number): LogEntry | undefined {
    return this.log.entryAt(index);
  }

  ready(): Ready {
    const persist: PersistRecord[] = [];
    const entries = this.log.unstableEntries();
    if (entries.length > 0) persist.push({ kind: 'entries', entries });
    const hardState = this.hardState();
    if (!sameHardState(hardState, this.persistedHardState)) {
      persist.push({ kind: 'hard-state', state: hardState });
    }
    const committed = this.log.slice(this.applied + 1, this.commit);
    const events = [...this.events];
    for (const entry of committed) events.push({ type: 'entry-committed', entry });
    return { persist, messages: [...this.outbox], committed, events };
  }

  /** The host persisted, sent and applied everything the last `ready()` returned. */
  advance(ready: Ready): void {
    this.log.markStable();
    this.persistedHardState = this.hardState();
    this.outbox = this.outbox.slice(ready.messages.length);
    this.events = this.events.slice(ready.events.length - ready.committed.length);
    const last = ready.committed[ready.committed.length - 1];
    if (last) this.applied = last.index;
  }

  protected hardState(): HardState {
    const vote = this.plant === 'forget-vote' ? null : this.vote;
    return { term: this.term, vote, commit: this.commit, incarnation: this.incarnation };
  }

  /** Election timeouts are randomised between one and two token times (DESIGN.md §2). */
  protected resetElectionTimeout(): void {
    const token = this.timings.tokenTicks;
    this.electionElapsed = 0;
    this.electionTimeout = token + this.random.nextInt(token);
  }

  /** Votes of this node and of the peers that answered what it sent within its leader lease. */
  protected leaseVotes(): number {
    const recent = [this.id];
    for (const [peer, sentTick] of this.leaseEvidence) {
      if (this.now - sentTick < this.timings.leaderLeaseTicks) recent.push(peer);
    }
    return this.counter.count(recent);
  }

  /** Check-quorum: a quorum of votes answered something this leader sent within its lease. */
  protected quorumActive(): boolean {
    return this.leaseVotes() >= this.counter.quorum;
  }

  /** While a follower has heard its leader within the lease it refuses to help depose it. */
  protected inLease(): boolean {
    if (this.role === 'leader') return this.quorumActive();
    if (this.plant === 'vote-during-lease') return false;
    if (this.now < this.startupLeaseTicks || this.now < this.promiseUntilTick) return true;
    return this.leader !== null && this.ticksSinceLeader < this.timings.tokenTicks;
  }

  protected refreshObservations(): void {
    const followingLeader =
      this.role === 'follower' &&
      this.leader !== null &&
      this.ticksSinceLeader < this.timings.leaseTicks;
    const change = this.membership.refresh(this.now, followingLeader ? this.leaderMembers : null);
    if (change) this.events.push(change);
    const quorate = this.role === 'leader' || followingLeader;
    if (quorate !== this.quorate) {
      this.quorate = quorate;
      // A leader (or one that just stepped down) judges by its lease, everyone else by members.
      const votes =
        this.role === 'leader'
          ? this.leaseVotes()
          : (this.stepDownVotes ?? this.counter.count(this.membership.members()));
      this.events.push({
        type: 'quorum-changed',
        quorate,
        votes,
        expectedVotes: this.config.expectedVotes,
        quorum: this.counter.quorum,
      });
    }
    this.stepDownVotes = null;
  }

  protected setLeader(leader: NodeId | null): void {
    if (leader !== null) this.ticksSinceLeader = 0;
    if (leader === this.leader) return;
    this.leader = leader;
    if (leader === null) this.leaderMembers = null;
    this.events.push({ type: 'leader-changed', leader, term: this.term });
  }

  protected envelope(to: NodeId, term = this.term): Envelope {
    return { from: this.id, to, term, incarnation: this.incarnation };
  }

  protected send(message: PeerMessage): void {
    this.outbox.push(message);
  }
}
