import { describe, expect, it } from 'vitest';
import { ClusterNode } from './node.js';
import type {
  HardState,
  LogEntry,
  NodeId,
  ObserverEvent,
  PeerMessage,
  RandomSource,
  VotingConfig,
} from './types.js';

/** Jitter that makes n1 time out first (after one token), then n2, then the rest. */
function jitterFor(id: NodeId): RandomSource {
  const rank = id === 'n1' ? 0 : id === 'n2' ? 1 : 2;
  return { nextInt: (bound) => Math.min(bound - 1, Math.floor((rank * bound) / 2)) };
}

/** A lock-step harness: persist, queue messages, deliver in order, honour cut links. */
class Harness {
  readonly nodes = new Map<NodeId, ClusterNode>();
  readonly disks = new Map<NodeId, { hardState: HardState; entries: LogEntry[] }>();
  readonly applied = new Map<NodeId, LogEntry[]>();
  readonly events = new Map<NodeId, ObserverEvent[]>();
  readonly cut = new Set<string>();
  readonly down = new Set<NodeId>();
  private queue: PeerMessage[] = [];

  constructor(readonly config: VotingConfig) {
    for (const voter of config.voters) this.start(voter.id);
  }

  static of(votes: number[], expectedVotes = 0): Harness {
    const voters = votes.map((v, i) => ({ id: `n${i + 1}`, votes: v }));
    return new Harness({ voters, expectedVotes, tokenMs: 1000 });
  }

  node(id: NodeId): ClusterNode {
    return this.nodes.get(id)!;
  }

  start(id: NodeId): void {
    const restored = this.disks.get(id);
    const node = new ClusterNode({
      id,
      config: this.config,
      tickMs: 100,
      random: jitterFor(id),
      ...(restored ? { restored } : {}),
    });
    this.nodes.set(id, node);
    this.applied.set(id, []);
    this.events.set(id, []);
    this.down.delete(id);
    this.flush(id);
  }

  crash(id: NodeId): void {
    this.down.add(id);
    this.queue = this.queue.filter((m) => m.to !== id && m.from !== id);
  }

