import { describe, expect, it } from 'vitest';
import { confText, World } from './test-world.js';
import type { NodeId, Ready } from './types.js';

function isEmpty(ready: Ready): boolean {
  return (
    ready.persist.length === 0 &&
    ready.messages.length === 0 &&
    ready.snapshot === null &&
    ready.committed.length === 0 &&
    ready.configWrites.length === 0 &&
    ready.events.length === 0
  );
}

/** A world whose hosts ask `hasReady()` before every `ready()` and note each disagreement. */
class CheckedWorld extends World {
  readonly disagreements: string[] = [];
  checks = 0;

  override flush(id: NodeId): Ready {
    // The world's constructor flushes before this class's fields exist.
    const said = this.nodes.get(id)?.hasReady();
    const ready = super.flush(id);
    if (this.disagreements === undefined) return ready;
    this.checks++;
    if (said === isEmpty(ready)) {
      this.disagreements.push(`${id}: hasReady() ${said}, ready() ${JSON.stringify(ready)}`);
    }
    return ready;
  }
}

describe('hasReady', () => {
  it('says whether ready() has anything, through formation, commits, a restart, a snapshot and a config change', () => {
    const world = new CheckedWorld(['n1', 'n2', 'n3'], {}, false, { files: { n1: confText(1) } });
    world.compactEvery = 3;
    world.tick(40);
    const leader = world.ids.find((id) => world.node(id).status().role === 'leader') as NodeId;
    expect(leader).toBeDefined();
    for (let i = 0; i < 5; i++) world.propose(leader, `command-${i}`);
    world.tick(5);
    const follower = world.ids.find((id) => id !== leader) as NodeId;
    world.crash(follower);
    world.tick(10);
    for (let i = 5; i < 10; i++) world.propose(leader, `command-${i}`);
    world.start(follower);
    world.tick(40);
    world.node(leader).proposeConfig({ kind: 'file', text: confText(2) });
    world.flush(leader);
    world.tick(40);
    expect(world.node(follower).status()).toMatchObject({ configVersion: 2 });
    expect(world.checks).toBeGreaterThan(300);
    expect(world.disagreements).toEqual([]);
  });
});
