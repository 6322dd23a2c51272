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
 * How early a timer may fire and still deliver its tick. Node measures timers against a loop
 * clock in whole milliseconds that can lag `performance.now()`, so a timer often fires a
 * fraction of a millisecond before its tick is due; without this slack each such wake-up finds
 * nothing due and sleeps again, and a wake-up is what an idle agent spends its CPU on.
 */
const TIMER_SLACK_MS = 2;

/**
 * Turns a monotonic clock into the core's ticks (DESIGN.md §2 "Time"). Ticks are counted
 * from the start, not from the last wake-up, so a late timer, a stall or a suspended VM
 * delivers every tick it missed — in one call, before anything else runs.
 *
 * An idle agent's CPU goes almost entirely on wake-ups, so the host may tell the clock that
 * nothing can happen before a later tick (`sleepUntil`); the clock then wakes at that tick,
 * and the host calls `catchUp()` before it hands the core any input, so the core still sees
 * every tick, in order, before the input that follows it.
 */
export class TickClock {
  private originMs = 0;
  private delivered = 0;
  /** The tick the pending timer is meant to deliver; ticks due beyond it were missed. */
  private wakeTick = 1;
  private sleepUntilTick = 0;
  private pending: { cancel(): void } | null = null;

  constructor(
    private readonly tickMs: number,
    /** `missed`: how many of the `count` ticks came later than the clock meant to wake. */
    private readonly onTicks: (count: number, missed: number) => void,
    private readonly driver: ClockDriver = realClockDriver,
  ) {
    if (!(tickMs > 0)) throw new Error(`tickMs: must be positive, got ${tickMs}`);
  }

  /** Ticks delivered since `start()`. */
  get ticks(): number {
    return this.delivered;
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

  /**
   * Lets the clock sleep until tick `tick` (absolute, as `ticks` counts) instead of waking for
   * each one; 0 (or a tick already past) wakes it for every tick again.
   */
  sleepUntil(tick: number): void {
    if (tick === this.sleepUntilTick) return;
    this.sleepUntilTick = tick;
    if (!this.pending) return;
    this.pending.cancel();
    this.schedule();
  }

  /** Delivers the ticks due by now, while the clock runs; returns how many. */
  catchUp(): number {
    if (!this.pending) return 0;
    const due = Math.floor((this.driver.nowMs() - this.originMs + TIMER_SLACK_MS) / this.tickMs);
    const count = due - this.delivered;
    if (count <= 0) return 0;
    this.delivered = due;
    this.onTicks(count, Math.max(0, due - this.wakeTick));
    return count;
  }

  private schedule(): void {
    this.wakeTick = Math.max(this.delivered + 1, this.sleepUntilTick);
    const wakeMs = this.originMs + this.wakeTick * this.tickMs;
    const delayMs = Math.max(0, Math.ceil(wakeMs - TIMER_SLACK_MS - this.driver.nowMs()));
    this.pending = this.driver.after(delayMs, () => {
      this.catchUp();
      if (this.pending) this.schedule();
    });
  }
}
