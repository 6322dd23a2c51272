import { describe, expect, it } from 'vitest';
import { World } from './test-world.js';

describe('clean leave (cman_tool leave)', () => {
  it('a leaving follower is reported as left, not only lost, and then does nothing', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    expect(world.input('n3', { type: 'leave' })).toBe(true);
    world.tick(1);
    expect(world.eventsOf('n1', 'membership-changed').at(-1)).toMatchObject({
      members: ['n1', 'n2'],
      lost: ['n3'],
      left: ['n3'],
    });
    expect(world.node('n3').status()).toMatchObject({ left: true, quorate: false });
    expect(world.input('n3', { type: 'propose', data: 'x' })).toBe(false);
    // Its silence afterwards changes nothing: it stays left, and the others keep committing.
    world.tick(30);
    world.propose('n1', 'after');
    world.tick(4);
    expect(world.appStates.get('n2')).toBe('after;');
  });

  it('a leaving leader steps down at once and the others elect a successor without waiting', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    const term = world.node('n1').status().term;
    world.input('n1', { type: 'leave' });
    expect(world.node('n1').status()).toMatchObject({ role: 'follower', left: true });
    expect(world.eventsOf('n1', 'quorum-changed').at(-1)).toMatchObject({ quorate: false });
    // Within one token time (10 ticks) a new leader of a later term exists.
    world.tick(10);
    const leaders = ['n2', 'n3'].filter((id) => world.node(id).status().role === 'leader');
    expect(leaders).toHaveLength(1);
    expect(world.node(leaders[0]!).status().term).toBeGreaterThan(term);
    const changes = world.eventsOf('n2', 'membership-changed');
    expect(changes.filter((change) => change.left.length > 0).map((c) => c.left)).toEqual([['n1']]);
    expect(world.node('n2').status().members).toEqual(['n2', 'n3']);
  });

  it('a node that left and starts again is a member again', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    world.input('n3', { type: 'leave' });
    world.tick(2);
    world.crash('n3');
    world.start('n3');
    world.tick(5);
    expect(world.node('n1').status().members).toEqual(['n1', 'n2', 'n3']);
  });

  it('a follower that left and starts again is a member again for the other followers too', () => {
    // Found in the console's tests: the other follower hears nothing from it directly (a
    // follower talks only to its leader), so it must take the leader's word that it is back.
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(20);
    const leader = world.ids.find((id) => world.node(id).status().role === 'leader')!;
    const [follower, leaving] = world.ids.filter((id) => id !== leader) as [string, string];
    world.input(leaving, { type: 'leave' });
    world.tick(2);
    expect(world.node(follower).status().members).not.toContain(leaving);
    world.crash(leaving);
    world.start(leaving);
    world.tick(30);
    expect(world.node(leader).status().members).toContain(leaving);
    expect(world.node(follower).status().members).toContain(leaving);
  });
});
