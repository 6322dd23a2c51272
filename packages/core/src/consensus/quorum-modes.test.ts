import { describe, expect, it } from 'vitest';
import { confText, World } from './test-world.js';
import type { NodeId } from './types.js';

function leaders(world: World): NodeId[] {
  return world.ids.filter((id) => !world.down.has(id) && world.node(id).status().role === 'leader');
}

describe('wait_for_all', () => {
  it('a cold cluster elects nobody until every node has been seen once', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, true);
    world.crash('n3');
    world.tick(60);
    expect(leaders(world)).toEqual([]);
    expect(world.node('n1').status()).toMatchObject({ waitingForAll: true, quorate: false });
    world.start('n3');
    world.tick(30);
    expect(leaders(world)).toHaveLength(1);
    expect(world.node('n1').status().waitingForAll).toBe(false);
  });

  it('without wait_for_all two of three elect at once', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.crash('n3');
    world.tick(20);
    expect(leaders(world)).toEqual(['n1']);
  });

  it('a node restarting into a formed cluster does not wait for the absent node', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, true);
    world.tick(30);
    world.propose(leaders(world)[0]!, 'formed');
    world.tick(3);
    world.crash('n3');
    world.crash('n2');
    world.start('n2');
    expect(world.node('n2').status().waitingForAll).toBe(false);
    world.tick(30);
    expect(leaders(world)).toHaveLength(1);
  });
});

describe('cman_tool expected -e N while quorate', () => {
  it('is a committed change of the voting set: raising expected votes raises the quorum', () => {
    const world = new World(['n1', 'n2', 'n3']);
    world.tick(10);
    world.node('n1').proposeConfig({ kind: 'file', text: confText(2) });
    world.flush('n1');
    world.tick(3);
    const result = world.node('n1').proposeConfig({
      kind: 'edits',
      edits: [{ op: 'setClusterProperties', changes: { cman: { expectedVotes: 5 } } }],
    });
    expect(result).toMatchObject({ accepted: true, version: 3 });
    world.flush('n1');
    world.tick(3);
    expect(world.node('n2').status()).toMatchObject({ configVersion: 3, joint: false });
    // floor(max(5, 3) / 2) + 1 = 3: with n3 gone, n1 and n2 no longer commit anything.
    world.crash('n3');
    const before = world.node('n1').status().commit;
    world.propose('n1', 'needs-three');
    world.tick(3);
    expect(world.node('n1').status().commit).toBe(before);
  });
});
