import type { HardState, LogEntry, PersistRecord, Snapshot } from '@quorate/core';

/**
 * One record of the write-ahead log: what the core asks to persist — a hard state, entries, or
 * a snapshot that replaces the old one and drops the entries it covers (all of them when
 * `retainLog` is false: the leader's snapshot does not match this log).
 */
export type StoredRecord = PersistRecord;

/**
 * The consensus state the write-ahead log describes, rebuilt by applying its records in
 * order: the latest hard state, the latest snapshot and the entries that follow it.
 */
export class LogImage {
  hardState: HardState | null = null;
  snapshot: Snapshot | null = null;
  /** Entries after the snapshot, contiguous: `entries[i].index === snapshotIndex() + 1 + i`. */
  entries: LogEntry[] = [];

  snapshotIndex(): number {
    return this.snapshot?.index ?? 0;
  }

  lastIndex(): number {
    return this.snapshotIndex() + this.entries.length;
  }

  /** Applies one record; returns the rule it breaks, or null. */
  apply(record: StoredRecord): string | null {
    switch (record.kind) {
      case 'hard-state':
        this.hardState = record.state;
        return null;
      case 'entries':
        return this.appendEntries(record.entries);
      case 'snapshot':
        this.installSnapshot(record.snapshot, record.retainLog);
        return null;
    }
  }

  /** The records that rebuild this image from nothing, for compaction. */
  records(): StoredRecord[] {
    const records: StoredRecord[] = [];
    if (this.snapshot)
      records.push({ kind: 'snapshot', snapshot: this.snapshot, retainLog: false });
    if (this.entries.length > 0) records.push({ kind: 'entries', entries: this.entries });
    if (this.hardState) records.push({ kind: 'hard-state', state: this.hardState });
    return records;
  }

  private appendEntries(entries: readonly LogEntry[]): string | null {
    const first = entries[0];
    if (!first) return null;
    if (first.index > this.lastIndex() + 1) {
      return `entries start at index ${first.index}, leaving a gap after ${this.lastIndex()}`;
    }
    // Entries a snapshot already covers are dropped; the rest replace the stored tail.
    const fresh = entries.filter((entry) => entry.index > this.snapshotIndex());
    const keep = Math.max(0, (fresh[0]?.index ?? this.lastIndex() + 1) - this.snapshotIndex() - 1);
    this.entries.length = Math.min(this.entries.length, keep);
    this.entries.push(...fresh);
    return null;
  }

  private installSnapshot(snapshot: Snapshot, retainLog: boolean): void {
    const after = retainLog ? this.entries.filter((entry) => entry.index > snapshot.index) : [];
    this.snapshot = snapshot;
    this.entries = after;
  }
}
