import type { LogEntry } from './types.js';

/**
 * The in-memory copy of the replicated log (index 1 is the first entry). It tracks the lowest
 * index changed since the host last persisted, so `ready()` can hand out exactly what to write.
 */
export class RaftLog {
  private readonly entries: LogEntry[] = [];
  /** Lowest index written since the last `markStable`; Infinity when nothing is pending. */
  private unstableFrom = Number.POSITIVE_INFINITY;

  constructor(restored: readonly LogEntry[] = []) {
    for (const entry of restored) {
      if (entry.index !== this.entries.length + 1) {
        throw new Error(`log[${entry.index}]: entries must be contiguous from 1`);
      }
      this.entries.push(entry);
    }
  }

  lastIndex(): number {
    return this.entries.length;
  }

  lastTerm(): number {
    return this.termAt(this.entries.length) ?? 0;
  }

  /** Term of the entry at `index`; 0 for index 0, undefined past the end. */
  termAt(index: number): number | undefined {
    if (index === 0) return 0;
    return this.entries[index - 1]?.term;
  }

  entryAt(index: number): LogEntry | undefined {
    return this.entries[index - 1];
  }

  /** Entries in [from, to] inclusive, at most `limit` of them. */
  slice(from: number, to: number, limit = Number.POSITIVE_INFINITY): LogEntry[] {
    const end = Math.min(to, from + limit - 1, this.entries.length);
    return this.entries.slice(from - 1, end);
  }

  /** Raft's up-to-date rule: a later last term wins, then a longer log. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ownTerm = this.lastTerm();
    return lastTerm > ownTerm || (lastTerm === ownTerm && lastIndex >= this.lastIndex());
  }

  /** Leader-side append of a new entry with the next index. */
  appendNew(term: number, kind: LogEntry['kind'], data: string): LogEntry {
    const entry: LogEntry = { index: this.entries.length + 1, term, kind, data };
    this.entries.push(entry);
    this.unstableFrom = Math.min(this.unstableFrom, entry.index);
    return entry;
  }

  /**
   * Follower-side append after a matched `prevIndex`: skips entries already present with the
   * same term, and at the first conflict drops the stored suffix (never a committed entry: the
   * caller's log-matching check guarantees the conflict lies after the commit index).
   */
  appendAfter(prevIndex: number, incoming: readonly LogEntry[]): void {
    let i = 0;
    while (i < incoming.length) {
      const entry = incoming[i]!;
      const existing = this.termAt(entry.index);
      if (existing === undefined) break;
      if (existing !== entry.term) {
        this.entries.length = entry.index - 1;
        break;
      }
      i++;
    }
    if (i === incoming.length) return;
    const first = incoming[i]!;
    if (first.index !== prevIndex + i + 1 || first.index !== this.entries.length + 1) {
      throw new Error(`log[${first.index}]: append leaves a gap after ${this.entries.length}`);
    }
    for (; i < incoming.length; i++) this.entries.push(incoming[i]!);
    this.unstableFrom = Math.min(this.unstableFrom, first.index);
  }

  /** The suffix the host must persist (replacing anything stored from its first index on). */
  unstableEntries(): LogEntry[] {
    // A conflict truncation is always followed by the leader's entries, so a non-empty suffix
    // exists whenever anything is pending.
    if (this.unstableFrom > this.entries.length) return [];
    return this.entries.slice(this.unstableFrom - 1);
  }

  markStable(): void {
    this.unstableFrom = Number.POSITIVE_INFINITY;
  }
}
