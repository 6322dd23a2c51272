/**
 * The simulated clock: a min-heap of actions by time, ties broken by insertion order so a run
 * is a pure function of its seed.
 */
interface Scheduled {
  readonly atMs: number;
  readonly seq: number;
  readonly action: () => void;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;
  private nowMs = 0;

  now(): number {
    return this.nowMs;
  }

  size(): number {
    return this.heap.length;
  }

  at(atMs: number, action: () => void): void {
    this.push({ atMs: Math.max(atMs, this.nowMs), seq: this.seq++, action });
  }

  after(delayMs: number, action: () => void): void {
    this.at(this.nowMs + delayMs, action);
  }

  /** Runs every action due up to and including `untilMs`, then sets the clock there. */
  runUntil(untilMs: number, stop: () => boolean = () => false): void {
    while (this.heap.length > 0 && this.heap[0]!.atMs <= untilMs) {
      const next = this.pop();
      this.nowMs = next.atMs;
      next.action();
      if (stop()) return;
    }
    this.nowMs = Math.max(this.nowMs, untilMs);
  }

  private less(a: Scheduled, b: Scheduled): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(item: Scheduled): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Scheduled {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && this.less(heap[left]!, heap[smallest]!)) smallest = left;
        if (right < heap.length && this.less(heap[right]!, heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}
