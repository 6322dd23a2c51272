import type { AgentOp, LogEntry, NodeId } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { ServiceChecker, type ServiceWorldView } from './service-checker.js';

const SVC = 'service:web';

/** A world the test steers by hand: which keys run where, which hosts a fabric fence cut. */
class FakeWorld implements ServiceWorldView {
  nowMs = 0;
  readonly running = new Map<NodeId, Set<string>>();
  readonly cut = new Set<NodeId>();
  now = () => this.nowMs;
  run(node: NodeId, key: string): void {
    const set = this.running.get(node) ?? new Set();
    set.add(key);
    this.running.set(node, set);
  }
  hostsRunning = (key: string) =>
    [...this.running].filter(([, set]) => set.has(key)).map(([node]) => node);
  hostsRunningService = (service: string) =>
    [...this.running]
      .filter(([, set]) => [...set].some((k) => k.startsWith(`${service}/`)))
      .map(([node]) => node);
  runningOn = (node: NodeId) => [...(this.running.get(node) ?? [])];
  isEffective = (node: NodeId) => !this.cut.has(node);
  describeHost = (node: NodeId) => `${node} (test)`;
}

function record(state: string, owner?: string) {
  return {
    id: SVC,
    state,
    ...(owner ? { owner } : {}),
    restartTimesMs: [],
    frozen: false,
    partial: false,
    lastTransitionMs: 0,
  };
}

function entry(index: number, term: number, state: string, owner?: string): LogEntry {
  const data = { v: 1, type: 'services', atMs: index, records: [record(state, owner)] };
  return { index, term, kind: 'command', data: JSON.stringify(data) };
}

const start: AgentOp = {
  opId: 'n1.1.1',
  service: SVC,
  resource: 'script:app',
  type: 'script',
  action: 'start',
  depth: 0,
  timeoutMs: 5000,
  params: {},
  purpose: 'transition',
};

function setup() {
  const world = new FakeWorld();
  const failures: string[] = [];
  const checker = new ServiceChecker(world, (m) => failures.push(m));
  return { world, failures, checker };
}

describe('service checker', () => {
  it('accepts a start the log assigned in the current term after the process started', () => {
    const { failures, checker, world } = setup();
    world.nowMs = 100;
    checker.applied([entry(1, 2, 'starting', 'n1')]);
    checker.agentOp('n1', start, {
      appliedIndex: 1,
      term: 2,
      incarnation: 1,
      startedMs: 50,
      localTick: 3,
    });
    expect(failures).toEqual([]);
  });

  it('flags rule 1: a start the log does not assign, or one replayed from before the restart', () => {
    const { failures, checker, world } = setup();
    world.nowMs = 100;
    checker.applied([entry(1, 2, 'starting', 'n2')]);
    checker.agentOp('n1', start, {
      appliedIndex: 1,
      term: 2,
      incarnation: 1,
      startedMs: 50,
      localTick: 3,
    });
    checker.agentOp('n2', start, {
      appliedIndex: 1,
      term: 2,
      incarnation: 1,
      startedMs: 150,
      localTick: 3,
    });
    checker.agentOp('n2', start, {
      appliedIndex: 1,
      term: 3,
      incarnation: 1,
      startedMs: 50,
      localTick: 3,
    });
    expect(failures).toHaveLength(3);
    expect(failures[0]).toMatch(/^rule 1: n1 starts script:app/);
  });

  it('flags rule 2 when a record leaves a node that still runs the service, not after a stop or a fabric fence', () => {
    const { failures, checker, world } = setup();
    checker.applied([entry(1, 1, 'started', 'n1')]);
    world.run('n1', `${SVC}/script:app`);
    checker.applied([entry(2, 1, 'starting', 'n2')]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^rule 2: service:web left n1/);
    checker.applied([entry(3, 1, 'started', 'n1')]);
    world.cut.add('n1');
    checker.applied([entry(4, 1, 'stopped')]);
    expect(failures).toHaveLength(1);
    world.cut.clear();
    world.running.clear();
    checker.applied([entry(5, 1, 'started', 'n3'), entry(6, 1, 'recovering')]);
    expect(failures).toHaveLength(1);
  });

  it('flags a resource running on two effective hosts at once', () => {
    const { failures, checker, world } = setup();
    world.run('n1', `${SVC}/ip:10.0.0.1`);
    world.run('n2', `${SVC}/ip:10.0.0.1`);
    world.cut.add('n1');
    checker.running('n2', `${SVC}/ip:10.0.0.1`);
    expect(failures).toEqual([]);
    world.cut.clear();
    checker.running('n2', `${SVC}/ip:10.0.0.1`);
    expect(failures[0]).toMatch(
      /^exclusive: service:web\/ip:10.0.0.1 started on n2 while it runs on n1/,
    );
  });

  it('flags rule 5 once the lease ran out with no stop asked since the node was last quorate', () => {
    const { failures, checker, world } = setup();
    world.run('n1', `${SVC}/script:app`);
    checker.inquorate('n1', 10, 20, 10, false);
    expect(failures).toEqual([]);
    const stop = { ...start, action: 'stop' as const, purpose: 'emergency-stop' as const };
    checker.agentOp('n1', stop, {
      appliedIndex: 0,
      term: 1,
      incarnation: 1,
      startedMs: 0,
      localTick: 5,
    });
    checker.agentDone('n1', stop, 0);
    checker.inquorate('n1', 10, 21, 10, false);
    expect(failures).toHaveLength(1);
    // A stop asked after it lost the cluster (even one that hangs) is all it can do.
    checker.agentOp('n1', stop, {
      appliedIndex: 0,
      term: 1,
      incarnation: 1,
      startedMs: 0,
      localTick: 12,
    });
    checker.inquorate('n1', 10, 40, 10, false);
    expect(failures).toHaveLength(1);
  });

  it('flags a snapshot whose service state differs from what the log produced', () => {
    const { failures, checker } = setup();
    checker.applied([entry(1, 1, 'started', 'n1')]);
    const good = checker.state();
    checker.snapshot('n2', { index: 1, term: 1, appState: JSON.stringify(good), config: null });
    expect(failures).toEqual([]);
    const bad = { ...good, applied: 7 };
    checker.snapshot('n2', { index: 1, term: 1, appState: JSON.stringify(bad), config: null });
    expect(failures[0]).toMatch(/snapshot at 1 whose service state differs/);
  });
});
