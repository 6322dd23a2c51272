import { type ConfigWrite, type NodeId, sameVoting, votingConfigOf } from '@quorate/core';

/**
 * DESIGN.md §2 safety rule 4, from the cluster.conf writes the nodes hand their hosts:
 * `config_version` only grows on every host (across its restarts), and every host that writes
 * version N writes the same text.
 */
export class ConfigChecker {
  private readonly textOf = new Map<number, string>();
  private readonly writtenBy = new Map<NodeId, number>();
  private refusals = 0;
  private votingChanges = 0;

  constructor(private readonly fail: (message: string) => void) {}

  written(id: NodeId, writes: readonly ConfigWrite[]): void {
    for (const write of writes) {
      const last = this.writtenBy.get(id) ?? 0;
      if (write.version < last) {
        this.fail(`${id} wrote cluster.conf version ${write.version} after version ${last}`);
      }
      this.writtenBy.set(id, Math.max(last, write.version));
      const text = this.textOf.get(write.version);
      if (text === undefined) this.firstWrite(write);
      else if (text !== write.text) {
        this.fail(`${id} wrote a different text for cluster.conf version ${write.version}`);
      }
    }
  }

  /** A version seen for the first time: count it as a voting change if it is one. */
  private firstWrite(write: ConfigWrite): void {
    const older = [...this.textOf.keys()].filter((version) => version < write.version);
    const previous = older.length > 0 ? this.textOf.get(Math.max(...older)) : undefined;
    if (previous && !sameVoting(votingConfigOf(previous), votingConfigOf(write.text))) {
      this.votingChanges++;
    }
    this.textOf.set(write.version, write.text);
  }

  /** Committed versions that changed the voting set from the version before them. */
  votingChangeCount(): number {
    return this.votingChanges;
  }

  refused(): void {
    this.refusals++;
  }

  /** Distinct versions committed (and written somewhere). */
  versions(): number {
    return this.textOf.size;
  }

  refusalCount(): number {
    return this.refusals;
  }

  newestVersion(): number {
    let newest = 0;
    for (const version of this.textOf.keys()) newest = Math.max(newest, version);
    return newest;
  }

  /** The text of the newest version written anywhere, if any. */
  newestText(): string | undefined {
    return this.textOf.get(this.newestVersion());
  }

  /** The version a host last wrote (0 for none). */
  versionOf(id: NodeId): number {
    return this.writtenBy.get(id) ?? 0;
  }
}