  isolate(id: NodeId): void {
    for (const other of this.nodes.keys()) {
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  flush(id: NodeId): PeerMessage[] {
    const node = this.node(id);
    const ready = node.ready();
    const blank: HardState = { term: 0, vote: null, commit: 0, incarnation: 0 };
    const disk = this.disks.get(id) ?? { hardState: blank, entries: [] };
    for (const record of ready.persist) {
      if (record.kind === 'hard-state') disk.hardState = record.state;
      else if (record.kind === 'entries') {
        disk.entries.length = record.entries[0]!.index - 1;
        disk.entries.push(...record.entries);
      }
    }
    this.disks.set(id, disk);
    this.queue.push(...ready.messages);
    this.applied.get(id)!.push(...ready.committed);
    this.events.get(id)!.push(...ready.events);
    node.advance(ready);
    return [...ready.messages];
  }

  tick(times = 1, ids: NodeId[] = [...this.nodes.keys()]): void {
    for (let i = 0; i < times; i++) {
      for (const id of ids) {
        if (this.down.has(id)) continue;
        this.node(id).tick();
        this.flush(id);
      }
      this.deliver();
    }
  }

  deliver(): void {
    while (this.queue.length > 0) {
      const message = this.queue.shift()!;
      if (this.down.has(message.to) || this.cut.has(`${message.from}>${message.to}`)) continue;
      this.node(message.to).step(message);
      this.flush(message.to);
    }
  }

  leaders(): NodeId[] {
    return [...this.nodes.keys()].filter(
      (id) => !this.down.has(id) && this.node(id).status().role === 'leader',
    );
  }

  eventsOf(id: NodeId, type: ObserverEvent['type']): ObserverEvent[] {
    return this.events.get(id)!.filter((e) => e.type === type);
  }
}

describe('ClusterNode elections', () => {
  it('elects the node whose randomised timeout fires first, after one token time', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(9);
    expect(h.leaders()).toEqual([]);
    h.tick(1);
    expect(h.leaders()).toEqual(['n1']);
    expect(h.node('n2').status()).toMatchObject({ term: 1, leader: 'n1', quorate: true });
    expect(h.eventsOf('n2', 'leader-changed')).toEqual([
      { type: 'leader-changed', leader: 'n1', term: 1 },
    ]);
  });

  it('persists the vote in the same ready that carries the vote response', () => {
    const h = Harness.of([1, 1, 1]);
    h.node('n2').step({
      type: 'vote-request',
      from: 'n3',
      to: 'n2',
      term: 1,
      incarnation: 1,
      preVote: false,
      lastLogIndex: 0,
      lastLogTerm: 0,
    });
    const ready = h.node('n2').ready();
    expect(ready.persist).toEqual([
      { kind: 'hard-state', state: { term: 1, vote: 'n3', commit: 0, incarnation: 1 } },
    ]);
    expect(ready.messages).toMatchObject([{ type: 'vote-response', granted: true, to: 'n3' }]);
  });

  it('lets one heavy node outvote two light ones', () => {
    const h = Harness.of([1, 3, 1]);
    h.isolate('n2');
    h.tick(40);
    expect(h.leaders()).toEqual(['n2']);
    // n1 and n3 hold 2 of 5 votes (quorum 3): pre-vote never lets them raise their term.
    expect(h.node('n1').status()).toMatchObject({ term: 0, quorate: false });
    expect(h.node('n3').status().term).toBe(0);
  });

  it('does not let an isolated follower disturb the leader when it returns (pre-vote)', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    expect(h.leaders()).toEqual(['n1']);
    h.isolate('n3');
    h.tick(60);
    expect(h.node('n3').status().term).toBe(1);
    h.cut.clear();
    h.tick(5);
    expect(h.leaders()).toEqual(['n1']);
    expect(h.node('n3').status()).toMatchObject({ term: 1, leader: 'n1' });
  });

  it('ignores a higher-term vote request while the leader lease holds', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    const request: PeerMessage = {
      type: 'vote-request',
      from: 'n3',
      to: 'n2',
      term: 7,
      incarnation: 1,
      preVote: false,
      lastLogIndex: 99,
      lastLogTerm: 9,
    };
    h.node('n2').step(request);
    expect(h.node('n2').status()).toMatchObject({ term: 1, leader: 'n1' });
    expect(h.node('n2').ready().messages).toEqual([]);
  });
});

describe('ClusterNode replication', () => {
  it('commits a proposal on every node and refuses proposals at followers', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    expect(h.node('n2').step({ type: 'propose', data: 'x' })).toBe(false);
    expect(h.node('n1').step({ type: 'propose', data: 'a' })).toBe(true);
    h.flush('n1');
    h.deliver();
    h.tick(3);
    for (const id of ['n1', 'n2', 'n3']) {
      expect(h.applied.get(id)!.map((e) => e.data)).toEqual(['', 'a']);
    }
  });

  it('does not commit without a quorum of votes', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    h.crash('n2');
    h.crash('n3');
    h.node('n1').step({ type: 'propose', data: 'lonely' });
    h.flush('n1');
    h.tick(3);
    expect(h.node('n1').status().commit).toBe(1);
  });

  it('catches up a node that returns from a crash, from its durable log', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    h.crash('n3');
    for (const data of ['a', 'b', 'c']) {
      h.node('n1').step({ type: 'propose', data });
      h.flush('n1');
    }
    h.tick(3);
    h.start('n3');
    h.tick(6);
    expect(h.applied.get('n3')!.map((e) => e.data)).toEqual(['', 'a', 'b', 'c']);
    expect(h.node('n3').status().incarnation).toBe(2);
  });

  it('replaces a stale leader’s uncommitted entries with the new leader’s', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    h.isolate('n1');
    h.node('n1').step({ type: 'propose', data: 'lost' });
    h.flush('n1');
    h.tick(40);
    const [leader] = h.leaders().filter((id) => id !== 'n1');
    expect(leader).toBeDefined();
    h.node(leader!).step({ type: 'propose', data: 'kept' });
    h.flush(leader!);
    h.cut.clear();
    h.tick(10);
    expect(h.node('n1').status().role).toBe('follower');
    expect(h.applied.get('n1')!.map((e) => e.data)).toContain('kept');
    expect(h.applied.get('n1')!.map((e) => e.data)).not.toContain('lost');
  });
});

