import type { LogEntry } from './types.js';

/** Where the stored log begins: the last index and term a snapshot replaced (0, 0 for none). */
export interface LogStart {
  readonly index: number;
  readonly term: number;
}

/**
 * The in-memory copy of the replicated log. Entries up to `start.index` live only in a
 * snapshot; the rest are held here. It tracks the lowest index changed since the host last
 * persisted, so `ready()` can hand out exactly what to write.
 */
export class RaftLog {
  private entries: LogEntry[] = [];
  private start: LogStart;
  /** Indexes of the held `config` entries, ascending: membership follows the newest ones. */
  private configs: number[] = [];
  /** Lowest index written since the last `markStable`; Infinity when nothing is pending. */
  private unstableFrom = Number.POSITIVE_INFINITY;

  constructor(restored: readonly LogEntry[] = [], start: LogStart = { index: 0, term: 0 }) {
    this.start = start;
    for (const entry of restored) {
      if (entry.index !== this.lastIndex() + 1) {
        throw new Error(`log[${entry.index}]: entries must be contiguous from ${start.index + 1}`);
      }
      this.push(entry);
    }
  }

  private push(entry: LogEntry): void {
    this.entries.push(entry);
    if (entry.kind === 'config') this.configs.push(entry.index);
  }

  private truncateFrom(index: number): void {
    this.entries.length = index - this.start.index - 1;
    this.configs = this.configs.filter((at) => at < index);
  }

  /** The indexes of the held config entries, oldest first. */
  configIndexes(): readonly number[] {
    return this.configs;
  }

  /** The index the snapshot covers (0 without one); entries after it are held here. */
  snapshotIndex(): number {
    return this.start.index;
  }

  lastIndex(): number {
    return this.start.index + this.entries.length;
  }

  lastTerm(): number {
    return this.termAt(this.lastIndex()) ?? 0;
  }

  /** Term at `index`: the snapshot's term at its index, undefined below it or past the end. */
  termAt(index: number): number | undefined {
    if (index === this.start.index) return this.start.term;
    if (index < this.start.index) return undefined;
    return this.entries[index - this.start.index - 1]?.term;
  }

  entryAt(index: number): LogEntry | undefined {
    if (index <= this.start.index) return undefined;
    return this.entries[index - this.start.index - 1];
  }

  /** Held entries in [from, to] inclusive, at most `limit` of them. */
  slice(from: number, to: number, limit = Number.POSITIVE_INFINITY): LogEntry[] {
    const first = Math.max(from, this.start.index + 1);
    const end = Math.min(to, first + limit - 1, this.lastIndex());
    return this.entries.slice(first - this.start.index - 1, end - this.start.index);
  }

  /** Raft's up-to-date rule: a later last term wins, then a longer log. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ownTerm = this.lastTerm();
    return lastTerm > ownTerm || (lastTerm === ownTerm && lastIndex >= this.lastIndex());
  }

  /** Leader-side append of a new entry with the next index. */
  appendNew(term: number, kind: LogEntry['kind'], data: string): LogEntry {
    const entry: LogEntry = { index: this.lastIndex() + 1, term, kind, data };
    this.push(entry);
    this.unstableFrom = Math.min(this.unstableFrom, entry.index);
    return entry;
  }

  /**
   * Follower-side append after a matched `prevIndex`: skips entries already present with the
   * same term (or already in the snapshot, hence committed), and at the first conflict drops
   * the stored suffix (never a committed entry: the caller's log-matching check guarantees the
   * conflict lies after the commit index).
   */
  appendAfter(prevIndex: number, incoming: readonly LogEntry[]): void {
    let i = 0;
    while (i < incoming.length) {
      const entry = incoming[i]!;
      if (entry.index <= this.start.index) {
        i++;
        continue;
      }
      const existing = this.termAt(entry.index);
      if (existing === undefined) break;
      if (existing !== entry.term) {
        this.truncateFrom(entry.index);
        break;
      }
      i++;
    }
    if (i === incoming.length) return;
    const first = incoming[i]!;
    if (first.index !== prevIndex + i + 1 || first.index !== this.lastIndex() + 1) {
      throw new Error(`log[${first.index}]: append leaves a gap after ${this.lastIndex()}`);
    }
    for (; i < incoming.length; i++) this.push(incoming[i]!);
    this.unstableFrom = Math.min(this.unstableFrom, first.index);
  }

  /** Drops the held entries up to `index` (which a snapshot now covers). */
  compact(index: number): void {
    if (index <= this.start.index) return;
    if (index > this.lastIndex()) {
      throw new Error(`log[${index}]: cannot compact past the last entry ${this.lastIndex()}`);
    }
    const term = this.termAt(index)!;
    this.entries = this.entries.slice(index - this.start.index);
    this.configs = this.configs.filter((at) => at > index);
    this.start = { index, term };
  }

  /**
   * Installs a leader's snapshot: keeps the entries after it when the log holds the snapshot's
   * last entry (same index and term), otherwise drops the whole log. Returns whether it kept them.
   */
  installSnapshot(start: LogStart): boolean {
    const retain = this.termAt(start.index) === start.term && start.index >= this.start.index;
    if (retain) {
      this.compact(start.index);
      return true;
    }
    this.entries = [];
    this.configs = [];
    this.start = start;
    this.unstableFrom = Number.POSITIVE_INFINITY;
    return false;
  }

  /** The suffix the host must persist (replacing anything stored from its first index on). */
  unstableEntries(): LogEntry[] {
    // A conflict truncation is always followed by the leader's entries, so a non-empty suffix
    // exists whenever anything is pending.
    if (this.unstableFrom > this.lastIndex()) return [];
    return this.slice(this.unstableFrom, this.lastIndex());
  }

  markStable(): void {
    this.unstableFrom = Number.POSITIVE_INFINITY;
  }
}
