import { describe, expect, test } from 'vitest';
import { parseClusterConf } from '../cluster-conf/read.js';
import { configChangeOperations } from './config-change.js';
import { placeAll } from './evaluate.js';
import {
  emptyResourceManagerState,
  type ResourceManagerState,
  type ServiceState,
  serviceState,
} from './model.js';
import { type AgentReport, applyReport } from './reports.js';
import { applyRequest } from './requests.js';
import { clusvcadmExitCode } from './result-codes.js';
import { readRmConfig } from './rm-config.js';

const xml = (services: string) =>
  `<cluster name="c" config_version="1"><clusternodes>` +
  `<clusternode name="node1" nodeid="1"/><clusternode name="node2" nodeid="2"/>` +
  `<clusternode name="node3" nodeid="3"/></clusternodes><rm><failoverdomains>` +
  `<failoverdomain name="only2" restricted="1"><failoverdomainnode name="node2"/></failoverdomain>` +
  `</failoverdomains>${services}</rm></cluster>`;

const conf = parseClusterConf(xml('<service name="web"/><service name="idle" autostart="0"/>'));
const config = readRmConfig(conf);
const members = ['node1', 'node2', 'node3'];

function started(id: string, owner: string, extra: Partial<ServiceState> = {}): ServiceState {
  return { ...serviceState(emptyResourceManagerState, id), state: 'started', owner, ...extra };
}

