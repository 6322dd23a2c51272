import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasQuorum, quorumVotes, totalVotes, votesIn, votingConfigProblems } from './quorum.js';
import type { VotingConfig } from './types.js';

function config(votes: number[], expectedVotes = 0): VotingConfig {
  return {
    voters: votes.map((v, i) => ({ id: `n${i + 1}`, votes: v })),
    expectedVotes,
    tokenMs: 1000,
  };
}

describe('quorumVotes', () => {
  it('is a strict majority of the configured votes', () => {
    expect(quorumVotes(config([1, 1, 1]))).toBe(2);
    expect(quorumVotes(config([1, 1, 1, 1]))).toBe(3);
    expect(quorumVotes(config([3, 1, 1]))).toBe(3);
  });

  it('uses expected_votes when it is larger than the configured votes', () => {
    expect(quorumVotes(config([1, 1, 1], 5))).toBe(3);
  });

  it('never drops below a majority of the configured votes when expected_votes is smaller', () => {
    expect(quorumVotes(config([1, 1, 1, 1, 1], 1))).toBe(3);
  });

  it('lets one heavy node outvote two light ones', () => {
    const heavy = config([3, 1, 1]);
    expect(hasQuorum(heavy, ['n1'])).toBe(true);
    expect(hasQuorum(heavy, ['n2', 'n3'])).toBe(false);
  });

  it('counts a voter once and unknown ids not at all', () => {
    expect(votesIn(config([2, 1]), ['n1', 'n1', 'x'])).toBe(2);
    expect(totalVotes(config([2, 1, 0]))).toBe(3);
  });
});

describe('votingConfigProblems', () => {
  it('names the field and the rule', () => {
    const bad: VotingConfig = {
      voters: [
        { id: 'a', votes: 1 },
        { id: 'a', votes: -1 },
      ],
      expectedVotes: 9,
      tokenMs: 50,
    };
    expect(votingConfigProblems(bad)).toEqual([
      'voters[2]/@id: node a is listed twice',
      'voters[2]/@votes: votes must be a non-negative integer, got -1',
      'tokenMs: token must be between 100 and 60000 ms, got 50',
      'expectedVotes: quorum 5 exceeds the 0 configured votes',
    ]);
  });

  it('accepts a plain three-node configuration', () => {
    expect(votingConfigProblems(config([1, 1, 1]))).toEqual([]);
  });
});

describe('quorum intersection', () => {
  const arbitraryCase = fc
    .array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 9 })
    .chain((votes) =>
      fc.record({
        votes: fc.constant(votes),
        expected: fc.integer({ min: 0, max: 60 }),
        a: fc.array(fc.boolean(), { minLength: votes.length, maxLength: votes.length }),
        b: fc.array(fc.boolean(), { minLength: votes.length, maxLength: votes.length }),
      }),
    );

  it('any two quorums of a random configuration share a voter that carries votes', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ votes, expected, a, b }) => {
        const conf = config(votes, expected);
        const setA = conf.voters.filter((_, i) => a[i]).map((v) => v.id);
        const setB = conf.voters.filter((_, i) => b[i]).map((v) => v.id);
        if (!hasQuorum(conf, setA) || !hasQuorum(conf, setB)) return;
        const shared = setA.filter((id) => setB.includes(id));
        expect(votesIn(conf, shared)).toBeGreaterThan(0);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('would not intersect if quorum followed the votes a partition sees', () => {
    // Two halves that each see only themselves would each call their own votes "all of them".
    const conf = config([1, 1, 1, 1]);
    const left = ['n1', 'n2'];
    const visibleQuorum = Math.floor(votesIn(conf, left) / 2) + 1;
    expect(votesIn(conf, left)).toBeGreaterThanOrEqual(visibleQuorum);
    expect(hasQuorum(conf, left)).toBe(false);
  });
});
