import type { NodeId, VotingConfig } from './types.js';

/** Sum of the configured votes of every voter. */
export function totalVotes(config: VotingConfig): number {
  let sum = 0;
  for (const voter of config.voters) sum += voter.votes;
  return sum;
}

/**
 * DESIGN.md §2: `floor(max(expected_votes, total votes) / 2) + 1`. Never computed from the votes
 * a partition happens to see, which is what makes any two quorums intersect.
 */
export function quorumVotes(config: VotingConfig): number {
  return Math.floor(Math.max(config.expectedVotes, totalVotes(config)) / 2) + 1;
}

/** The votes a node carries in `config` (0 for a node that is not a voter). */
export function votesOf(config: VotingConfig, id: NodeId): number {
  for (const voter of config.voters) if (voter.id === id) return voter.votes;
  return 0;
}

/** Sum of the votes of the distinct voters in `ids`; unknown ids count nothing. */
export function votesIn(config: VotingConfig, ids: Iterable<NodeId>): number {
  const wanted = new Set(ids);
  let sum = 0;
  for (const voter of config.voters) if (wanted.has(voter.id)) sum += voter.votes;
  return sum;
}

export function hasQuorum(config: VotingConfig, ids: Iterable<NodeId>): boolean {
  return votesIn(config, ids) >= quorumVotes(config);
}

/** Checks a voting configuration; returns messages that name the field and the rule. */
export function votingConfigProblems(config: VotingConfig): string[] {
  const problems: string[] = [];
  const ids = new Set<NodeId>();
  config.voters.forEach((voter, i) => {
    const path = `voters[${i + 1}]`;
    if (ids.has(voter.id)) problems.push(`${path}/@id: node ${voter.id} is listed twice`);
    ids.add(voter.id);
    if (!Number.isInteger(voter.votes) || voter.votes < 0) {
      problems.push(`${path}/@votes: votes must be a non-negative integer, got ${voter.votes}`);
    }
  });
  if (!Number.isInteger(config.expectedVotes) || config.expectedVotes < 0) {
    problems.push(`expectedVotes: must be a non-negative integer, got ${config.expectedVotes}`);
  }
  if (config.tokenMs < 100 || config.tokenMs > 60_000) {
    problems.push(`tokenMs: token must be between 100 and 60000 ms, got ${config.tokenMs}`);
  }
  if (totalVotes(config) < quorumVotes(config)) {
    problems.push(
      `expectedVotes: quorum ${quorumVotes(config)} exceeds the ${totalVotes(config)} configured votes`,
    );
  }
  return problems;
}
