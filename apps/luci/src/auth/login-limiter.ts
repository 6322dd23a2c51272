/**
 * Login rate limiting. Wrong passwords are counted per (client address, user name) and per
 * client address; at a threshold the key is locked and further attempts are refused before the
 * password is even checked. The lock starts at `baseLockMs` and doubles with every further
 * failure after it, up to `maxLockMs`; a correct password clears the per-user counter. Counters
 * live in memory: a restart forgets them (an attacker gains one threshold per restart).
 */
export interface LoginLimiterOptions {
  readonly failuresPerUser: number;
  readonly failuresPerAddress: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
  /** A counter with no failure for this long is forgotten. */
  readonly forgetAfterMs: number;
  readonly maxTrackedKeys: number;
}

export const defaultLoginLimits: LoginLimiterOptions = {
  failuresPerUser: 5,
  failuresPerAddress: 20,
  baseLockMs: 60_000,
  maxLockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxTrackedKeys: 10_000,
};

interface Counter {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export class LoginLimiter {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly limits: LoginLimiterOptions = defaultLoginLimits) {}

  /** Milliseconds the attempt must wait, or 0 when it may go ahead. */
  retryAfterMs(address: string, user: string, now: number): number {
    const waits = this.keys(address, user).map((key) => {
      const counter = this.current(key, now);
      return counter ? Math.max(0, counter.lockedUntil - now) : 0;
    });
    return Math.max(...waits);
  }

  recordFailure(address: string, user: string, now: number): void {
    const [userKey, addressKey] = this.keys(address, user);
    this.fail(userKey, this.limits.failuresPerUser, now);
    this.fail(addressKey, this.limits.failuresPerAddress, now);
  }

  recordSuccess(address: string, user: string): void {
    this.counters.delete(this.keys(address, user)[0]);
  }

  private keys(address: string, user: string): [string, string] {
    return [`user\u0000${address}\u0000${user.toLowerCase()}`, `address\u0000${address}`];
  }

  private current(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && now - counter.lastFailureAt > this.limits.forgetAfterMs) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private fail(key: string, threshold: number, now: number): void {
    const counter = this.current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
    counter.failures += 1;
    counter.lastFailureAt = now;
    if (counter.failures >= threshold) {
      const doublings = counter.failures - threshold;
      const lockMs = Math.min(this.limits.maxLockMs, this.limits.baseLockMs * 2 ** doublings);
      counter.lockedUntil = now + lockMs;
    }
    this.counters.delete(key);
    this.counters.set(key, counter);
    this.evictOldest();
  }

  /** Map order is insertion order and `fail` re-inserts, so the first key is the stalest. */
  private evictOldest(): void {
    while (this.counters.size > this.limits.maxTrackedKeys) {
      const oldest = this.counters.keys().next().value;
      if (oldest === undefined) return;
      this.counters.delete(oldest);
    }
  }
}
