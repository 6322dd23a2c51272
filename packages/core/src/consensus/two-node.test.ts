import { describe, expect, it } from 'vitest';
import { World } from './test-world.js';
import { parseFenceEntry } from './two-node.js';
import type { NodeId } from './types.js';

function leaders(world: World): NodeId[] {
  return world.ids.filter((id) => !world.down.has(id) && world.node(id).status().role === 'leader');
}

/** A formed two_node cluster: n1 leads term 1 and n1, n2 committed `before`. */
function formedPair(): World {
  const world = new World(['n1', 'n2'], {}, true, { twoNode: true });
  world.tick(20);
  world.propose('n1', 'before');
  world.tick(3);
  expect(world.node('n2').status()).toMatchObject({ leader: 'n1', commit: 2 });
  return world;
}

/** The entries of `id`'s log in `term`, oldest first. */
function termEntries(world: World, id: NodeId, term: number) {
  const node = world.node(id);
  const entries = [];
  for (let i = 1; i <= node.status().lastIndex; i++) {
    const entry = node.entryAt(i);
    if (entry?.term === term) entries.push(entry);
  }
  return entries;
}

describe('two_node', () => {
  it('commits need both nodes while both are members', () => {
    const world = formedPair();
    world.crash('n2');
    world.propose('n1', 'needs-both');
    world.tick(3);
    expect(world.node('n1').status().commit).toBe(2);
  });

  it('a lone node asks to fence its peer, then leads alone with the fence as its first entry', () => {
    const world = formedPair();
    world.crash('n1');
    world.tick(30);
    expect(leaders(world)).toEqual([]);
    const incarnation = world.node('n2').status().fenceNeeded?.incarnation;
    expect(world.node('n2').status().fenceNeeded).toEqual({ node: 'n1', incarnation: 1 });
    expect(world.input('n2', { type: 'fence-confirmed', node: 'n1', incarnation: 1 })).toBe(true);
    const status = world.node('n2').status();
    expect(status).toMatchObject({ role: 'leader', quorate: true, fenceNeeded: null });
    const first = termEntries(world, 'n2', status.term)[0]!;
    expect(first.kind).toBe('fence');
    expect(parseFenceEntry(first.data)).toEqual({ node: 'n1', incarnation, by: 'n2' });
    // Its own vote commits the fence entry and what follows.
    world.propose('n2', 'alone');
    expect(world.node('n2').status().commit).toBe(status.lastIndex + 1);
    expect(world.eventsOf('n2', 'quorum-changed').at(-1)).toMatchObject({ votes: 1, quorum: 1 });
  });

  it('a fence of an older incarnation does not count', () => {
    const world = formedPair();
    world.crash('n2');
    world.start('n2');
    world.tick(2);
    world.crash('n2');
    world.tick(30);
    expect(world.node('n1').status().fenceNeeded).toEqual({ node: 'n2', incarnation: 2 });
    expect(world.input('n1', { type: 'fence-confirmed', node: 'n2', incarnation: 1 })).toBe(false);
    expect(world.node('n1').status()).toMatchObject({
      role: 'pre-candidate',
      fenceNeeded: { node: 'n2', incarnation: 2 },
    });
  });

  it('a fenced node that returns waits for its peer; the lone leader steps down and both vote', () => {
    const world = formedPair();
    world.crash('n1');
    world.tick(30);
    world.input('n2', { type: 'fence-confirmed', node: 'n1', incarnation: 1 });
    const loneTerm = world.node('n2').status().term;
    world.propose('n2', 'alone');
    // n1 returns cut off from n2: it neither leads nor asks to fence n2.
    world.cut.add('n1>n2').add('n2>n1');
    world.start('n1');
    world.tick(40);
    expect(world.node('n1').status()).toMatchObject({
      role: 'pre-candidate',
      waitingForAll: true,
      fenceNeeded: null,
    });
    world.cut.clear();
    world.tick(40);
    const [leader, ...others] = leaders(world);
    expect(others).toEqual([]);
    const status = world.node(leader!).status();
    expect(status.term).toBeGreaterThan(loneTerm);
    // A term elected by both votes starts with a no-op; both logs hold what n2 did alone.
    expect(termEntries(world, leader!, status.term)[0]?.kind).toBe('noop');
    expect(world.node('n1').status()).toMatchObject({ commit: status.commit });
    expect(world.appStates.get('n1')).toBe('before;alone;');
    expect(world.appStates.get('n2')).toBe('before;alone;');
  });

  it('a node restarted without hearing an election since cannot take over, even when its peer dies', () => {
    const world = formedPair();
    world.crash('n1');
    world.start('n1');
    world.crash('n2');
    world.tick(60);
    // n1 heard n2's appends before, but not since it restarted: waiting, no fence request.
    expect(world.node('n1').status()).toMatchObject({ waitingForAll: true, fenceNeeded: null });
  });
});

describe('two_node and a clean leave', () => {
  it('a peer that left cleanly needs no fence: the survivor leads alone after the leave', () => {
    const world = formedPair();
    world.input('n1', { type: 'leave' });
    world.tick(40);
    const status = world.node('n2').status();
    expect(status).toMatchObject({ role: 'leader', quorate: true, fenceNeeded: null });
    const first = termEntries(world, 'n2', status.term)[0]!;
    expect(parseFenceEntry(first.data)).toEqual({ node: 'n1', incarnation: 1, by: 'n2' });
  });
});
