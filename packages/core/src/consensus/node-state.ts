import { type ConfigWrite, configFromEntryData, type VersionedConfig } from './config-proposal.js';
import { localFileProblem } from './formation.js';
import { MembershipView } from './membership.js';
import { type Envelope, sameHardState } from './messages.js';
import type { ClusterNodeOptions, NodeStatus } from './node-options.js';
import { ProgressTracker } from './progress.js';
import { votingConfigProblems } from './quorum.js';
import { RaftLog } from './raft-log.js';
import { type Timings, timingsFor } from './timings.js';
import { twoNodePeer } from './two-node.js';
import type {
  FenceRequest,
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
  Snapshot,
  SnapshotRecord,
  VotingConfig,
} from './types.js';
import { deriveVotingRule, VotingRule, votingConfigOf } from './voting-rule.js';

/**
 * The state of one member of the replicated log and its host-facing half: what is durable,
 * what the host must do (`ready`/`advance`), and what observers see. `ClusterNode` adds the
 * protocol on top.
 */
export abstract class NodeState {
  readonly id: NodeId;
  readonly timings: Timings;
  protected readonly config: VotingConfig;
  /** Who decides: one configuration, or two during a change of the voting set. */
  protected rule: VotingRule;
  private ruleKey = '';
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
  /**
   * This node's tick after which its leader is known to have been alive: the echo of this
   * node's own answer in the leader's latest request (-1: none from this leader yet). A message
   * that arrives late (a paused process reading its socket, a slow network) cannot stretch the
   * lease: it says only what it knew when it was sent.
   */
  protected leaderAliveTick = -1;
  /** Leader: each peer's newest answer's own tick, echoed back to it (see `leaderAliveTick`). */
  protected readonly peerTicks = new Map<NodeId, number>();
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
  /** The snapshot the log starts after, if any. */
  protected snapshot: Snapshot | null;
  /** A snapshot the host has yet to load (restored at startup, or installed from the leader). */
  protected snapshotToLoad: Snapshot | null;
  /** A snapshot the host has yet to store. */
  protected snapshotRecord: SnapshotRecord | null = null;
  /** The newest cluster.conf applied, and the one this node started with. */
  protected appliedConfig: VersionedConfig | null = null;
  protected readonly startupConfig: VersionedConfig | null;
  /** Voters this process has heard from since it started (for wait_for_all). */
  protected readonly heardSinceStart = new Set<NodeId>();
  /** The cluster has formed as far as this node knows: wait_for_all no longer holds it back. */
  protected formed: boolean;
  /** two_node: this node campaigns or leads alone, in a term that begins with its fence entry. */
  protected lone = false;
  /** The peer's incarnation that the lone term's fence entry records. */
  protected loneFencedIncarnation = 0;
  /** Fences the host confirmed (and incarnations an administrator acknowledged), per node. */
  protected readonly fenced = new Map<NodeId, number>();
  protected fenceRequest: FenceRequest | null = null;
  /** `cman_tool expected -e N` while inquorate: the rule this node campaigns by, until it leads. */
  protected forcedRule: VotingRule | null = null;
  protected forcedText: string | null = null;
  /** Formation: the cluster.conf each node offered (null: none), from votes and append responses. */
  protected readonly offers = new Map<NodeId, VersionedConfig | null>();
  protected formationStopped: string | null = null;
  protected joinRefused: string | null = null;
  protected hasLeft = false;
  /** The commit index the current leader last announced (to know when this node caught up). */
  protected leaderCommit = 0;
  /** The durable term this process started with. */
  protected readonly startTerm: number;
  protected readonly configGuard: ClusterNodeOptions['configGuard'];
  constructor(options: ClusterNodeOptions) {
    const problems = votingConfigProblems(options.config);
    if (problems.length > 0) throw new Error(`voting configuration: ${problems.join('; ')}`);
    this.id = options.id;
    this.config = options.config;
    this.timings = timingsFor(options.config, options.tickMs);
    this.plant = options.plant ?? null;
    this.rule = new VotingRule(options.config, null, this.plant);
    this.random = options.random;
    this.maxEntriesPerMessage = options.maxEntriesPerMessage ?? 64;
    this.configGuard = options.configGuard;
    const restored = options.restored;
    this.snapshot = restored?.snapshot ?? null;
    this.snapshotToLoad = this.snapshot;
    this.log = new RaftLog(restored?.entries ?? [], this.snapshot ?? undefined);
    this.term = restored?.hardState.term ?? 0;
    this.startTerm = this.term;
    this.vote = restored?.hardState.vote ?? null;
    this.commit = Math.max(restored?.hardState.commit ?? 0, this.log.snapshotIndex());
    this.startupConfig = options.clusterConf ? configFromEntryData(options.clusterConf) : null;
    // A node that committed anything before belongs to a cluster that formed: no cold start.
    this.formed = this.commit > 0;
    if (this.commit > this.log.lastIndex()) {
      throw new Error(
        `hard-state/commit: commit ${this.commit} is past the last stored entry ${this.log.lastIndex()}`,
      );
    }
    this.incarnation = (restored?.hardState.incarnation ?? 0) + 1;
    this.persistedHardState = restored?.hardState ?? null;
    this.startupLeaseTicks = restored ? this.timings.tokenTicks : 0;
    this.membership = new MembershipView(this.id, this.timings.tokenTicks);
    this.refreshVoting();
    // two_node: every start waits to see the peer (cman's wait_for_all), or a node fenced while
    // its peer led alone would come back and take over with a log that lacks the peer's commits.
    if (this.twoNodePeer() !== null) this.formed = false;
    this.resetElectionTimeout();
  }

