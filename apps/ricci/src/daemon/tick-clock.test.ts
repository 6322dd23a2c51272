import { describe, expect, it } from 'vitest';
import { type ClockDriver, TickClock } from './tick-clock.js';

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualDriver implements ClockDriver {
  now = 1000;
  private timers: { at: number; wake: () => void }[] = [];

  nowMs(): number {
    return this.now;
  }

  after(delayMs: number, wake: () => void) {
    const timer = { at: this.now + delayMs, wake };
    this.timers.push(timer);
    return { cancel: () => this.timers.splice(this.timers.indexOf(timer), 1) };
  }

  /** Jumps to `ms`, firing each due timer once: a stalled process wakes once, late. */
  advanceTo(ms: number): void {
    this.now = ms;
    const due = this.timers.filter((timer) => timer.at <= ms);
    this.timers = this.timers.filter((timer) => timer.at > ms);
    for (const timer of due) timer.wake();
  }

  scheduled(): number {
    return this.timers.length;
  }
}

describe('TickClock', () => {
  it('delivers one tick per period and every missed tick after a stall, at once', () => {
    const driver = new ManualDriver();
    const deliveries: number[] = [];
    const clock = new TickClock(50, (count) => deliveries.push(count), driver);
    clock.start();
    driver.advanceTo(1050);
    driver.advanceTo(1100);
    driver.advanceTo(1120);
    // A 1.3 s stall: the timer fires late, once, and the missed ticks arrive together.
    driver.advanceTo(2420);
    driver.advanceTo(2450);
    expect(deliveries).toEqual([1, 1, 26, 1]);
    expect(deliveries.reduce((a, b) => a + b)).toBe(29);
  });

  it('stops scheduling once stopped', () => {
    const driver = new ManualDriver();
    const clock = new TickClock(10, () => {}, driver);
    clock.start();
    expect(driver.scheduled()).toBe(1);
    clock.stop();
    expect(driver.scheduled()).toBe(0);
  });
});
