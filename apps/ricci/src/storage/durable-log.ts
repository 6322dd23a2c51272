import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { HardState, LogEntry, PersistRecord, Snapshot } from '@quorate/core';
import { persistRecordSchema } from '@quorate/protocol';
import { LogImage, type StoredRecord } from './log-image.js';
import { encodeFrame, scanFrames } from './record-frame.js';
import { fsyncDir } from './state-dir.js';
import { CorruptStateError } from './storage-errors.js';

export const LOG_FILE = 'consensus.wal';

/** What a restarted node hands the core (`ClusterNodeOptions.restored`). */
export interface RestoredState {
  readonly hardState: HardState;
  readonly entries: readonly LogEntry[];
  readonly snapshot?: Snapshot;
}

export interface DurableLogOptions {
  /** Rewrite the file once it holds this many records (superseded hard states, replaced entries). */
  readonly compactAfterRecords?: number;
}

const ENTRIES_PER_RECORD = 1024;
const NO_HARD_STATE: HardState = { term: 0, vote: null, commit: 0, incarnation: 0 };

/**
 * The agent's write-ahead log of consensus records: entries, hard state (term, vote, commit,
 * incarnation) and snapshots, each framed with a CRC-32C, in one append-only file so that one
 * fsync covers everything a `ready()` asked for. The host calls `append()` and only then sends
 * the messages of that `ready()`.
 */
export class DurableLog {
  private recordCount: number;
  private nextCompaction: number;
  private fd: number;

  private constructor(
    readonly path: string,
    private readonly compactAfterRecords: number,
    private readonly image: LogImage,
    recordCount: number,
    /** Bytes of a torn tail found and cut off when the log was opened. */
    readonly truncatedTailBytes: number,
  ) {
    this.recordCount = recordCount;
    this.nextCompaction = Math.max(compactAfterRecords, recordCount * 2);
    this.fd = openSync(path, 'a', 0o600);
  }

  /**
   * Opens (or creates) the log in `dir`, truncating a torn tail. Throws `CorruptStateError`
   * when a record is damaged where a torn write cannot explain it.
   */
  static open(dir: string, options: DurableLogOptions = {}): DurableLog {
    const path = join(dir, LOG_FILE);
    const data = readOrCreate(path);
    const scan = scanFrames(data);
    if (scan.corruption) {
      throw new CorruptStateError(path, scan.corruption.offset, scan.corruption.rule);
    }
    const image = replay(path, scan.payloads);
    const tornBytes = data.length - scan.validBytes;
    if (tornBytes > 0) truncateDurably(path, scan.validBytes);
    const compactAfter = options.compactAfterRecords ?? 4096;
    return new DurableLog(path, compactAfter, image, scan.payloads.length, tornBytes);
  }

  /** The state to restart the core from, or undefined for a node that never stored any. */
  restored(): RestoredState | undefined {
    const { hardState, snapshot, entries } = this.image;
    if (!hardState && !snapshot) return undefined;
    const state = { hardState: hardState ?? NO_HARD_STATE, entries: [...entries] };
    return snapshot ? { ...state, snapshot } : state;
  }

  /**
   * Writes and fsyncs `records` in the order `ready()` gives them (a snapshot first); when it
   * returns they survive a crash or power loss.
   */
  append(records: readonly PersistRecord[]): void {
    if (records.length === 0) return;
    const frames = records.flatMap(splitRecord).map(encodeRecord);
    writeFully(this.fd, Buffer.concat(frames));
    fdatasyncSync(this.fd);
    for (const record of records) {
      const broken = this.image.apply(record);
      if (broken) throw new Error(`${this.path}: the core asked to store ${broken}`);
    }
    this.recordCount += frames.length;
    if (this.recordCount >= this.nextCompaction) this.compact();
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Rewrites the live state to a new file and renames it over the old one. */
  private compact(): void {
    const frames = this.image.records().flatMap(splitRecord).map(encodeRecord);
    const temporary = `${this.path}.compacting`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeFully(fd, Buffer.concat(frames));
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    fsyncDir(dirname(this.path));
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a', 0o600);
    this.recordCount = frames.length;
    this.nextCompaction = Math.max(this.compactAfterRecords, frames.length * 2);
  }
}

function readOrCreate(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    closeSync(openSync(path, 'wx', 0o600));
    fsyncDir(dirname(path));
    return Buffer.alloc(0);
  }
}

function replay(path: string, payloads: readonly { offset: number; payload: Buffer }[]): LogImage {
  const image = new LogImage();
  for (const { offset, payload } of payloads) {
    const broken = image.apply(decodeRecord(path, offset, payload));
    if (broken) throw new CorruptStateError(path, offset, broken);
  }
  const commit = image.hardState?.commit ?? 0;
  if (commit > image.lastIndex()) {
    throw new CorruptStateError(
      path,
      0,
      `hard state commits index ${commit} but the log ends at ${image.lastIndex()}`,
    );
  }
  return image;
}
function decodeRecord(path: string, offset: number, payload: Buffer): StoredRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new CorruptStateError(path, offset, 'record is not JSON despite a valid checksum');
  }
  const result = persistRecordSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new CorruptStateError(
      path,
      offset,
      `record /${issue?.path.join('/')}: ${issue?.message}`,
    );
  }
  return result.data;
}

function encodeRecord(record: StoredRecord): Buffer {
  return encodeFrame(Buffer.from(JSON.stringify(record), 'utf8'));
}

/** Keeps each frame well under the record size limit however many entries a ready() holds. */
function splitRecord(record: StoredRecord): StoredRecord[] {
  if (record.kind !== 'entries' || record.entries.length <= ENTRIES_PER_RECORD) return [record];
  const parts: StoredRecord[] = [];
  for (let start = 0; start < record.entries.length; start += ENTRIES_PER_RECORD) {
    parts.push({
      kind: 'entries',
      entries: record.entries.slice(start, start + ENTRIES_PER_RECORD),
    });
  }
  return parts;
}

function writeFully(fd: number, bytes: Buffer): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
}

function truncateDurably(path: string, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, length);
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