describe('ClusterNode quorum, leases and durability', () => {
  it('steps a leader down when it loses its quorum for one lease (check-quorum)', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    // The lease counts from the send of the last acknowledged heartbeat (at most one heartbeat
    // interval ago) and lasts leaderLeaseTicks = floor((10 - 1) * 0.8) = 7 ticks.
    expect(h.node('n1').timings).toMatchObject({ heartbeatTicks: 2, leaderLeaseTicks: 7 });
    h.isolate('n1');
    h.tick(5);
    expect(h.node('n1').status().role).toBe('leader');
    h.tick(2);
    expect(h.node('n1').status()).toMatchObject({ role: 'follower', quorate: false });
    expect(h.eventsOf('n1', 'quorum-changed').at(-1)).toEqual({
      type: 'quorum-changed',
      quorate: false,
      votes: 1,
      expectedVotes: 0,
      quorum: 2,
    });
  });

  it('keeps term and vote across a restart and refuses a second vote in that term', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(12);
    h.crash('n2');
    h.start('n2');
    expect(h.node('n2').status()).toMatchObject({ term: 1, incarnation: 2 });
    h.node('n2').step({
      type: 'vote-request',
      from: 'n3',
      to: 'n2',
      term: 1,
      incarnation: 1,
      preVote: false,
      lastLogIndex: 5,
      lastLogTerm: 1,
    });
    const response = h
      .node('n2')
      .ready()
      .messages.find((m) => m.type === 'vote-response');
    expect(response).toMatchObject({ granted: false, term: 1 });
  });

  it('reports membership from heartbeats, losses after a token time, and restarts', () => {
    const h = Harness.of([1, 1, 1]);
    h.tick(14);
    expect(h.node('n1').status().members).toEqual(['n1', 'n2', 'n3']);
    expect(h.node('n2').status().members).toEqual(['n1', 'n2', 'n3']);
    h.crash('n3');
    h.tick(12);
    expect(h.node('n1').status().members).toEqual(['n1', 'n2']);
    const lost = h.eventsOf('n1', 'membership-changed').at(-1);
    expect(lost).toMatchObject({ lost: ['n3'], joined: [] });
    h.start('n3');
    h.tick(4);
    expect(h.eventsOf('n1', 'membership-changed').at(-1)).toMatchObject({ joined: ['n3'] });
  });

  it('refuses a voting configuration with a token outside 100 ms to 60 s', () => {
    const config = { voters: [{ id: 'n1', votes: 1 }], expectedVotes: 0, tokenMs: 70_000 };
    expect(
      () => new ClusterNode({ id: 'n1', config, tickMs: 100, random: jitterFor('n1') }),
    ).toThrow('voting configuration: tokenMs: token must be between 100 and 60000 ms, got 70000');
  });

  it('refuses restored state whose commit lies past the stored log', () => {
    expect(
      () =>
        new ClusterNode({
          id: 'n1',
          config: { voters: [{ id: 'n1', votes: 1 }], expectedVotes: 0, tokenMs: 1000 },
          tickMs: 100,
          random: jitterFor('n1'),
          restored: { hardState: { term: 1, vote: 'n1', commit: 3, incarnation: 1 }, entries: [] },
        }),
    ).toThrow('hard-state/commit: commit 3 is past the last stored entry 0');
  });
});
