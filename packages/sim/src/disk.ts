import type { HardState, LogEntry, PersistRecord, Snapshot } from '@quorate/core';

export interface DurableState {
  readonly hardState: HardState;
  readonly entries: readonly LogEntry[];
  readonly snapshot?: Snapshot;
}

/**
 * A node's durable storage: the hard state, the snapshot and the log after it, written record
 * by record. A crash in the middle of a write tears the record being written; its checksum
 * fails on replay and it is dropped, as the agent truncates a torn tail (DESIGN.md §4).
 */
export class SimDisk {
  private hardState: HardState | null = null;
  private snapshot: Snapshot | null = null;
  /** Entries after the snapshot's index. */
  private entries: LogEntry[] = [];
  /** Indexes of the stored config entries, ascending. */
  private configs: number[] = [];

  /** Writes every record, or with `tearAt` the records before it and a torn `tearAt`-th one. */
  write(records: readonly PersistRecord[], tearAt?: number): void {
    const complete = tearAt === undefined ? records.length : tearAt;
    for (const record of records.slice(0, complete)) {
      if (record.kind === 'hard-state') {
        this.hardState = record.state;
      } else if (record.kind === 'snapshot') {
        const dropped = record.snapshot.index - this.offset();
        this.entries = record.retainLog ? this.entries.slice(Math.max(0, dropped)) : [];
        this.snapshot = record.snapshot;
        this.configs = this.configs.filter((at) => record.retainLog && at > record.snapshot.index);
      } else {
        const first = record.entries[0];
        if (!first) continue;
        this.entries.length = Math.min(this.entries.length, first.index - 1 - this.offset());
        this.configs = this.configs.filter((at) => at < first.index);
        this.entries.push(...record.entries);
        for (const entry of record.entries)
          if (entry.kind === 'config') this.configs.push(entry.index);
      }
    }
  }

  /** What a restarted node replays; undefined for a node that never persisted its state. */
  restore(): DurableState | undefined {
    if (this.hardState === null && this.entries.length === 0 && !this.snapshot) return undefined;
    const hardState = this.hardState ?? { term: 0, vote: null, commit: 0, incarnation: 0 };
    const entries = [...this.entries];
    return this.snapshot ? { hardState, entries, snapshot: this.snapshot } : { hardState, entries };
  }

  storedHardState(): HardState | null {
    return this.hardState;
  }

  storedSnapshot(): Snapshot | null {
    return this.snapshot;
  }

  /** The stored entry at `index`; undefined past the end or inside the snapshot. */
  storedEntry(index: number): LogEntry | undefined {
    if (index <= this.offset()) return undefined;
    return this.entries[index - 1 - this.offset()];
  }

  /** The newest two stored config entries at or below `upTo`, oldest first. */
  storedConfigEntries(upTo = Number.POSITIVE_INFINITY): LogEntry[] {
    const held = this.configs.filter((index) => index <= upTo);
    return held.slice(-2).map((index) => this.storedEntry(index)!);
  }

  /** The number of entries held in the log (after the snapshot). */
  storedLength(): number {
    return this.entries.length;
  }

  private offset(): number {
    return this.snapshot?.index ?? 0;
  }
}
