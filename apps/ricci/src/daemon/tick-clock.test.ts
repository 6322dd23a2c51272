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
    const missed: number[] = [];
    const clock = new TickClock(
      50,
      (count, late) => {
        deliveries.push(count);
        missed.push(late);
      },
      driver,
    );
    clock.start();
    driver.advanceTo(1050);
    driver.advanceTo(1100);
    driver.advanceTo(1120);
    // A 1.3 s stall: the timer fires late, once, and the missed ticks arrive together.
    driver.advanceTo(2420);
    driver.advanceTo(2450);
    expect(deliveries).toEqual([1, 1, 26, 1]);
    expect(missed).toEqual([0, 0, 25, 0]);
    expect(clock.ticks).toBe(29);
  });

  it('delivers a tick whose timer fires a moment early, instead of waking twice', () => {
    const driver = new ManualDriver();
    const deliveries: number[] = [];
    const clock = new TickClock(50, (count) => deliveries.push(count), driver);
    clock.start();
    // Node's timers run on a whole-millisecond loop clock that may lag the monotonic one.
    driver.advanceTo(1049.4);
    expect(deliveries).toEqual([1]);
    expect(driver.scheduled()).toBe(1);
  });

  it('sleeps until a later tick when told, and catches up when asked, missing nothing', () => {
    const driver = new ManualDriver();
    const deliveries: Array<[number, number]> = [];
    const clock = new TickClock(50, (count, late) => deliveries.push([count, late]), driver);
    clock.start();
    driver.advanceTo(1050);
    clock.sleepUntil(10);
    // No wake-up for ticks 2..9: the timer is set for tick 10.
    driver.advanceTo(1200);
    expect(deliveries).toEqual([[1, 0]]);
    // An input arrives at tick 6: the host catches up first; deferred ticks are not missed.
    driver.advanceTo(1300);
    expect(clock.catchUp()).toBe(5);
    driver.advanceTo(1500);
    expect(deliveries).toEqual([
      [1, 0],
      [5, 0],
      [4, 0],
    ]);
    // The hint is spent: tick by tick again.
    driver.advanceTo(1550);
    expect(deliveries.at(-1)).toEqual([1, 0]);
    clock.sleepUntil(0);
    expect(clock.ticks).toBe(11);
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
