/**
 * Runs the liveness checks of every outbound link, once a period. A wake-up is most of what an
 * idle agent spends its CPU on, so the checks share one timer, and a check that falls due rides
 * on the next inbound frame (`poke`), which wakes the agent anyway (a follower hears its leader
 * several times a period): the timer fires only when no frame came within a quarter period of
 * the check falling due. Checks are thus from one to one and a quarter periods apart.
 */
export class LivenessTicker {
  private readonly checks = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private lastRunMs = 0;

  constructor(
    readonly periodMs: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!(periodMs > 0)) throw new Error(`periodMs: must be positive, got ${periodMs}`);
  }

  /** Runs `check` every period from now on, until it is removed. */
  add(check: () => void): void {
    this.checks.add(check);
    if (this.timer !== null) return;
    this.lastRunMs = this.nowMs();
    this.timer = setTimeout(() => this.run(), this.periodMs + this.periodMs / 4);
    this.timer.unref();
  }

  remove(check: () => void): void {
    this.checks.delete(check);
    if (this.checks.size > 0 || this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
  }

  /** Something arrived: runs the checks if they are due. */
  poke(): void {
    if (this.timer !== null && this.nowMs() - this.lastRunMs >= this.periodMs) this.run();
  }

  private run(): void {
    this.lastRunMs = this.nowMs();
    // Re-arms the timer (fired or not) for a period and a quarter from now.
    this.timer?.refresh();
    for (const check of this.checks) check();
  }
}
