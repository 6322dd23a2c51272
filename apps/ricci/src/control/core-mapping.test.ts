import { initialServiceState, rgResults, transition } from '@quorate/core';
import { controlResultSchema, serviceStatusSchema } from '@quorate/protocol';
import { describe, expect, test } from 'vitest';
import { configUpdateResultOf, rmResultOf, serviceStatusOf } from './core-mapping.js';

describe("the core's shapes on the control socket", () => {
  test('a service record: owners become null, restarts are counted', () => {
    const started = transition(initialServiceState('service:web'), 'started', 'node1', 1_000);
    const moved = {
      ...transition(started, 'stopped', undefined, 2_000),
      restartTimesMs: [1_500, 1_800],
    };
    expect(serviceStatusOf(moved)).toEqual({
      id: 'service:web',
      state: 'stopped',
      owner: null,
      lastOwner: 'node1',
      frozen: false,
      partial: false,
      restarts: 2,
      lastTransitionMs: 2_000,
    });
    expect(serviceStatusOf(initialServiceState('vm:guest')).state).toBe('uninitialized');
  });

  test('results pass the protocol schema as the server checks them', () => {
    const rm = rmResultOf({ ...rgResults.failure, detail: 'locked', owner: undefined }, true);
    expect(rm).toEqual({
      type: 'rm',
      code: -1,
      message: 'Failure',
      detail: 'locked',
      owner: null,
      locked: true,
    });
    const refused = configUpdateResultOf(5, {
      accepted: false,
      rule: 'not-quorate',
      message: 'Unable to honor update request. Cluster is not quorate.',
    });
    const accepted = configUpdateResultOf(5, { accepted: true, version: 6 });
    expect(accepted).toEqual({
      type: 'config-update',
      accepted: true,
      previousVersion: 5,
      version: 6,
    });
    for (const result of [rm, refused, accepted]) {
      expect(controlResultSchema.safeParse(result).success).toBe(true);
    }
    expect(
      serviceStatusSchema.safeParse(serviceStatusOf(initialServiceState('service:a'))).success,
    ).toBe(true);
  });
});
