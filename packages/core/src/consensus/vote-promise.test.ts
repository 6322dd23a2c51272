import { describe, expect, it } from 'vitest';
import { ClusterNode } from './node.js';
import type { PeerMessage, VoteResponse } from './types.js';

const config = {
  voters: ['n1', 'n2', 'n3'].map((id) => ({ id, votes: 1 })),
  expectedVotes: 0,
  tokenMs: 1000,
};

function voteRequest(from: string, term: number): PeerMessage {
  const base = { from, to: 'n1', term, incarnation: 1, lastLogIndex: 0, lastLogTerm: 0 };
  return { ...base, type: 'vote-request', preVote: false };
}

function grantedTo(node: ClusterNode, candidate: string): boolean {
  const ready = node.ready();
  node.advance(ready);
  return ready.messages.some(
    (m): m is VoteResponse => m.type === 'vote-response' && m.to === candidate && m.granted,
  );
}

describe('a vote is a lease promise', () => {
  it('a newer term carried only by a response does not free the vote for another candidate', () => {
    // Found by the simulator (seed 819): n1 voted for n3 in term 11, learned term 12 from n2's
    // refusal of its own pre-vote, then voted for n2 too; n3 and n2 led at the same moment.
    const node = new ClusterNode({ id: 'n1', config, tickMs: 100, random: { nextInt: () => 0 } });
    node.step(voteRequest('n3', 11));
    expect(grantedTo(node, 'n3')).toBe(true);
    const refusal: PeerMessage = {
      from: 'n2',
      to: 'n1',
      term: 12,
      incarnation: 1,
      type: 'vote-response',
      preVote: true,
      granted: false,
    };
    node.step(refusal);
    expect(node.status().term).toBe(11);
    node.step(voteRequest('n2', 12));
    expect(grantedTo(node, 'n2')).toBe(false);
    // Once the promise has run out (one token: 10 ticks), a newer term is free to vote in.
    for (let i = 0; i < 10; i++) node.tick();
    node.step(voteRequest('n2', 12));
    expect(grantedTo(node, 'n2')).toBe(true);
  });
});
