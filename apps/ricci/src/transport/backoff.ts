/**
 * Reconnect delays that double from `firstMs` up to `lastMs`. Each delay is drawn from the
 * upper half of its step so that agents restarted together do not redial in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs: number,
    private readonly lastMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  nextDelayMs(): number {
    const step = Math.min(this.lastMs, this.firstMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
