/**
 * Wrong agent passwords, counted per remote address: `maxFailures` within `windowMs` lock
 * that address until the oldest of them is `windowMs` old. A locked address is refused without
 * its password being checked. In memory: a restart forgets the counts.
 */
export class AuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** How long `remote` must wait before its next try, 0 when it may try now. */
  retryAfterMs(remote: string, nowMs: number): number {
    const recent = this.recent(remote, nowMs);
    if (recent.length < this.maxFailures) return 0;
    return recent[recent.length - this.maxFailures]! + this.windowMs - nowMs;
  }

  /** Records one wrong password; returns how many `remote` has in the window now. */
  fail(remote: string, nowMs: number): number {
    const recent = [...this.recent(remote, nowMs), nowMs];
    this.failures.set(remote, recent);
    return recent.length;
  }

  succeed(remote: string): void {
    this.failures.delete(remote);
  }

  private recent(remote: string, nowMs: number): number[] {
    const times = (this.failures.get(remote) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (times.length === 0) this.failures.delete(remote);
    else this.failures.set(remote, times);
    return times;
  }
}
