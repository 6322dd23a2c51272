import type { WireControllerMessage } from '@quorate/protocol';
import { describe, expect, test } from 'vitest';
import { parseCommand } from './replicated-state.js';
import { testConf } from './test-confs.js';
import { ControllerWorld } from './test-world.js';
import type { ControllerMessage } from './types.js';

function started(world = new ControllerWorld(testConf())): ControllerWorld {
  for (const id of world.ids) world.boot(id);
  world.tick(60);
  return world;
}

function leaderOf(world: ControllerWorld): string {
  const leader = [...world.nodes.values()].find((c) => c.isLeaderReady());
  if (!leader) throw new Error('no leader');
  return leader.id;
}

describe('ServiceController', () => {
  test('the start is committed (owner n2, starting) before any agent starts a resource', () => {
    const world = new ControllerWorld(testConf({ prefer: 'n2' }));
    for (const id of world.ids) world.boot(id);
    let committedAt: number | undefined;
    let firstStartAt: number | undefined;
    for (let t = 0; t < 60; t++) {
      world.tick();
      const s = world.observer.state.rm.services['service:svc1'];
      if (committedAt === undefined && s?.state === 'starting') committedAt = world.now;
      if (firstStartAt === undefined && world.agents.runningOn('n2').length > 0)
        firstStartAt = world.now;
    }
    expect(committedAt).toBeDefined();
    expect(firstStartAt).toBeGreaterThan(committedAt!);
    expect(world.observer.state.rm.services['service:svc1']).toMatchObject({
      state: 'started',
      owner: 'n2',
    });
    expect(world.checkers.violations).toEqual([]);
  });

  test('every node rebuilds the same service state from the log', () => {
    const world = started();
    const states = [...world.nodes.values()].map((c) => JSON.stringify(c.state().rm));
    expect(new Set(states).size).toBe(1);
    expect(states[0]).toBe(JSON.stringify(world.observer.state.rm));
  });

  test('a committed command that does not parse is an error event on every node, not a crash', () => {
    const world = started();
    const leader = world.nodes.get(leaderOf(world))!;
    const before = JSON.stringify(leader.state().rm);
    leader.node.step({ type: 'propose', data: '{"v":2,"type":"services","atMs":0,"records":[]}' });
    world.flush(leader.id);
    world.tick(5);
    const errors = world.events.filter((e) => e.event.type === 'command-error');
    expect(errors.map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(errors[0]?.event).toMatchObject({ message: expect.stringMatching(/^v: /) });
    expect(JSON.stringify(leader.state().rm)).toBe(before);
  });

  test('commands are validated field by field', () => {
    expect(parseCommand('not json')).toBe('command: not JSON');
    expect(parseCommand('{"v":1,"type":"node-lost","atMs":5,"node":"n1"}')).toMatch(
      /^incarnation: /,
    );
    expect(parseCommand('{"v":1,"type":"probed","atMs":5,"node":"n1","incarnation":2}')).toEqual({
      v: 1,
      type: 'probed',
      atMs: 5,
      node: 'n1',
      incarnation: 2,
    });
  });

  test('a node restored from a snapshot has the same service state (appState)', () => {
    const world = started();
    const n3 = world.nodes.get('n3')!;
    expect(n3.node.compact(n3.appState())).toBe(true);
    world.flush('n3');
    world.restart('n3');
    world.tick(30);
    expect(JSON.stringify(world.nodes.get('n3')!.state().rm)).toBe(
      JSON.stringify(world.nodes.get('n1')!.state().rm),
    );
    expect(world.checkers.violations).toEqual([]);
  });

  test('a request on a node without a quorate leader fails with -9', () => {
    const world = started();
    // The fence fails, so n3 stays up, cut off from the others.
    world.fences.setKind('pdu', 'failing');
    world.isolate('n3');
    world.tick(40);
    world.step('n3', {
      type: 'rm-request',
      id: 'q',
      request: { kind: 'disable', service: 'service:svc1' },
    });
    expect(world.requestResult('q')).toMatchObject({
      code: -9,
      message: 'Operation requires quorum',
    });
  });

  test('fence_ack_manual is refused when no fence of that node is pending', () => {
    const world = started();
    world.kill('n3');
    world.tick(30);
    world.step('n1', { type: 'fence-ack', node: 'n3' });
    const refused = world.events.find((e) => e.event.type === 'fence-ack-refused');
    expect(refused?.event).toMatchObject({
      node: 'n3',
      reason: 'no fence operation is pending for n3',
    });
  });

  test('a relocation asked on a follower is forwarded and answered with the new owner', () => {
    const world = started(new ControllerWorld(testConf({ prefer: 'n2' })));
    world.step('n3', {
      type: 'rm-request',
      id: 'r',
      request: { kind: 'relocate', service: 'service:svc1', target: 'n3' },
    });
    world.tick(20);
    expect(world.requestResult('r')).toMatchObject({ code: 0, owner: 'n3' });
    expect(world.observer.state.rm.services['service:svc1']).toMatchObject({
      state: 'started',
      owner: 'n3',
    });
    expect(world.agents.nodesRunning('service:svc1')).toEqual(['n3']);
  });
});

// The wire schemas in @quorate/protocol accept exactly what the controller sends and consumes.
type Assignable<A, B> = [A] extends [B] ? true : false;
const sendsWhatTheWireAccepts: Assignable<ControllerMessage, WireControllerMessage> = true;
const consumesWhatTheWireAccepts: Assignable<WireControllerMessage, ControllerMessage> = true;

describe('controller message shapes', () => {
  test('match the protocol schemas both ways (checked at compile time)', () => {
    expect([sendsWhatTheWireAccepts, consumesWhatTheWireAccepts]).toEqual([true, true]);
  });
});

describe('status checks', () => {
  test("each resource at its agent's intervals, the deepest due depth when several are due", () => {
    // ip: depth 0 every 20 s, depth 10 every 60 s; the script here: depth 0 every 2 s.
    const world = started(new ControllerWorld(testConf({ prefer: 'n2' })));
    world.tick(1300);
    const ipChecks = world.agentOps.filter(
      (o) => o.op.action === 'status' && o.op.purpose === 'status' && o.op.type === 'ip',
    );
    // Depth 0 falls due every 200 ticks, depth 10 every 600: at 600 both are, and the deeper runs.
    expect(ipChecks.map((o) => o.op.depth)).toEqual([0, 0, 10, 0, 0, 10]);
    const gaps = ipChecks.slice(1).map((o, i) => o.tick - ipChecks[i]!.tick);
    expect(gaps.every((g) => g >= 199 && g <= 201)).toBe(true);
    const scriptChecks = world.agentOps.filter(
      (o) => o.op.purpose === 'status' && o.op.type === 'script',
    );
    expect(scriptChecks.length).toBeGreaterThan(50);
    expect(scriptChecks.every((o) => o.node === 'n2' && o.op.timeoutMs === 10_000)).toBe(true);
  });

  test('a frozen service is not checked', () => {
    const world = started(new ControllerWorld(testConf({ prefer: 'n2' })));
    world.step('n1', {
      type: 'rm-request',
      id: 'z',
      request: { kind: 'freeze', service: 'service:svc1' },
    });
    world.tick(5);
    const before = world.agentOps.length;
    world.tick(300);
    expect(world.agentOps.slice(before).filter((o) => o.op.purpose === 'status')).toEqual([]);
  });
});

describe('fence device monitoring', () => {
  test('the leader monitors each device every minute and reports a change of state', () => {
    const world = started();
    world.fences.setKind('pdu', 'failing');
    world.tick(650);
    world.fences.setKind('pdu', 'power');
    world.tick(600);
    const statuses = world.events
      .filter((e) => e.event.type === 'fence-device-status')
      .map((e) => ({ node: e.node, ...e.event }));
    expect(statuses).toEqual([
      { node: 'n1', type: 'fence-device-status', device: 'pdu', ok: false },
      { node: 'n1', type: 'fence-device-status', device: 'pdu', ok: true },
    ]);
    const monitors = world.fences.history.filter((op) => op.params.action === 'monitor');
    expect(monitors.length).toBe(2);
    expect(world.ids.every((id) => world.isUp(id))).toBe(true);
  });
});
