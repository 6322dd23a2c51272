import type { HardState, LogEntry, PersistRecord } from '@quorate/core';

export interface DurableState {
  readonly hardState: HardState;
  readonly entries: readonly LogEntry[];
}

/**
 * A node's durable storage: the hard state and the log, written record by record. A crash in
 * the middle of a write tears the record being written; its checksum fails on replay and it is
 * dropped, as the agent truncates a torn tail (DESIGN.md §4).
 */
export class SimDisk {
  private hardState: HardState | null = null;
  private entries: LogEntry[] = [];

  /** Writes every record, or with `tearAt` the records before it and a torn `tearAt`-th one. */
  write(records: readonly PersistRecord[], tearAt?: number): void {
    const complete = tearAt === undefined ? records.length : tearAt;
    for (const record of records.slice(0, complete)) {
      if (record.kind === 'hard-state') {
        this.hardState = record.state;
      } else {
        const first = record.entries[0];
        if (!first) continue;
        this.entries.length = Math.min(this.entries.length, first.index - 1);
        this.entries.push(...record.entries);
      }
    }
  }

  /** What a restarted node replays; undefined for a node that never persisted its state. */
  restore(): DurableState | undefined {
    if (this.hardState === null && this.entries.length === 0) return undefined;
    const hardState = this.hardState ?? { term: 0, vote: null, commit: 0, incarnation: 0 };
    return { hardState, entries: [...this.entries] };
  }

  storedHardState(): HardState | null {
    return this.hardState;
  }

  storedEntry(index: number): LogEntry | undefined {
    return this.entries[index - 1];
  }

  storedLength(): number {
    return this.entries.length;
  }
}