  /** The peer when the rule in force is a settled two_node configuration this node is in. */
  protected twoNodePeer(): NodeId | null {
    return this.rule.joint ? null : twoNodePeer(this.rule.current, this.id);
  }

  /**
   * wait_for_all (DESIGN.md §2): a cluster starting from cold becomes quorate only after every
   * node has been seen once. Until then this node neither campaigns nor grants votes; it still
   * sends pre-vote requests, which is how the others see it.
   */
  protected waitingForAll(): boolean {
    if (this.formed || !this.rule.governing.waitForAll) return false;
    const others = this.rule.voters().filter((id) => id !== this.id);
    if (others.every((id) => this.heardSinceStart.has(id))) this.formed = true;
    return !this.formed;
  }

  /**
   * The rule elections, commits and leases are decided by: `rule`, except under the
   * `quorum-from-visible-votes` planted bug, which counts only the voters this node sees.
   */
  protected decisionRule(): VotingRule {
    // Only the settled two_node configuration lets a fenced peer's vote go uncounted.
    if (this.lone && this.twoNodePeer() !== null) return this.loneRule();
    if (this.forcedRule) return this.forcedRule;
    if (this.plant !== 'quorum-from-visible-votes') return this.rule;
    const visible = new Set([this.id, ...this.membership.members()]);
    const seen = (config: VotingConfig): VotingConfig => ({
      ...config,
      expectedVotes: 0,
      voters: config.voters.filter((voter) => visible.has(voter.id)),
    });
    const incoming = this.rule.incoming ? seen(this.rule.incoming) : null;
    return new VotingRule(seen(this.rule.current), incoming, null);
  }

  private loneRuleCache: VotingRule | null = null;

  /** A lone two_node leader decides by its own vote. */
  private loneRule(): VotingRule {
    this.loneRuleCache ??= new VotingRule(
      { voters: [{ id: this.id, votes: 1 }], expectedVotes: 0, tokenMs: this.config.tokenMs },
      null,
      null,
    );
    return this.loneRuleCache;
  }

  /** Every other node listed in some configuration of the rule (0 votes too): whom a leader feeds. */
  protected get peers(): NodeId[] {
    return this.rule.members().filter((id) => id !== this.id);
  }

