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
});
