import type { AgentOp } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';
import { Prng } from './prng.js';
import { OCF_ERR_GENERIC, OCF_NOT_RUNNING, OCF_SUCCESS, SimResourceAgents } from './sim-agents.js';

const op = (action: AgentOp['action'], resource = 'script:app'): AgentOp => ({
  opId: `${action}-${resource}`,
  service: 'service:web',
  resource,
  type: resource.split(':')[0]!,
  action,
  depth: 0,
  timeoutMs: 5000,
  params: {},
  purpose: 'transition',
});

function world(seed = 7) {
  console.log(`sim-agents test seed ${seed}`);
  const queue = new EventQueue();
  const started: string[] = [];
  const agents = new SimResourceAgents(queue, new Prng(seed), (node, key) =>
    started.push(`${node}:${key}`),
  );
  return { queue, agents, started };
}

describe('simulated resource agents', () => {
  it('runs a resource from a successful start until a successful stop', () => {
    const { queue, agents, started } = world();
    const codes: number[] = [];
    agents.run('n1', op('start'), (code) => codes.push(code));
    queue.runUntil(1000);
    expect(agents.runningOn('n1')).toEqual(['service:web/script:app']);
    expect(started).toEqual(['n1:service:web/script:app']);
    agents.run('n1', op('status'), (code) => codes.push(code));
    agents.run('n1', op('stop'), (code) => codes.push(code));
    queue.runUntil(2000);
    agents.run('n1', op('status'), (code) => codes.push(code));
    queue.runUntil(3000);
    expect(codes[0]).toBe(OCF_SUCCESS);
    expect(codes.at(-1)).toBe(OCF_NOT_RUNNING);
    expect(agents.hostsRunningService('service:web')).toEqual([]);
  });

  it('hangs until the timeout and fails, changing nothing; heal() ends hung operations at once', () => {
    const { queue, agents } = world();
    agents.rates = { failRate: 0, hangRate: 1 };
    const codes: number[] = [];
    agents.run('n1', op('start'), (code) => codes.push(code));
    queue.runUntil(4999);
    expect(codes).toEqual([]);
    queue.runUntil(5000);
    expect(codes).toEqual([OCF_ERR_GENERIC]);
    expect(agents.runningOn('n1')).toEqual([]);
    agents.run('n1', op('stop'), (code) => codes.push(code));
    agents.heal();
    queue.runUntil(5010);
    expect(codes).toEqual([OCF_ERR_GENERIC, OCF_ERR_GENERIC]);
  });

  it('keeps resources running when the agent process dies, stops them on power loss', () => {
    const { queue, agents } = world();
    agents.run('n1', op('start'), () => {});
    queue.runUntil(1000);
    const codes: number[] = [];
    agents.run('n1', op('stop'), (code) => codes.push(code));
    agents.processDied('n1');
    queue.runUntil(2000);
    expect(codes).toEqual([]);
    expect(agents.runningOn('n1')).toEqual(['service:web/script:app']);
    agents.powerOff('n1');
    expect(agents.runningOn('n1')).toEqual([]);
  });
});
