import { describe, expect, it } from 'vitest';
import { controllerCommandSchema, controllerMessageSchema } from './controller-messages.js';

const envelope = { from: 'n2', to: 'n1', term: 3, incarnation: 2 };

describe('controller messages', () => {
  it('accepts an executor report bound to a transition', () => {
    const report = {
      ...envelope,
      type: 'rm-report',
      service: 'service:web',
      op: 'stop',
      ok: false,
      transition: 17,
    };
    expect(controllerMessageSchema.parse(report)).toEqual(report);
  });

  it('accepts a forwarded clusvcadm request and refuses a migration without a target', () => {
    const forward = {
      ...envelope,
      type: 'rm-forward',
      requestId: 'r1',
      request: { kind: 'relocate', service: 'service:web', target: 'n3' },
    };
    expect(controllerMessageSchema.safeParse(forward).success).toBe(true);
    const migrate = { ...forward, request: { kind: 'migrate', service: 'vm:guest' } };
    const result = controllerMessageSchema.safeParse(migrate);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['request', 'target']);
  });

  it('refuses unknown fields and a node name with spaces', () => {
    expect(
      controllerMessageSchema.safeParse({ ...envelope, type: 'rm-probe', running: [], extra: 1 })
        .success,
    ).toBe(false);
    expect(
      controllerMessageSchema.safeParse({ ...envelope, from: 'n 2', type: 'rm-probe', running: [] })
        .success,
    ).toBe(false);
  });

  it('reads versioned commands and refuses another version by its field', () => {
    const lost = { v: 1, type: 'node-lost', atMs: 1200, node: 'n3', incarnation: 4 };
    expect(controllerCommandSchema.parse(lost)).toEqual(lost);
    const result = controllerCommandSchema.safeParse({ ...lost, v: 2 });
    expect(result.error?.issues[0]?.path).toEqual(['v']);
  });

  it('reads a service record with its pending move', () => {
    const record = {
      id: 'service:web',
      state: 'stopping',
      owner: 'n1',
      restartTimesMs: [1000],
      frozen: false,
      partial: false,
      lastTransitionMs: 1000,
      pending: { kind: 'relocate', node: 'n2' },
    };
    const command = { v: 1, type: 'services', atMs: 1000, records: [record] };
    expect(controllerCommandSchema.parse(command)).toEqual(command);
    const bad = { ...command, records: [{ ...record, state: 'running' }] };
    expect(controllerCommandSchema.safeParse(bad).error?.issues[0]?.path).toEqual([
      'records',
      0,
      'state',
    ]);
  });

  it('carries a console trust change to the leader and refuses a malformed fingerprint', () => {
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    const forward = {
      ...envelope,
      type: 'rm-console-trust',
      requestId: 'c1',
      change: { kind: 'trust', fingerprint, label: '10.0.0.9' },
    };
    expect(controllerMessageSchema.parse(forward)).toEqual(forward);
    const bad = { ...forward, change: { kind: 'revoke', fingerprint: 'ab:cd' } };
    expect(controllerMessageSchema.safeParse(bad).error?.issues[0]?.path).toEqual([
      'change',
      'fingerprint',
    ]);
    const revoked = { v: 1, type: 'console-revoked', atMs: 5, fingerprint };
    expect(controllerCommandSchema.parse(revoked)).toEqual(revoked);
  });

  it('carries a cluster.conf to the leader and its answer back, naming a bad desk', () => {
    const forward = { ...envelope, type: 'rm-config', requestId: 'n2-7', text: '<cluster/>' };
    expect(controllerMessageSchema.parse(forward)).toEqual(forward);
    expect(controllerMessageSchema.safeParse({ ...forward, text: '' }).success).toBe(false);
    const result = {
      ...envelope,
      type: 'rm-desk-result',
      desk: 'config',
      requestId: 'n2-7',
      ok: false,
      message: 'config_version 3 is not greater than 4',
      rule: 'version-not-greater',
      version: null,
    };
    expect(controllerMessageSchema.parse(result)).toEqual(result);
    const bad = { ...result, desk: 'rm' };
    expect(controllerMessageSchema.safeParse(bad).error?.issues[0]?.path).toEqual(['desk']);
  });
});
