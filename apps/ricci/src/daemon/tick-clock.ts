/** How the clock reads monotonic time and sleeps; tests substitute both. */
export interface ClockDriver {
  nowMs(): number;
  after(delayMs: number, wake: () => void): { cancel(): void };
}

export const realClockDriver: ClockDriver = {
  nowMs: () => performance.now(),
  after: (delayMs, wake) => {
    const timer = setTimeout(wake, delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Turns a monotonic clock into the core's ticks (DESIGN.md §2 "Time"). Ticks are counted
 * from the start, not from the last wake-up, so a late timer, a stall or a suspended VM
 * delivers every tick it missed — in one call, before anything else runs.
 */
export class TickClock {
  private originMs = 0;
  private delivered = 0;
  private pending: { cancel(): void } | null = null;

  constructor(
    private readonly tickMs: number,
    private readonly onTicks: (count: number) => void,
    private readonly driver: ClockDriver = realClockDriver,
  ) {
    if (!(tickMs > 0)) throw new Error(`tickMs: must be positive, got ${tickMs}`);
  }

  start(): void {
    this.originMs = this.driver.nowMs();
    this.delivered = 0;
    this.schedule();
  }

  stop(): void {
    this.pending?.cancel();
    this.pending = null;
  }

  /** Delivers the ticks due by now; returns how many. */
  catchUp(): number {
    const due = Math.floor((this.driver.nowMs() - this.originMs) / this.tickMs);
    const missed = due - this.delivered;
    if (missed <= 0) return 0;
    this.delivered = due;
    this.onTicks(missed);
    return missed;
  }

  private schedule(): void {
    const nextDueMs = this.originMs + (this.delivered + 1) * this.tickMs;
    this.pending = this.driver.after(Math.max(0, nextDueMs - this.driver.nowMs()), () => {
      this.catchUp();
      if (this.pending) this.schedule();
    });
  }
}
