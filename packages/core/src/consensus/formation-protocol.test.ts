import { describe, expect, it } from 'vitest';
import { confText, World } from './test-world.js';

/** The same version with other text: a hand-edited copy of the same cluster.conf. */
function otherText(version: number): string {
  return confText(version).replace('name="alpha"', 'name="beta"');
}

function versionsWritten(world: World, id: string): number[] {
  return (world.files.get(id) ?? []).map((file) => file.version);
}

describe('formation through the protocol', () => {
  it('the first leader commits the highest-versioned file offered; nodes without one receive it', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, false, {
      files: { n1: confText(3), n3: confText(5) },
    });
    world.tick(20);
    for (const id of ['n1', 'n2', 'n3']) {
      expect(world.node(id).status().configVersion).toBe(5);
      expect(world.files.get(id)?.at(-1)).toEqual({ version: 5, text: confText(5) });
    }
  });

  it('a file present on one host only reaches the hosts that start with names and peers alone', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, true, { files: { n3: confText(2) } });
    world.tick(30);
    expect(versionsWritten(world, 'n1')).toEqual([2]);
    expect(versionsWritten(world, 'n2')).toEqual([2]);
    expect(world.node('n1').status()).toMatchObject({ quorate: true, configVersion: 2 });
  });

  it('a file offered only after two nodes without one elected a leader is still committed', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, false, { files: { n1: confText(3) } });
    // n1 is powered off at first: n2 and n3, holding no file, form a quorum and elect.
    world.crash('n1');
    world.disks.delete('n1');
    world.tick(30);
    const leader = world.ids.find((id) => world.node(id).status().role === 'leader');
    expect(leader === 'n2' || leader === 'n3').toBe(true);
    expect(world.node(leader!).status()).toMatchObject({ quorate: true, configVersion: 0 });
    // n1 joins as a follower through the leader's appends, never by an election.
    world.start('n1');
    world.tick(5);
    expect(world.node('n1').status().leader).toBe(leader);
    for (const id of ['n1', 'n2', 'n3']) {
      expect(world.node(id).status().configVersion).toBe(3);
      expect(world.files.get(id)).toEqual([{ version: 3, text: confText(3) }]);
    }
  });

  it('a late node whose same-version file differs from the one formed on is refused', () => {
    const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const formedOn = confText(4, ids);
    const handEdited = formedOn.replace('name="alpha"', 'name="beta"');
    const world = new World(ids, {}, false, { files: { n4: formedOn, n5: handEdited } });
    for (const id of ['n4', 'n5']) {
      world.crash(id);
      world.disks.delete(id);
    }
    world.tick(30);
    world.start('n4');
    world.tick(5);
    world.start('n5');
    world.tick(5);
    expect(world.ids.map((id) => world.node(id).status().configVersion)).toEqual([4, 4, 4, 4, 0]);
    const message =
      "n5 holds a cluster.conf with config_version 4 whose text differs from the cluster's committed version 4; it is not merged: move it aside to receive the committed file, or propose it with a greater version";
    expect(world.eventsOf('n5', 'join-refused')).toEqual([{ type: 'join-refused', message }]);
    expect(world.ownFiles.get('n5')).toBe(handEdited);
  });

  it('two different files with one version stop formation with a message naming the nodes', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, true, {
      files: { n1: confText(4), n2: otherText(4), n3: confText(4) },
    });
    world.tick(30);
    const leader = world.ids.find((id) => world.node(id).status().role === 'leader')!;
    const message =
      'formation stopped: two different cluster.conf files carry config_version 4: n1 and n3 hold one, n2 holds another; correct one of them';
    expect(world.eventsOf(leader, 'formation-stopped')).toEqual([
      { type: 'formation-stopped', message },
    ]);
    expect(world.node(leader).status().formationStopped).toBe(message);
    expect(world.ids.map((id) => world.node(id).status().configVersion)).toEqual([0, 0, 0]);
  });

  it('a returning node whose own file is newer is refused, not merged, and keeps its file', () => {
    const world = new World(['n1', 'n2', 'n3'], {}, false, {
      files: { n1: confText(2), n2: confText(2), n3: confText(2) },
    });
    world.tick(20);
    world.crash('n3');
    world.ownFiles.set('n3', confText(7));
    world.start('n3');
    world.tick(10);
    const message =
      "n3 holds cluster.conf config_version 7, newer than the cluster's committed version 2; it is not merged: propose it as an update or move it aside";
    expect(world.eventsOf('n3', 'join-refused')).toEqual([{ type: 'join-refused', message }]);
    expect(world.node('n3').status()).toMatchObject({ joinRefused: message, quorate: false });
    expect(world.files.get('n3')).toEqual([]);
    expect(world.ownFiles.get('n3')).toBe(confText(7));
    // A refused node takes no further part; the others carry on without it.
    expect(world.input('n3', { type: 'propose', data: 'x' })).toBe(false);
    expect(world.node('n1').status().configVersion).toBe(2);
  });
});
