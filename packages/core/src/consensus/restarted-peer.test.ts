import { describe, expect, it } from 'vitest';
import { World } from './test-world.js';

/**
 * `ricci --rejoin`: the host wipes the node's log, snapshot and commit index but keeps its term,
 * vote and incarnation, so the node starts again as a new incarnation with an empty log.
 */
function rejoin(world: World, id: string): void {
  world.crash(id);
  const hardState = world.disks.get(id)!.hardState;
  world.disks.set(id, { hardState: { ...hardState, commit: 0 }, snapshot: undefined, entries: [] });
  world.start(id);
}

function leaderOf(world: World): string {
  const leaders = world.ids.filter((id) => world.node(id).status().role === 'leader');
  expect(leaders).toHaveLength(1);
  return leaders[0]!;
}

describe('a peer that restarts with an empty log (ricci --rejoin)', () => {
  it('catches up from the leader’s log although the leader had seen it hold every entry', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    const leader = leaderOf(world);
    for (const data of ['a', 'b', 'c']) world.propose(leader, data);
    world.tick(4);
    expect(world.appStates.get('n3')).toBe('a;b;c;');
    rejoin(world, 'n3');
    expect(world.node('n3').status()).toMatchObject({ lastIndex: 0, commit: 0, incarnation: 2 });
    world.tick(4);
    const leaderStatus = world.node(leader).status();
    expect(world.node('n3').status()).toMatchObject({
      leader,
      commit: leaderStatus.commit,
      lastIndex: leaderStatus.lastIndex,
    });
    for (let index = 1; index <= leaderStatus.lastIndex; index++) {
      expect(world.node('n3').entryAt(index)).toEqual(world.node(leader).entryAt(index));
    }
    expect(world.appStates.get('n3')).toBe('a;b;c;');
  });

  it('catches up from the leader’s snapshot when the log it needs is compacted away', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.compactEvery = 2;
    world.tick(20);
    const leader = leaderOf(world);
    for (const data of ['a', 'b', 'c', 'd']) world.propose(leader, data);
    world.tick(4);
    expect(world.node(leader).status().snapshotIndex).toBeGreaterThan(1);
    rejoin(world, 'n3');
    world.tick(4);
    const leaderStatus = world.node(leader).status();
    expect(world.node('n3').status()).toMatchObject({
      commit: leaderStatus.commit,
      lastIndex: leaderStatus.lastIndex,
    });
    expect(world.node('n3').status().snapshotIndex).toBeGreaterThan(0);
    expect(world.appStates.get('n3')).toBe('a;b;c;d;');
  });

  it('no longer counts towards a commit with the entries its old incarnation acknowledged', () => {
    // Five voters (quorum 3): the leader and the node that rejoins cannot commit alone.
    const world = new World(['n1', 'n2', 'n3', 'n4', 'n5']);
    world.tick(20);
    const leader = leaderOf(world);
    expect(leader).toBe('n1');
    world.propose('n1', 'a');
    world.tick(2);
    const committed = world.node('n1').status().commit;
    expect(world.appStates.get('n1')).toBe('a;');
    // Only n3 receives `b`: n1 and n3 hold it, which is no quorum.
    for (const peer of ['n2', 'n4', 'n5']) world.cut.add(`n1>${peer}`);
    world.propose('n1', 'b');
    world.tick(1);
    const bIndex = world.node('n1').status().lastIndex;
    expect(world.node('n3').entryAt(bIndex)?.data).toBe('b');
    expect(world.node('n1').status().commit).toBe(committed);
    // n3 rejoins with an empty log and first answers a heartbeat as its new incarnation,
    // before the leader can send it anything (n1>n3 is cut).
    world.cut.add('n1>n3');
    rejoin(world, 'n3');
    const n3 = world.node('n3').status();
    world.input('n1', {
      type: 'append-response',
      from: 'n3',
      to: 'n1',
      term: n3.term,
      incarnation: n3.incarnation,
      success: false,
      matchIndex: 0,
      echoTick: 0,
      sentTick: 0,
    });
    // n2 now stores `b`: with n3's old acknowledgement that would be three holders, but only
    // n1 and n2 really hold it.
    world.cut.delete('n1>n2');
    world.tick(3);
    expect(world.node('n2').entryAt(bIndex)?.data).toBe('b');
    expect(world.node('n1').status()).toMatchObject({ role: 'leader', commit: committed });
    expect(world.appStates.get('n1')).toBe('a;');
    // Once n3 holds `b` again, it counts again.
    world.cut.delete('n1>n3');
    world.tick(5);
    expect(world.node('n1').status().commit).toBe(bIndex);
    expect(world.appStates.get('n3')).toBe('a;b;');
  });
});

describe('a peer whose storage lost acknowledged entries (no new incarnation)', () => {
  it('is fed again from what it still holds, without a message storm', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    const leader = leaderOf(world);
    const peer = world.ids.find((id) => id !== leader)!;
    for (const data of ['a', 'b', 'c']) world.propose(leader, data);
    world.tick(4);
    // A disk that acknowledged its writes and lost them: the node restarts with the incarnation
    // it had, so nothing tells the leader its old acknowledgements no longer hold.
    world.crash(peer);
    const hardState = world.disks.get(peer)!.hardState;
    world.disks.set(peer, {
      hardState: { ...hardState, commit: 0, incarnation: hardState.incarnation - 1 },
      snapshot: undefined,
      entries: [],
    });
    world.start(peer);
    expect(world.node(peer).status().incarnation).toBe(hardState.incarnation);
    world.tick(6);
    const leaderStatus = world.node(leader).status();
    expect(world.node(peer).status()).toMatchObject({
      commit: leaderStatus.commit,
      lastIndex: leaderStatus.lastIndex,
    });
    expect(world.appStates.get(peer)).toBe('a;b;c;');
  });
});
