import { quorumVotes, votesIn } from './quorum.js';
import type { NodeId, VotingConfig } from './types.js';

/**
 * How a node weighs a set of supporters (votes granted, replicas, recent acks). Weighted by
 * default; the `unweighted-votes` planted bug counts heads against a head-count majority.
 */
export interface VoteCounter {
  readonly quorum: number;
  /** Total of the distinct supporters in `ids`. */
  count(ids: Iterable<NodeId>): number;
  /** What one node contributes (for tallies that add supporters one at a time). */
  weightOf(id: NodeId): number;
}

export function weightedCounter(config: VotingConfig): VoteCounter {
  const weights = new Map(config.voters.map((voter) => [voter.id, voter.votes]));
  return {
    quorum: quorumVotes(config),
    count: (ids) => votesIn(config, ids),
    weightOf: (id) => weights.get(id) ?? 0,
  };
}

export function headCountCounter(config: VotingConfig): VoteCounter {
  const voters = new Set(config.voters.map((voter) => voter.id));
  return {
    quorum: Math.floor(voters.size / 2) + 1,
    count: (ids) => new Set([...ids].filter((id) => voters.has(id))).size,
    weightOf: (id) => (voters.has(id) ? 1 : 0),
  };
}
