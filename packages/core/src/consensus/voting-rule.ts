import { parseConfMemo } from './parse-memo.js';
import type { ProgressTracker } from './progress.js';
import { DEFAULT_TOKEN_MS } from './timings.js';
import type { NodeId, PlantedBug, VotingConfig } from './types.js';
import { headCountCounter, type VoteCounter, weightedCounter } from './vote-counter.js';

/** The voting configuration a cluster.conf describes: its nodes' votes, expected votes, token. */
export function votingConfigOf(text: string): VotingConfig {
  const conf = parseConfMemo(text);
  const waitForAll = conf.cman?.attrs.wait_for_all;
  const twoNode = conf.cman?.twoNode ?? false;
  return {
    voters: conf.nodes.map((node) => ({ id: node.name, votes: node.votes })),
    expectedVotes: conf.cman?.expectedVotes ?? 0,
    tokenMs: conf.totem?.tokenMs ?? DEFAULT_TOKEN_MS,
    waitForAll: waitForAll === '1' || waitForAll === 'true' || twoNode,
    twoNode,
  };
}

/** Whether two configurations decide alike: the same voters with the same votes and expected votes. */
export function sameVoting(a: VotingConfig, b: VotingConfig): boolean {
  if (a.expectedVotes !== b.expectedVotes || a.voters.length !== b.voters.length) return false;
  if ((a.twoNode ?? false) !== (b.twoNode ?? false)) return false;
  const votes = new Map(a.voters.map((voter) => [voter.id, voter.votes]));
  return b.voters.every((voter) => votes.get(voter.id) === voter.votes);
}

/**
 * Who decides, and how (DESIGN.md §2): normally a quorum of votes of one configuration; during
 * a change of the voting set (joint consensus) a quorum of the old AND of the new, until the
 * change is committed.
 */
export class VotingRule {
  private readonly counters: readonly VoteCounter[];
  private readonly voterIds: ReadonlySet<NodeId>;
  private readonly memberIds: readonly NodeId[];

  constructor(
    readonly current: VotingConfig,
    readonly incoming: VotingConfig | null,
    plant: PlantedBug | null,
  ) {
    const configs = incoming ? [current, incoming] : [current];
    const counterOf = plant === 'unweighted-votes' ? headCountCounter : weightedCounter;
    this.counters = configs.map(counterOf);
    const ids = new Set<NodeId>();
    const members = new Set<NodeId>();
    for (const config of configs) {
      for (const voter of config.voters) {
        members.add(voter.id);
        if (voter.votes > 0) ids.add(voter.id);
      }
    }
    this.voterIds = ids;
    this.memberIds = [...members];
  }

  /** Every node listed in some configuration of the rule, voting or not: whom a leader feeds. */
  members(): readonly NodeId[] {
    return this.memberIds;
  }

  /** The configuration that will govern once any change completes (for quorum events). */
  get governing(): VotingConfig {
    return this.incoming ?? this.current;
  }

  get joint(): boolean {
    return this.incoming !== null;
  }

  /** Every node whose vote counts in some configuration of the rule. */
  voters(): NodeId[] {
    return [...this.voterIds];
  }

  isVoter(id: NodeId): boolean {
    return this.voterIds.has(id);
  }

  /** Whether `ids` hold a quorum of votes in every configuration of the rule. */
  reached(ids: Iterable<NodeId>): boolean {
    const supporters = [...ids];
    return this.counters.every((counter) => counter.count(supporters) >= counter.quorum);
  }

  /**
   * Check-quorum and leases during a change judge by the configuration in force, not the
   * incoming one: every election until the change commits needs a quorum of it, which a lease
   * over it blocks; and a leader adding a node it has not heard from yet keeps leading.
   */
  leaseReached(ids: Iterable<NodeId>): boolean {
    const counter = this.counters[0]!;
    return counter.count(ids) >= counter.quorum;
  }

  /** Votes of `ids` and the quorum in the governing configuration, for observers. */
  tally(ids: Iterable<NodeId>): { votes: number; quorum: number } {
    const counter = this.counters[this.counters.length - 1]!;
    return { votes: counter.count(ids), quorum: counter.quorum };
  }

  /** The highest index stored by a quorum of every configuration. */
  quorumMatch(self: NodeId, selfLastIndex: number, progress: ProgressTracker): number {
    let match = Number.POSITIVE_INFINITY;
    for (const counter of this.counters) {
      match = Math.min(match, progress.quorumMatch(self, selfLastIndex, counter));
    }
    return match;
  }
}

/** What the rule is derived from: the newest two config entries of the log. */
export interface VotingSource {
  /** The configuration in force before the log's config entries (snapshot or startup). */
  readonly base: VotingConfig;
  /** The newest two config entries held in the log, oldest first, with their index. */
  readonly entries: ReadonlyArray<{ readonly index: number; readonly text: string }>;
}

/**
 * Raft's rule that a configuration takes effect as soon as it is in the log. A change of the
 * voting set takes two entries with the same text: the first opens the joint phase (the one
 * before it must agree too), and the leader appends the second once the first is committed,
 * which hands decisions to the new configuration alone. A leader proposes no other change
 * during the joint phase, so two entries back is as far as the rule ever looks.
 */
export function deriveVotingRule(source: VotingSource, plant: PlantedBug | null): VotingRule {
  const newest = source.entries[source.entries.length - 1];
  if (!newest) return new VotingRule(source.base, null, plant);
  const next = votingConfigOf(newest.text);
  const before = source.entries[source.entries.length - 2];
  if (before?.text === newest.text) return new VotingRule(next, null, plant);
  const previous = before ? votingConfigOf(before.text) : source.base;
  const settled = sameVoting(previous, next) || plant === 'single-step-membership';
  return settled ? new VotingRule(next, null, plant) : new VotingRule(previous, next, plant);
}
