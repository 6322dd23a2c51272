import { describe, expect, it } from 'vitest';
import { confText, World } from './test-world.js';
import type { NodeId } from './types.js';

function isolate(world: World, id: NodeId): void {
  for (const other of world.ids) {
    world.cut.add(`${id}>${other}`);
    world.cut.add(`${other}>${id}`);
  }
}

function elected(ids = ['n1', 'n2', 'n3'], votes: Record<string, number> = {}): World {
  const world = new World(ids, votes);
  world.tick(10);
  expect(world.node('n1').status().role).toBe('leader');
  return world;
}

describe('joint consensus for changes of the voting set', () => {
  it('adds a node while another is down, needing the old and the new quorum until committed', () => {
    const world = elected();
    world.crash('n3');
    world.addHost('n4');
    expect(world.node('n4').status().voter).toBe(false);
    isolate(world, 'n4');
    const added = world.node('n1').proposeConfig({
      kind: 'file',
      text: confText(2, ['n1', 'n2', 'n3', 'n4']),
    });
    expect(added).toMatchObject({ accepted: true, version: 2 });
    world.flush('n1');
    world.tick(5);
    // n1 and n2 are a quorum of the old set, but only 2 of the 4 votes of the new one.
    expect(world.node('n1').status()).toMatchObject({ joint: true, configVersion: 0 });
    expect(world.node('n1').status().commit).toBeLessThan(added.accepted ? added.index : 0);
    const next = world.node('n1').proposeConfig({ kind: 'file', text: confText(3) });
    expect(next).toMatchObject({ accepted: false, rule: 'change-in-progress' });
    world.cut.clear();
    world.tick(5);
    for (const id of ['n1', 'n2', 'n4']) {
      expect(world.node(id).status()).toMatchObject({
        joint: false,
        voter: true,
        configVersion: 2,
      });
    }
    // Removing the absent n3 needs n1, n2, n4: three of the four old votes.
    const removed = world.node('n1').proposeConfig({
      kind: 'file',
      text: confText(4, ['n1', 'n2', 'n4']),
    });
    expect(removed.accepted).toBe(true);
    world.flush('n1');
    world.tick(5);
    expect(world.node('n4').status()).toMatchObject({ configVersion: 4, joint: false });
    // Now n1 and n4 alone are a quorum (2 of 3): n2 may fail as well.
    world.crash('n2');
    world.propose('n1', 'after-removal');
    world.tick(5);
    expect(world.node('n4').status().commit).toBe(world.node('n1').status().lastIndex);
  });

  it('a heavy node added cannot outvote the old configuration while the change is joint', () => {
    const world = elected();
    world.addHost('n4');
    const text = confText(2, ['n1', 'n2', 'n3', 'n4'], { n4: 3 });
    // n1 (1 vote) and n4 (3 votes) make 4 of the new 6 votes, a new quorum, but 1 of 3 old.
    isolate(world, 'n2');
    isolate(world, 'n3');
    const result = world.node('n1').proposeConfig({ kind: 'file', text });
    expect(result.accepted).toBe(true);
    world.flush('n1');
    world.tick(3);
    expect(world.node('n1').status().commit).toBeLessThan(result.accepted ? result.index : 0);
    world.cut.clear();
    world.tick(5);
    expect(world.node('n4').status()).toMatchObject({
      configVersion: 2,
      voter: true,
      joint: false,
    });
    // Once committed the heavy node counts: n1 and n4 hold 4 of 6 votes without n2 and n3.
    isolate(world, 'n2');
    isolate(world, 'n3');
    world.propose('n1', 'heavy');
    world.tick(3);
    expect(world.node('n4').status().commit).toBe(world.node('n1').status().lastIndex);
  });

  it('a leader that removes itself steps down once the change commits; the rest elect', () => {
    const world = elected();
    const result = world
      .node('n1')
      .proposeConfig({ kind: 'file', text: confText(2, ['n2', 'n3']) });
    expect(result.accepted).toBe(true);
    world.flush('n1');
    world.tick(2);
    expect(world.node('n1').status()).toMatchObject({ role: 'follower', voter: false });
    world.tick(30);
    const leaders = ['n2', 'n3'].filter((id) => world.node(id).status().role === 'leader');
    expect(leaders).toHaveLength(1);
    expect(world.node('n1').status().role).toBe('follower');
  });

  it('drops back to the old voting set when an uncommitted change is overwritten', () => {
    const world = elected();
    isolate(world, 'n2');
    isolate(world, 'n3');
    world.node('n1').proposeConfig({ kind: 'file', text: confText(2, ['n1', 'n2']) });
    world.flush('n1');
    expect(world.node('n1').status().joint).toBe(true);
    world.crash('n1');
    world.cut.clear();
    world.tick(30);
    const leader = ['n2', 'n3'].find((id) => world.node(id).status().role === 'leader')!;
    world.start('n1');
    world.tick(5);
    expect(world.node('n1').status()).toMatchObject({ joint: false, leader, configVersion: 0 });
    expect(world.node('n1').status().voter).toBe(true);
  });
});
