import { describe, expect, it } from 'vitest';
import { defaultLoginLimits, LoginLimiter } from './login-limiter.js';

const ip = '192.0.2.7';

function failTimes(limiter: LoginLimiter, times: number, now: number, user = 'admin') {
  for (let i = 0; i < times; i++) limiter.recordFailure(ip, user, now);
}

describe('LoginLimiter', () => {
  it('lets four wrong passwords through and locks after the fifth for a minute', () => {
    const limiter = new LoginLimiter();
    failTimes(limiter, 4, 1000);
    expect(limiter.retryAfterMs(ip, 'admin', 1000)).toBe(0);
    failTimes(limiter, 1, 1000);
    expect(limiter.retryAfterMs(ip, 'admin', 1000)).toBe(60_000);
    expect(limiter.retryAfterMs(ip, 'admin', 31_000)).toBe(30_000);
    expect(limiter.retryAfterMs(ip, 'admin', 61_000)).toBe(0);
  });

  it('doubles the lock with each further failure, up to the maximum', () => {
    const limiter = new LoginLimiter();
    failTimes(limiter, 6, 0);
    expect(limiter.retryAfterMs(ip, 'admin', 0)).toBe(120_000);
    failTimes(limiter, 10, 0);
    expect(limiter.retryAfterMs(ip, 'admin', 0)).toBe(defaultLoginLimits.maxLockMs);
  });

  it('counts user names without case and keeps other users and addresses apart', () => {
    const limiter = new LoginLimiter();
    failTimes(limiter, 5, 0, 'Admin');
    expect(limiter.retryAfterMs(ip, 'admin', 0)).toBeGreaterThan(0);
    expect(limiter.retryAfterMs(ip, 'operator', 0)).toBe(0);
    expect(limiter.retryAfterMs('192.0.2.8', 'admin', 0)).toBe(0);
  });

  it('locks an address that guesses across many user names', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < defaultLoginLimits.failuresPerAddress; i++) {
      limiter.recordFailure(ip, `user${i}`, 0);
    }
    expect(limiter.retryAfterMs(ip, 'someone-new', 0)).toBe(60_000);
  });

  it('clears the per-user count on a correct password and forgets old failures', () => {
    const limiter = new LoginLimiter();
    failTimes(limiter, 4, 0);
    limiter.recordSuccess(ip, 'admin');
    failTimes(limiter, 4, 0);
    expect(limiter.retryAfterMs(ip, 'admin', 0)).toBe(0);
    failTimes(limiter, 4, defaultLoginLimits.forgetAfterMs + 1);
    expect(limiter.retryAfterMs(ip, 'admin', defaultLoginLimits.forgetAfterMs + 1)).toBe(0);
  });

  it('tracks at most the configured number of keys', () => {
    const limiter = new LoginLimiter({ ...defaultLoginLimits, maxTrackedKeys: 4 });
    failTimes(limiter, 5, 0, 'first');
    for (let i = 0; i < 4; i++) limiter.recordFailure(`198.51.100.${i}`, 'x', 0);
    expect(limiter.retryAfterMs(ip, 'first', 0)).toBe(0);
  });
});
