import type { LogEntry, PeerMessage, VotingConfig } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { SafetyChecker } from './checkers.js';
import { clusterConfText } from './conf-text.js';
import { SimDisk } from './disk.js';

const config: VotingConfig = {
  voters: [
    { id: 'n1', votes: 1 },
    { id: 'n2', votes: 1 },
    { id: 'n3', votes: 1 },
  ],
  expectedVotes: 0,
  tokenMs: 1000,
};

const base = { incarnation: 1, prevIndex: 0, prevTerm: 0, entries: [], commit: 0, members: [] };
const append = (from: string, to: string, term: number): PeerMessage => ({
  ...base,
  type: 'append-request',
  from,
  to,
  term,
  sentTick: 0,
  echoTick: -1,
});
const entry = (index: number, term: number, data: string): LogEntry => ({
  index,
  term,
  kind: 'command',
  data,
});

function checker(): SafetyChecker {
  return new SafetyChecker(config, 10, () => true);
}

describe('SafetyChecker', () => {
  it('flags two leaders in one term', () => {
    const c = checker();
    c.sent(append('n1', 'n2', 3), new SimDisk());
    c.sent(append('n1', 'n3', 3), new SimDisk());
    expect(c.violations).toEqual([]);
    c.sent(append('n2', 'n3', 3), new SimDisk());
    expect(c.violations).toEqual(['two leaders in term 3: n1 and n2']);
  });

  it('flags a vote granted before it was persisted, and a second vote in one term', () => {
    const c = checker();
    const disk = new SimDisk();
    const grant = (to: string): PeerMessage => ({
      type: 'vote-response',
      from: 'n3',
      to,
      term: 2,
      incarnation: 1,
      preVote: false,
      granted: true,
    });
    c.sent(grant('n1'), disk);
    disk.write([{ kind: 'hard-state', state: { term: 2, vote: 'n2', commit: 0, incarnation: 1 } }]);
    c.sent(grant('n2'), disk);
    expect(c.violations).toEqual([
      'n3 granted its term 2 vote to n1 before persisting it',
      'n3 voted twice in term 2: n1 and n2',
    ]);
  });

  it('flags a committed entry that changes or is applied out of order', () => {
    const c = checker();
    c.applied('n1', [entry(1, 1, 'a'), entry(2, 1, 'b')], new SimDisk());
    c.applied('n2', [entry(1, 1, 'a'), entry(2, 2, 'x')], new SimDisk());
    c.applied('n3', [entry(2, 1, 'b')], new SimDisk());
    expect(c.violations).toEqual([
      'committed entry changed: n2 applied 2@2:x, before 2@1:b',
      'n3 applied index 2 when 1 was next',
    ]);
  });

  it('flags a leader whose log lacks an entry committed in an earlier term', () => {
    const c = checker();
    const leaderDisk = new SimDisk();
    leaderDisk.write([
      { kind: 'hard-state', state: { term: 1, vote: 'n1', commit: 1, incarnation: 1 } },
    ]);
    c.applied('n1', [entry(1, 1, 'a')], leaderDisk);
    c.events('n2', [{ type: 'leader-changed', leader: 'n2', term: 1 }], new SimDisk());
    expect(c.violations).toEqual([]);
    c.events('n3', [{ type: 'leader-changed', leader: 'n3', term: 2 }], new SimDisk());
    expect(c.violations).toEqual(['n3 leads term 2 without committed entry 1@1:a']);
  });

  it('flags a quorate leader without a quorum of answers within its lease', () => {
    const c = checker();
    const disk = new SimDisk();
    c.events(
      'n1',
      [
        { type: 'leader-changed', leader: 'n1', term: 1 },
        { type: 'quorum-changed', quorate: true, votes: 2, expectedVotes: 0, quorum: 2 },
      ],
      disk,
    );
    c.delivered(
      {
        type: 'vote-response',
        from: 'n2',
        to: 'n1',
        term: 1,
        incarnation: 1,
        preVote: false,
        granted: true,
      },
      5,
      false,
    );
    c.ticked('n1', 14, 1, disk);
    expect(c.violations).toEqual([]);
    c.ticked('n1', 15, 1, disk);
    expect(c.violations).toEqual([
      'n1 leads term 1 as quorate with 1 votes heard in its lease; quorum is 2',
    ]);
  });

  it('flags two quorate leaders of different terms at once', () => {
    const c = checker();
    const lead = (id: string, term: number) => [
      { type: 'leader-changed' as const, leader: id, term },
      { type: 'quorum-changed' as const, quorate: true, votes: 2, expectedVotes: 0, quorum: 2 },
    ];
    c.events('n1', lead('n1', 1), new SimDisk());
    c.events('n2', lead('n2', 2), new SimDisk());
    expect(c.violations).toEqual(['n2 (term 2) and n1 (term 1) both lead as quorate at once']);
  });

  // Seeds 11432, 12115 and 12859 (issue 4): a leader whose joint entry commits appends the
  // closing entry and commits what precedes it by the new configuration alone; when it then
  // announces that commit its log may already hold the next change.
  it('judges an announced commit by every rule the leader had since the committed index', () => {
    const voting = (votes: number[]): VotingConfig => ({
      ...config,
      voters: votes.map((v, i) => ({ id: `n${i + 1}`, votes: v })),
    });
    const conf = (index: number, version: number, votes: number[]): LogEntry => ({
      index,
      term: 2,
      kind: 'config',
      data: clusterConfText(voting(votes), version),
    });
    const withN4 = [1, 1, 1, 3];
    const disk = new SimDisk();
    disk.write([
      { kind: 'hard-state', state: { term: 2, vote: 'n1', commit: 1, incarnation: 1 } },
      { kind: 'entries', entries: [entry(1, 1, 'a')] },
    ]);
    const announce = (acks: Record<string, number>): string[] => {
      const c = checker();
      c.events('n1', [{ type: 'leader-changed', leader: 'n1', term: 2 }], disk);
      for (const [from, matchIndex] of Object.entries(acks)) {
        const ack = {
          from,
          to: 'n1',
          term: 2,
          incarnation: 1,
          success: true,
          echoTick: 0,
          sentTick: 0,
        };
        c.delivered({ ...ack, type: 'append-response', matchIndex }, 0, false);
      }
      const request = {
        ...base,
        from: 'n1',
        to: 'n2',
        term: 2,
        commit: 3,
        sentTick: 0,
        echoTick: -1,
      };
      c.sent({ ...request, type: 'append-request' }, disk);
      return c.violations;
    };
    // 2: joint (n1-n3, then also n4 with 3 votes); 4 closes it; 5 opens a change back.
    disk.write([
      {
        kind: 'entries',
        entries: [conf(2, 2, withN4), entry(3, 2, 'b'), conf(4, 2, withN4), conf(5, 3, [1, 1, 1])],
      },
    ]);
    // n1 and n4 hold 4 of the 6 votes of version 2, which alone decided once 4 was appended;
    // they are a quorum of neither the rule up to index 3 nor the rule of the whole log.
    expect(announce({ n2: 2, n4: 3 })).toEqual([]);
    // n1 and n2 are a quorum of the old configuration only.
    expect(announce({ n2: 3, n4: 2 })).toEqual([
      'n1 committed index 3 in term 2 with 2 votes acknowledging it; quorum is 4 (and a quorum of the old configuration)',
    ]);
  });
});
