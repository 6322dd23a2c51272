import { describe, expect, it } from 'vitest';
import { NOT_QUORATE_MESSAGE, versionNotGreaterMessage } from './config-proposal.js';
import { confText, World } from './test-world.js';

function electedWorld(): World {
  const world = new World();
  world.tick(10);
  expect(world.node('n1').status().role).toBe('leader');
  return world;
}

describe('config versioning through the log', () => {
  it('commits a runnable file with a greater version and every node writes the exact text', () => {
    const world = electedWorld();
    const text = confText(2);
    const result = world.node('n1').proposeConfig({ kind: 'file', text });
    expect(result).toMatchObject({ accepted: true, version: 2 });
    world.flush('n1');
    world.tick(3);
    for (const id of world.ids) {
      expect(world.files.get(id)).toEqual([{ version: 2, text }]);
      expect(world.node(id).status().configVersion).toBe(2);
    }
  });

  it('refuses a version that is not greater with the ccs_tool message naming both versions', () => {
    const world = electedWorld();
    world.node('n1').proposeConfig({ kind: 'file', text: confText(5) });
    world.tick(3);
    const result = world
      .node('n1')
      .proposeConfig({ kind: 'file', text: confText(5, ['n1', 'n2', 'n4']) });
    expect(result).toEqual({
      accepted: false,
      rule: 'version-not-greater',
      message: versionNotGreaterMessage(5, 5),
    });
    expect(versionNotGreaterMessage(5, 4)).toBe(
      'Proposed updated config file does not have greater version number.\n' +
        '  Current config_version :: 5\n  Proposed config_version:: 4',
    );
  });

  it('orders against uncommitted proposals too, so two racing proposals cannot share a version', () => {
    const world = electedWorld();
    world.crash('n2');
    world.crash('n3');
    expect(world.node('n1').proposeConfig({ kind: 'file', text: confText(7) }).accepted).toBe(true);
    const second = world
      .node('n1')
      .proposeConfig({ kind: 'file', text: confText(7, ['n1', 'n2']) });
    expect(second).toMatchObject({ accepted: false, rule: 'version-not-greater' });
  });

  it('refuses any change while inquorate with the RHCS message', () => {
    const world = new World();
    const result = world.node('n2').proposeConfig({ kind: 'file', text: confText(2) });
    expect(result).toEqual({ accepted: false, rule: 'not-quorate', message: NOT_QUORATE_MESSAGE });
    expect(NOT_QUORATE_MESSAGE).toBe('Unable to honor update request. Cluster is not quorate.');
    const elected = electedWorld();
    elected.crash('n2');
    elected.crash('n3');
    elected.tick(10);
    const lonely = elected.node('n1').proposeConfig({ kind: 'file', text: confText(2) });
    expect(lonely).toMatchObject({ accepted: false, rule: 'not-quorate' });
  });

  it('sends a quorate follower to the leader and refuses files that are not runnable', () => {
    const world = electedWorld();
    expect(world.node('n2').proposeConfig({ kind: 'file', text: confText(2) })).toMatchObject({
      accepted: false,
      rule: 'not-leader',
      message: 'n2 is not the leader; propose the change at n1',
    });
    const broken = confText(2).replace('nodeid="2"', 'nodeid="1"');
    const result = world.node('n1').proposeConfig({ kind: 'file', text: broken });
    expect(result).toMatchObject({ accepted: false, rule: 'not-runnable' });
    expect(result.accepted ? '' : result.message).toContain(
      '/cluster/clusternodes/clusternode[2]/@nodeid',
    );
  });

  it('applies edits to the newest config, one version higher', () => {
    const world = electedWorld();
    world.node('n1').proposeConfig({ kind: 'file', text: confText(4) });
    const result = world.node('n1').proposeConfig({
      kind: 'edits',
      edits: [{ op: 'setClusterProperties', changes: { fenceDaemon: { postJoinDelayS: 20 } } }],
    });
    expect(result).toMatchObject({ accepted: true, version: 5 });
    world.flush('n1');
    world.tick(3);
    const newest = world.files.get('n3')!.at(-1)!;
    expect(newest.version).toBe(5);
    expect(newest.text).toContain('post_join_delay="20"');
    expect(newest.text).toContain('config_version="5"');
    expect(world.node('n3').status().configVersion).toBe(5);
  });
});

describe('config writes', () => {
  it('a restarted node writes only its newest committed version, never an older one', () => {
    const world = electedWorld();
    for (const version of [2, 3, 4]) {
      world.node('n1').proposeConfig({ kind: 'file', text: confText(version) });
      world.flush('n1');
      world.tick(2);
    }
    expect(world.files.get('n2')!.map((f) => f.version)).toEqual([2, 3, 4]);
    world.crash('n2');
    world.start('n2');
    expect(world.files.get('n2')).toEqual([{ version: 4, text: confText(4) }]);
  });
});

describe('snapshots and log compaction', () => {
  it('keeps the log bounded and brings a node that missed the compacted entries up to date', () => {
    const world = electedWorld();
    world.compactEvery = 8;
    world.crash('n3');
    for (let i = 0; i < 40; i++) {
      world.propose('n1', `c${i}`);
      world.tick(1);
    }
    world.node('n1').proposeConfig({ kind: 'file', text: confText(9) });
    world.tick(2);
    const leader = world.node('n1').status();
    expect(leader.lastIndex - leader.snapshotIndex).toBeLessThan(8);
    expect(world.disks.get('n1')!.entries.length).toBeLessThan(8);
    world.start('n3');
    world.tick(12);
    const follower = world.node('n3').status();
    expect(follower.commit).toBe(world.node('n1').status().commit);
    expect(follower.snapshotIndex).toBeGreaterThan(0);
    expect(world.appStates.get('n3')).toBe(world.appStates.get('n1'));
    expect(world.files.get('n3')).toEqual([{ version: 9, text: confText(9) }]);
  });

  it('restarts from its stored snapshot and emits the snapshot config as a write', () => {
    const world = electedWorld();
    world.compactEvery = 4;
    world.node('n1').proposeConfig({ kind: 'file', text: confText(3) });
    for (let i = 0; i < 10; i++) {
      world.propose('n1', `c${i}`);
      world.tick(1);
    }
    const before = world.appStates.get('n2');
    world.crash('n2');
    world.start('n2');
    expect(world.disks.get('n2')!.snapshot!.index).toBeGreaterThan(0);
    expect(world.appStates.get('n2')).toBe(before?.slice(0, world.appStates.get('n2')!.length));
    expect(world.files.get('n2')).toEqual([{ version: 3, text: confText(3) }]);
    expect(world.node('n2').status().configVersion).toBe(3);
  });
});
