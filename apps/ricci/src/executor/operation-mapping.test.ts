import type { AgentOp, FenceOp } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { fenceInputPairs } from '../agent-runner/fence-input.js';
import { ocfOutcomeOfCode } from '../agent-runner/ocf-outcome.js';
import {
  agentActionOf,
  controllerCodeOf,
  failedRunCode,
  fenceOperationOf,
  resourceOperationOf,
} from './operation-mapping.js';

describe('controllerCodeOf', () => {
  it('passes OCF codes through and makes every other ending a failure', () => {
    expect([0, 1, 6, 7].map((code) => controllerCodeOf(ocfOutcomeOfCode(code)))).toEqual([
      0, 1, 6, 7,
    ]);
    expect(failedRunCode).toBe(1);
    expect(controllerCodeOf(ocfOutcomeOfCode(42))).toBe(1);
    expect(controllerCodeOf({ kind: 'timeout', timeoutMs: 5 })).toBe(1);
    expect(controllerCodeOf({ kind: 'signal', signal: 'SIGKILL' })).toBe(1);
    expect(controllerCodeOf({ kind: 'cancelled' })).toBe(1);
    expect(controllerCodeOf({ kind: 'not-started', message: 'ENOENT' })).toBe(5);
  });
});

describe('agentActionOf', () => {
  it('asks OCF agents for monitor and rgmanager types for status', () => {
    expect(agentActionOf({ type: 'ocf:heartbeat:IPaddr2', action: 'status' })).toBe('monitor');
    expect(agentActionOf({ type: 'ip', action: 'status' })).toBe('status');
    expect(agentActionOf({ type: 'ocf:heartbeat:IPaddr2', action: 'start' })).toBe('start');
    expect(agentActionOf({ type: 'ocf:heartbeat:VirtualDomain', action: 'migrate' })).toBe(
      'migrate_to',
    );
  });
});

describe('resourceOperationOf', () => {
  const op = (type: string, action: AgentOp['action'], target?: string): AgentOp => ({
    opId: 'n1.1.1',
    service: 'vm:guest',
    resource: `${type}:guest`,
    type,
    action,
    depth: 0,
    timeoutMs: 0,
    params: { name: 'guest' },
    purpose: 'transition',
    ...(target === undefined ? {} : { target }),
  });

  it('migrates rgmanager types with the target as an argument', () => {
    expect(resourceOperationOf(op('vm', 'migrate', 'n3'), 'n1')).toEqual({
      type: 'vm',
      action: 'migrate',
      attributes: { name: 'guest' },
      depth: 0,
      timeoutMs: undefined,
      instance: 'vm:guest',
      arguments: ['n3'],
    });
  });

  it("migrates OCF agents with migrate_to and Pacemaker's meta attributes", () => {
    expect(
      resourceOperationOf(op('ocf:heartbeat:VirtualDomain', 'migrate', 'n3'), 'n1'),
    ).toMatchObject({
      action: 'migrate_to',
      attributes: { name: 'guest', CRM_meta_migrate_target: 'n3', CRM_meta_migrate_source: 'n1' },
      arguments: undefined,
    });
    expect(resourceOperationOf(op('ocf:heartbeat:VirtualDomain', 'start'), 'n1')).toMatchObject({
      action: 'start',
      attributes: { name: 'guest' },
      arguments: undefined,
    });
  });
});

describe('fenceOperationOf', () => {
  const op = (params: Record<string, string>): FenceOp => ({
    opId: 'fence.n2.1.1',
    victim: 'n2',
    method: 'power',
    device: 'apc',
    agent: 'fence_apc',
    params: { nodename: 'n2', ...params },
  });

  it("reboots by default, keeps the device's own action, puts the victim last", () => {
    const reboot = fenceOperationOf(op({ ipaddr: 'pdu1', port: '3' }), 20_000);
    expect(reboot).toEqual({
      agent: 'fence_apc',
      action: 'reboot',
      device: { ipaddr: 'pdu1', port: '3' },
      nodename: 'n2',
      timeoutMs: 20_000,
    });
    if ('error' in reboot) throw new Error(reboot.error);
    expect(fenceInputPairs(reboot).map(([k]) => k)).toEqual([
      'ipaddr',
      'port',
      'nodename',
      'action',
    ]);
    expect(fenceOperationOf(op({ action: 'off' }), undefined)).toMatchObject({ action: 'off' });
  });

  it('refuses an action that does not change power, naming the device', () => {
    expect(fenceOperationOf(op({ action: 'list' }), undefined)).toEqual({
      error:
        'fence device apc (method power): action=list does not fence a node (use off, on or reboot)',
    });
  });
});
