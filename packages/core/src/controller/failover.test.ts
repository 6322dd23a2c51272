import { describe, expect, test } from 'vitest';
import { failoverStats, measureFailover } from './failover.js';

// Logical ticks (100 ms each, token 1000 ms = 10 ticks), not wall-clock time.
describe('simulated failover in ticks', () => {
  test('owner a follower: loss detection (a token), fence, then the start elsewhere', () => {
    const stats = failoverStats(false, 20);
    console.log(`failover, owner a follower: median ${stats.median} ticks, p99 ${stats.p99}`);
    expect(stats.p99).toBeLessThanOrEqual(20);
    expect(measureFailover(false, 0).newOwner).toBe('n1');
  });

  test('owner the leader: also an election and the new leader catching up', () => {
    const stats = failoverStats(true, 20);
    console.log(`failover, owner the leader: median ${stats.median} ticks, p99 ${stats.p99}`);
    expect(stats.p99).toBeLessThanOrEqual(60);
  });
});
