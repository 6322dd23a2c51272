import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles up to its ceiling, draws from the upper half of each step, and resets', () => {
    const highest = new Backoff(100, 1000, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => highest.nextDelayMs())).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    const lowest = new Backoff(100, 1000, () => 0);
    expect([1, 2, 3].map(() => lowest.nextDelayMs())).toEqual([50, 100, 200]);
    highest.reset();
    expect(highest.nextDelayMs()).toBe(100);
  });
});
