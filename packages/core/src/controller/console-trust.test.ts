import { describe, expect, test } from 'vitest';
import { consoleTrusted, NO_QUORUM_MESSAGE } from './console-trust.js';
import { parseCommand } from './replicated-state.js';
import { testConf } from './test-confs.js';
import { ControllerWorld } from './test-world.js';

const CONSOLE = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':');

function started(): ControllerWorld {
  const world = new ControllerWorld(testConf());
  for (const id of world.ids) world.boot(id);
  world.tick(60);
  return world;
}

function leaderOf(world: ControllerWorld): string {
  const leader = [...world.nodes.values()].find((c) => c.isLeaderReady());
  if (!leader) throw new Error('no leader');
  return leader.id;
}

function trustResult(world: ControllerWorld, id: string) {
  const found = world.events.find(
    (e) => e.event.type === 'console-trust-result' && e.event.id === id,
  );
  return found ? { node: found.node, ...found.event } : undefined;
}

function trustedOn(world: ControllerWorld): Record<string, string | undefined> {
  return Object.fromEntries(
    [...world.nodes].map(([id, c]) => [id, c.state().trustedConsoles[CONSOLE]?.label]),
  );
}

describe('trusted consoles in the replicated state', () => {
  test('a trust asked on a follower is forwarded, committed and applied on every node', () => {
    const world = started();
    const follower = world.ids.find((id) => id !== leaderOf(world))!;
    world.step(follower, {
      type: 'console-trust',
      id: 't1',
      change: { kind: 'trust', fingerprint: CONSOLE, label: '10.0.0.9' },
    });
    world.tick(5);
    expect(trustResult(world, 't1')).toMatchObject({
      node: follower,
      ok: true,
      message: 'trusted by the cluster',
    });
    expect(trustedOn(world)).toEqual({ n1: '10.0.0.9', n2: '10.0.0.9', n3: '10.0.0.9' });
    const changed = world.events.filter((e) => e.event.type === 'console-trust-changed');
    expect(changed.map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(world.checkers.violations).toEqual([]);
  });

  test('a revocation removes it everywhere and voids the pins nodes made before it', () => {
    const world = started();
    const leader = leaderOf(world);
    world.step(leader, {
      type: 'console-trust',
      id: 't',
      change: { kind: 'trust', fingerprint: CONSOLE, label: 'luci' },
    });
    world.tick(3);
    const pinnedAt = world.nodes.get('n2')!.state().applied;
    world.step('n3', {
      type: 'console-trust',
      id: 'r',
      change: { kind: 'revoke', fingerprint: CONSOLE },
    });
    world.tick(5);
    expect(trustResult(world, 'r')).toMatchObject({ ok: true, message: 'revoked by the cluster' });
    expect(trustedOn(world)).toEqual({ n1: undefined, n2: undefined, n3: undefined });
    const state = world.nodes.get('n2')!.state();
    expect(consoleTrusted(state, CONSOLE, null)).toBe(false);
    expect(consoleTrusted(state, CONSOLE, pinnedAt)).toBe(false);
    // A pin made after the revocation (a password hello while no quorum) still counts.
    expect(consoleTrusted(state, CONSOLE, state.applied)).toBe(true);
    const changes = world.events
      .filter((e) => e.node === 'n2' && e.event.type === 'console-trust-changed')
      .map((e) => e.event);
    expect(changes).toEqual([
      { type: 'console-trust-changed', fingerprint: CONSOLE, trusted: true },
      { type: 'console-trust-changed', fingerprint: CONSOLE, trusted: false },
    ]);
  });

  test('a node that was down catches up from a snapshot that carries the trust', () => {
    const world = started();
    const leader = leaderOf(world);
    const down = world.ids.find((id) => id !== leader)!;
    world.kill(down);
    // The survivors fence it before it comes back.
    world.tick(60);
    expect(world.fences.history.some((op) => op.victim === down)).toBe(true);
    world.step(leader, {
      type: 'console-trust',
      id: 't',
      change: { kind: 'trust', fingerprint: CONSOLE, label: 'luci' },
    });
    world.tick(5);
    expect(trustResult(world, 't')).toMatchObject({ ok: true });
    const trustIndex = world.nodes.get(leader)!.state().trustedConsoles[CONSOLE]!.index;
    for (const [, c] of world.nodes) expect(c.node.compact(c.appState())).toBe(true);
    for (const id of world.nodes.keys()) world.flush(id);
    expect(world.nodes.get(leader)!.node.status().snapshotIndex).toBeGreaterThanOrEqual(trustIndex);
    // Its log ends before the trust, which the leader's log no longer holds.
    world.boot(down);
    world.tick(30);
    expect(world.nodes.get(down)!.state().trustedConsoles[CONSOLE]).toMatchObject({
      label: 'luci',
      index: trustIndex,
    });
    // The host hears of it as of an applied entry.
    const heard = world.events.filter(
      (e) => e.node === down && e.event.type === 'console-trust-changed',
    );
    expect(heard.map((e) => e.event)).toEqual([
      { type: 'console-trust-changed', fingerprint: CONSOLE, trusted: true },
    ]);
  });

  test('a change on a node without a quorate leader is refused with a clear result', () => {
    const world = started();
    world.fences.setKind('pdu', 'failing');
    world.isolate('n3');
    world.tick(40);
    world.step('n3', {
      type: 'console-trust',
      id: 'q',
      change: { kind: 'trust', fingerprint: CONSOLE, label: 'luci' },
    });
    expect(trustResult(world, 'q')).toMatchObject({ ok: false, message: NO_QUORUM_MESSAGE });
    expect(world.nodes.get('n3')!.state().trustedConsoles).toEqual({});
  });

  test('trust commands are validated field by field', () => {
    expect(
      parseCommand('{"v":1,"type":"console-trusted","atMs":5,"fingerprint":"ab","label":"x"}'),
    ).toMatch(/^fingerprint: a fingerprint is 32 upper-case hex bytes/);
    expect(
      parseCommand(
        `{"v":1,"type":"console-trusted","atMs":5,"fingerprint":"${CONSOLE}","label":""}`,
      ),
    ).toMatch(/^label: /);
  });
});
