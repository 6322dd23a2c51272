import { describe, expect, test } from 'vitest';
import { CONFIG_NO_QUORUM_MESSAGE } from './controller-desks.js';
import { testConf } from './test-confs.js';
import { ControllerWorld } from './test-world.js';

function started(): ControllerWorld {
  const world = new ControllerWorld(testConf());
  for (const id of world.ids) world.boot(id);
  world.tick(60);
  return world;
}

function follower(world: ControllerWorld): string {
  const leader = [...world.nodes.values()].find((c) => c.isLeaderReady());
  if (!leader) throw new Error('no leader');
  return world.ids.find((id) => id !== leader.id)!;
}

function configResult(world: ControllerWorld, id: string) {
  const found = world.events.find((e) => e.event.type === 'config-result' && e.event.id === id);
  return found ? { node: found.node, ...found.event } : undefined;
}

/** The test cluster.conf at `version`, with `n1` carrying `votes`. */
function confAt(version: number, votes = 1): string {
  return testConf()
    .replace(/config_version="\d+"/, `config_version="${version}"`)
    .replace('<clusternode name="n1"', `<clusternode name="n1" votes="${votes}"`);
}

describe('cluster.conf proposals on any node', () => {
  test('a file proposed on a follower is forwarded, committed and written on every node', () => {
    const world = started();
    const at = follower(world);
    world.step(at, { type: 'config-request', id: 'c1', text: confAt(2, 2) });
    world.tick(5);
    expect(configResult(world, 'c1')).toMatchObject({
      node: at,
      ok: true,
      version: 2,
      message: 'config_version 2 committed',
    });
    for (const id of world.ids) {
      expect(world.nodes.get(id)!.node.newestConfigText()).toContain('votes="2"');
    }
    expect(world.checkers.violations).toEqual([]);
  });

  test('a lost answer: the follower finds the file committed and says so; else try again', () => {
    // Found by the console's delete-node test: the leader committed a removal, its answer was
    // lost to a leadership hiccup, and the console reported "not removed".
    const world = started();
    const at = follower(world);
    world.lostTypes.add('rm-desk-result');
    world.step(at, { type: 'config-request', id: 'lost', text: confAt(2, 2) });
    world.step(at, { type: 'config-request', id: 'stale', text: confAt(1, 3) });
    world.tick(80);
    expect(configResult(world, 'lost')).toMatchObject({ node: at, ok: true, version: 2 });
    expect(configResult(world, 'stale')).toMatchObject({ node: at, ok: false, rule: 'try-again' });
  });

  test("the leader's refusal reaches the follower with its rule, and nothing changes", () => {
    const world = started();
    const at = follower(world);
    world.step(at, { type: 'config-request', id: 'stale', text: confAt(1, 3) });
    world.tick(5);
    expect(configResult(world, 'stale')).toMatchObject({
      node: at,
      ok: false,
      rule: 'version-not-greater',
      message: expect.stringMatching(/config_version/),
    });
    for (const id of world.ids) {
      expect(world.nodes.get(id)!.node.newestConfigText()).not.toContain('votes="3"');
    }
  });

  test('a proposal on a node without a quorate leader is refused at once', () => {
    const world = started();
    world.fences.setKind('pdu', 'failing');
    world.isolate('n3');
    world.tick(40);
    world.step('n3', { type: 'config-request', id: 'q', text: confAt(2, 2) });
    expect(configResult(world, 'q')).toMatchObject({
      ok: false,
      rule: 'not-quorate',
      message: CONFIG_NO_QUORUM_MESSAGE,
    });
  });
});