  /**
   * Re-derives the voting rule after the log or the commit index moved past a config entry.
   * Returns true when it changed.
   */
  protected refreshVoting(): boolean {
    const indexes = this.log.configIndexes().slice(-2);
    // Index and term name an entry uniquely (log matching); a replaced entry changes the key.
    const held = indexes.map((index) => `${index}@${this.log.termAt(index)}`);
    const start = this.log.snapshotIndex();
    const key = `${held.join(',')}|${start}@${this.log.termAt(start)}`;
    if (key === this.ruleKey) return false;
    this.ruleKey = key;
    const snapshotText = this.snapshot?.config?.text;
    const base = snapshotText ? votingConfigOf(snapshotText) : this.config;
    const entries = indexes.map((index) => ({ index, text: this.log.entryAt(index)!.data }));
    this.rule = deriveVotingRule({ base, entries }, this.plant);
    return true;
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
      configVersion: this.appliedConfig?.version ?? 0,
      snapshotIndex: this.log.snapshotIndex(),
      joint: this.rule.joint,
      voter: this.rule.isVoter(this.id),
      voters: this.rule.voters(),
      listed: this.rule.members(),
      waitingForAll: this.waitingForAll(),
      fenceNeeded: this.fenceRequest,
      formationStopped: this.formationStopped,
      joinRefused: this.joinRefused,
      left: this.hasLeft,
    };
  }

  /**
   * Log compaction: replaces every applied entry with a snapshot holding the newest applied
   * cluster.conf and `appState`, the host's state machine as of the last applied entry. Call
   * it after `advance()`; returns false when nothing new was applied since the last snapshot.
   */
  compact(appState: string): boolean {
    const index = this.applied;
    // A snapshot records one configuration: none is taken while a change is joint.
    if (index <= this.log.snapshotIndex() || this.rule.joint) return false;
    const term = this.log.termAt(index) ?? 0;
    const snapshot: Snapshot = { index, term, config: this.appliedConfig, appState };
    this.log.compact(index);
    this.snapshot = snapshot;
    this.snapshotRecord = { kind: 'snapshot', snapshot, retainLog: true };
    return true;
  }

  /** The newest cluster.conf this node knows: in its log (committed or not), else applied or its own. */
  protected newestConfig(): VersionedConfig | null {
    for (let index = this.log.lastIndex(); index > this.log.snapshotIndex(); index--) {
      const entry = this.log.entryAt(index);
      if (entry?.kind === 'config') return configFromEntryData(entry.data);
    }
    return this.snapshot?.config ?? this.startupConfig;
  }

  /** The newest cluster.conf in the log or snapshot (not this node's own file), if any. */
  protected loggedConfig(): VersionedConfig | null {
    const newest = this.log.configIndexes().at(-1);
    if (newest !== undefined) return configFromEntryData(this.log.entryAt(newest)!.data);
    return this.snapshot?.config ?? null;
  }

  /** The stored entry at `index`, for hosts and tests that inspect the log. */
  entryAt(index: number): LogEntry | undefined {
    return this.log.entryAt(index);
  }

  /**
   * Whether `ready()` has anything to hand out, without building it: an idle host asks after
   * every tick and message, and most of the time the answer is no.
   */
  hasReady(): boolean {
    return (
      this.outbox.length > 0 ||
      this.events.length > 0 ||
      this.snapshotRecord !== null ||
      this.snapshotToLoad !== null ||
      this.commit > this.applied ||
      this.log.unstableEntries().length > 0 ||
      !sameHardState(this.hardState(), this.persistedHardState)
    );
  }

  ready(): Ready {
    const persist: PersistRecord[] = [];
    if (this.snapshotRecord) persist.push(this.snapshotRecord);
    const entries = this.log.unstableEntries();
    if (entries.length > 0) persist.push({ kind: 'entries', entries });
    const hardState = this.hardState();
    if (!sameHardState(hardState, this.persistedHardState)) {
      persist.push({ kind: 'hard-state', state: hardState });
    }
    const snapshot = this.snapshotToLoad;
    const committed = this.log.slice(Math.max(this.applied, snapshot?.index ?? 0) + 1, this.commit);
    const events = [...this.events];
    for (const entry of committed) events.push({ type: 'entry-committed', entry });
    const configWrites = this.joinRefused ? [] : this.configWritesFor(snapshot, committed);
    const messages = [...this.outbox];
    return { persist, messages, snapshot, committed, configWrites, events };
  }

  /**
   * The newest cluster.conf among what `ready()` hands out: writing only the newest keeps each
   * host's file growing even across a restart, which replays older committed versions.
   */
  private configWritesFor(
    snapshot: Snapshot | null,
    committed: readonly LogEntry[],
  ): ConfigWrite[] {
    // Never older than the host's own file: a newer file is refused (`checkLocalFile`) instead.
    const ownVersion = this.appliedConfig ? 0 : (this.startupConfig?.version ?? 0);
    const appliedVersion = Math.max(this.appliedConfig?.version ?? 0, ownVersion - 1);
    for (let i = committed.length - 1; i >= 0; i--) {
      const entry = committed[i]!;
      if (entry.kind !== 'config') continue;
      // The entry that closes a joint change repeats the text already written.
      const config = configFromEntryData(entry.data);
      return config.version > appliedVersion ? [{ index: entry.index, ...config }] : [];
    }
    const loaded = snapshot?.config;
    if (!snapshot || !loaded || loaded.version <= appliedVersion) return [];
    return [{ index: snapshot.index, ...loaded }];
  }

  /** The host persisted, sent and applied everything the last `ready()` returned. */
  advance(ready: Ready): void {
    this.log.markStable();
    if (this.snapshotRecord && ready.persist.includes(this.snapshotRecord)) {
      this.snapshotRecord = null;
    }
    this.persistedHardState = this.hardState();
    this.outbox = this.outbox.slice(ready.messages.length);
    this.events = this.events.slice(ready.events.length - ready.committed.length);
    if (ready.snapshot) {
      this.applied = Math.max(this.applied, ready.snapshot.index);
      if (ready.snapshot.config) this.appliedConfig = ready.snapshot.config;
      if (this.snapshotToLoad === ready.snapshot) this.snapshotToLoad = null;
    }
    const last = ready.committed[ready.committed.length - 1];
    if (last) this.applied = last.index;
    const lastWrite = ready.configWrites[ready.configWrites.length - 1];
    if (lastWrite) this.appliedConfig = { version: lastWrite.version, text: lastWrite.text };
  }

  /**
   * A node whose own cluster.conf is newer than the cluster's committed one is refused, never
   * merged (DESIGN.md §2): once it has caught up with its leader (or leads and committed its
   * first entry) and the newest committed config is still older, it emits `join-refused` and
   * stops taking part. Returns true when it refused.
   */
  protected checkLocalFile(): boolean {
    if (this.joinRefused || !this.startupConfig) return this.joinRefused !== null;
    const caughtUp =
      this.role === 'leader'
        ? this.log.termAt(this.commit) === this.term
        : this.leader !== null && this.commit >= this.leaderCommit;
    const committed = this.committedConfig();
    // Before formation committed a file, this node's own file is an offer, not a conflict.
    if (!caughtUp || committed === null) return false;
    const problem = localFileProblem(this.id, this.startupConfig, committed);
    if (!problem) return false;
    this.joinRefused = problem;
    this.events.push({ type: 'join-refused', message: problem });
    return true;
  }

  /** The newest cluster.conf at or below the commit index (null before formation). */
  committedConfig(): VersionedConfig | null {
    const indexes = this.log.configIndexes();
    for (let i = indexes.length - 1; i >= 0; i--) {
      const index = indexes[i]!;
      if (index <= this.commit) return configFromEntryData(this.log.entryAt(index)!.data);
    }
    return this.snapshot?.config ?? null;
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
    return this.decisionRule().tally(this.leaseSupporters()).votes;
  }

  /** This node and the peers that answered what it sent within its leader lease. */
  private leaseSupporters(): NodeId[] {
    const recent = [this.id];
    for (const [peer, sentTick] of this.leaseEvidence) {
      if (this.now - sentTick < this.timings.leaderLeaseTicks) recent.push(peer);
    }
    return recent;
  }

  /** Check-quorum: a quorum of votes answered something this leader sent within its lease. */
  protected quorumActive(): boolean {
    return this.decisionRule().leaseReached(this.leaseSupporters());
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
    const leaderAlive =
      this.leaderAliveTick >= 0 && this.now - this.leaderAliveTick < this.timings.leaseTicks;
    const change = this.membership.refresh(this.now, followingLeader ? this.leaderMembers : null);
    if (change) this.events.push(change);
    const quorate = this.role === 'leader' || (followingLeader && leaderAlive);
    if (quorate !== this.quorate) {
      this.quorate = quorate;
      // A leader (or one that just stepped down) judges by its lease, everyone else by members.
      const votes =
        this.role === 'leader'
          ? this.leaseVotes()
          : (this.stepDownVotes ?? this.rule.tally(this.membership.members()).votes);
      const rule = this.role === 'leader' ? this.decisionRule() : this.rule;
      this.events.push({
        type: 'quorum-changed',
        quorate,
        votes,
        expectedVotes: this.rule.governing.expectedVotes,
        quorum: rule.tally([]).quorum,
      });
    }
    this.stepDownVotes = null;
  }

  protected setLeader(leader: NodeId | null): void {
    if (leader !== null) {
      this.ticksSinceLeader = 0;
      // A node with a leader has no reason to fence anyone.
      this.fenceRequest = null;
    }
    if (leader === this.leader) return;
    this.leaderAliveTick = -1;
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