function stateWith(...services: ServiceState[]): ResourceManagerState {
  return { locked: false, services: Object.fromEntries(services.map((s) => [s.id, s])) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('requests', () => {
  const running = deepFreeze(stateWith(started('service:web', 'node1')));
  const input = { config, members, state: running, atMs: 5000 };

  test('without quorum nothing is decided (-9)', () => {
    const out = applyRequest(
      { ...input, quorate: false },
      { kind: 'disable', service: 'service:web' },
    );
    expect([out.code, out.message]).toEqual([-9, 'Operation requires quorum']);
    expect(out.state).toBe(running);
    expect(out.intents).toEqual([]);
  });

  test('an unknown service does not exist (-4)', () => {
    const out = applyRequest(input, { kind: 'enable', service: 'service:nope' });
    expect([out.code, out.message]).toEqual([-4, 'Service does not exist']);
  });

  test('a request never changes the state it was given', () => {
    const out = applyRequest(input, { kind: 'relocate', service: 'service:web' });
    expect(out.code).toBe(0);
    expect(serviceState(running, 'service:web').state).toBe('started');
    expect(serviceState(out.state, 'service:web')).toMatchObject({
      state: 'stopping',
      owner: 'node1',
      pending: { kind: 'relocate', node: 'node2' },
      lastTransitionMs: 5000,
    });
    expect(out.intents).toEqual([{ op: 'stop', service: 'service:web', node: 'node1' }]);
  });

  test('a service whose owner awaits fencing cannot be moved (-13)', () => {
    const out = applyRequest(
      { ...input, members: ['node2', 'node3'], awaitingFence: ['node1'] },
      { kind: 'relocate', service: 'service:web' },
    );
    expect(out.code).toBe(-13);
  });

  test('enable -m a node the domain forbids starts it where the rules allow', () => {
    const c = readRmConfig(parseClusterConf(xml('<service name="db" domain="only2"/>')));
    const out = applyRequest(
      { config: c, members, state: emptyResourceManagerState, atMs: 1 },
      { kind: 'enable', service: 'service:db', target: 'node3' },
    );
    expect([out.code, out.owner]).toEqual([0, 'node2']);
  });

  test('migrate is refused while locked', () => {
    const locked = { ...running, locked: true };
    const out = applyRequest(
      { ...input, state: locked },
      { kind: 'relocate', service: 'service:web', target: 'node2' },
    );
    expect(out.code).toBe(-1);
    expect(out.detail).toContain('locked');
  });

  test('lock survives in the state until unlocked', () => {
    const locked = applyRequest(input, { kind: 'lock' }).state;
    expect(applyRequest({ ...input, state: locked }, { kind: 'query-lock' }).detail).toBe(
      'Resource groups locked',
    );
    expect(placeAll({ ...input, state: locked, members: ['node2'] }).intents).toEqual([]);
    expect(applyRequest({ ...input, state: locked }, { kind: 'unlock' }).state.locked).toBe(false);
  });

  test('clusvcadm exit codes wrap negative results; "already running" exits 0', () => {
    expect([-1, -4, -9, -11, -15, -10, 0].map(clusvcadmExitCode)).toEqual([
      255, 252, 247, 245, 241, 0, 0,
    ]);
  });
});

describe('evaluation', () => {
  test('autostart="0" marks a never-started service disabled; others start', () => {
    const ev = placeAll({ config, members, state: emptyResourceManagerState, atMs: 7 });
    expect(serviceState(ev.state, 'service:idle').state).toBe('disabled');
    expect(ev.intents).toEqual([{ op: 'start', service: 'service:web', node: 'node1' }]);
  });

  test('a service on a lost node waits for its fencing before it moves', () => {
    const state = stateWith(started('service:web', 'node1'), {
      ...serviceState(emptyResourceManagerState, 'service:idle'),
      state: 'disabled',
    });
    const waiting = placeAll({
      config,
      members: ['node2', 'node3'],
      awaitingFence: ['node1'],
      state,
      atMs: 9,
    });
    expect(waiting.intents).toEqual([]);
    expect(waiting.decisions).toContainEqual({
      service: 'service:web',
      action: 'wait',
      node: undefined,
      reason: 'waiting for node1 to be fenced',
    });
    const fenced = placeAll({ config, members: ['node2', 'node3'], state, atMs: 9 });
    expect(fenced.intents).toEqual([{ op: 'start', service: 'service:web', node: 'node2' }]);
    expect(serviceState(fenced.state, 'service:web').lastOwner).toBe('node1');
  });
});

describe('reports', () => {
  const state = stateWith(started('service:web', 'node1'));
  const input = { config, members, state, atMs: 11 };

  test('a partial status marks [P]; convalesce restarts the failed part and clears it', () => {
    const report: AgentReport = {
      op: 'status',
      service: 'service:web',
      node: 'node1',
      ok: true,
      partial: true,
    };
    const partial = applyReport(input, report).state;
    expect(serviceState(partial, 'service:web').partial).toBe(true);
    const out = applyRequest(
      { ...input, state: partial },
      { kind: 'convalesce', service: 'service:web' },
    );
    expect(out.intents).toEqual([{ op: 'convalesce', service: 'service:web', node: 'node1' }]);
    const done = applyReport(
      { ...input, state: out.state },
      { op: 'convalesce', service: 'service:web', node: 'node1', ok: true },
    );
    expect(serviceState(done.state, 'service:web').partial).toBe(false);
  });

  test('a report from a node that no longer owns the service is ignored', () => {
    const out = applyReport(input, { op: 'stop', service: 'service:web', node: 'node2', ok: true });
    expect(out.state).toBe(state);
    expect(out.events).toEqual(['Ignoring a stale stop report for service:web from node2']);
  });
});

describe('config changes on running services', () => {
  test('a removed service that runs is stopped whole; a stopped one is not listed', () => {
    const before = parseClusterConf(
      xml('<service name="web"><ip address="10.0.0.1"/></service><service name="idle"/>'),
    );
    const after = parseClusterConf(xml(''));
    const ops = configChangeOperations(before, after, stateWith(started('service:web', 'node3')));
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ service: 'service:web', node: 'node3', change: 'removed' });
    expect(ops[0]!.stop.map((s) => `${s.type}:${s.primaryValue}`)).toEqual([
      'ip:10.0.0.1',
      'service:web',
    ]);
  });
});
