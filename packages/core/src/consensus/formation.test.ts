import { describe, expect, it } from 'vitest';
import { chooseFormationConfig, localFileProblem } from './formation.js';
import type { VotingConfig } from './types.js';

const voting: VotingConfig = {
  voters: [
    { id: 'n1', votes: 1 },
    { id: 'n2', votes: 1 },
    { id: 'n3', votes: 1 },
  ],
  expectedVotes: 0,
  tokenMs: 1000,
};
const file = (version: number, text = `v${version}`) => ({ version, text });

describe('formation', () => {
  it('commits the highest-versioned file a quorum offers; nodes without one just count', () => {
    const decision = chooseFormationConfig(
      [
        { node: 'n1', config: file(3) },
        { node: 'n2', config: null },
        { node: 'n3', config: file(5) },
      ],
      voting,
    );
    expect(decision).toEqual({ kind: 'commit', config: file(5), offeredBy: ['n3'] });
  });

  it('waits for a quorum of votes, and with wait_for_all for every node', () => {
    expect(chooseFormationConfig([{ node: 'n1', config: file(2) }], voting)).toEqual({
      kind: 'wait',
      message: '1 of the 2 votes needed have answered',
    });
    const offers = [
      { node: 'n1', config: file(2) },
      { node: 'n2', config: file(2) },
    ];
    expect(chooseFormationConfig(offers, voting).kind).toBe('commit');
    expect(chooseFormationConfig(offers, { ...voting, waitForAll: true })).toEqual({
      kind: 'wait',
      message: 'wait_for_all: waiting to hear from n3',
    });
  });

  it('stops on two different files with one version, naming the nodes', () => {
    const decision = chooseFormationConfig(
      [
        { node: 'n1', config: file(4, 'a') },
        { node: 'n2', config: file(4, 'b') },
        { node: 'n3', config: file(4, 'a') },
      ],
      voting,
    );
    expect(decision).toEqual({
      kind: 'conflict',
      message:
        'formation stopped: two different cluster.conf files carry config_version 4: n1 and n3 hold one, n2 holds another; correct one of them',
    });
  });

  it('refuses a returning node whose own file is newer than the committed one', () => {
    expect(localFileProblem('n4', file(9), file(7))).toBe(
      "n4 holds cluster.conf config_version 9, newer than the cluster's committed version 7; it is not merged: propose it as an update or move it aside",
    );
    expect(localFileProblem('n4', file(7), file(7))).toBeNull();
    expect(localFileProblem('n4', file(6), file(7))).toBeNull();
  });

  it('refuses a returning node whose file differs from the committed one under the same version', () => {
    expect(localFileProblem('n4', file(7, 'edited by hand'), file(7))).toBe(
      "n4 holds a cluster.conf with config_version 7 whose text differs from the cluster's committed version 7; it is not merged: move it aside to receive the committed file, or propose it with a greater version",
    );
  });
});
