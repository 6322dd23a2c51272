import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HardState, LogEntry, PersistRecord } from '@quorate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableLog, LOG_FILE } from './durable-log.js';
import { CorruptStateError } from './storage-errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorate-durable-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(index: number, term: number, data = `cmd-${index}`): LogEntry {
  return { index, term, kind: 'command', data };
}

function hard(term: number, commit: number, vote: string | null = 'node1'): PersistRecord {
  const state: HardState = { term, vote, commit, incarnation: 1 };
  return { kind: 'hard-state', state };
}

function writeSample(): number[] {
  const log = DurableLog.open(dir);
  const sizes: number[] = [];
  log.append([{ kind: 'entries', entries: [entry(1, 1), entry(2, 1)] }, hard(1, 1)]);
  sizes.push(statSync(join(dir, LOG_FILE)).size);
  log.append([{ kind: 'entries', entries: [entry(3, 1)] }]);
  sizes.push(statSync(join(dir, LOG_FILE)).size);
  log.close();
  return sizes;
}

describe('DurableLog', () => {
  it('starts empty and creates its file with mode 0600', () => {
    const log = DurableLog.open(dir);
    expect(log.restored()).toBeUndefined();
    log.close();
    expect(statSync(join(dir, LOG_FILE)).mode & 0o777).toBe(0o600);
  });

  it('replays entries and the latest hard state after a restart', () => {
    const log = DurableLog.open(dir);
    log.append([{ kind: 'entries', entries: [entry(1, 1), entry(2, 1), entry(3, 1)] }, hard(1, 1)]);
    // A new leader overwrote index 3 onwards: the stored tail is replaced, not appended to.
    log.append([
      { kind: 'entries', entries: [entry(3, 2, 'new'), entry(4, 2)] },
      hard(2, 3, 'node2'),
    ]);
    log.close();
    const reopened = DurableLog.open(dir);
    expect(reopened.truncatedTailBytes).toBe(0);
    expect(reopened.restored()).toEqual({
      hardState: { term: 2, vote: 'node2', commit: 3, incarnation: 1 },
      entries: [entry(1, 1), entry(2, 1), entry(3, 2, 'new'), entry(4, 2)],
    });
    reopened.close();
  });

  it('truncates a record cut short by a crash and keeps everything before it', () => {
    const [firstSize = 0, fullSize = 0] = writeSample();
    truncateSync(join(dir, LOG_FILE), fullSize - 5);
    const log = DurableLog.open(dir);
    expect(log.truncatedTailBytes).toBe(fullSize - 5 - firstSize);
    expect(log.restored()?.entries.map((e) => e.index)).toEqual([1, 2]);
    log.close();
    expect(statSync(join(dir, LOG_FILE)).size).toBe(firstSize);
  });

  it('truncates a torn header and a zero-filled tail block', () => {
    const [, fullSize = 0] = writeSample();
    appendFileSync(join(dir, LOG_FILE), Buffer.from([0, 0, 1]));
    let log = DurableLog.open(dir);
    expect(log.truncatedTailBytes).toBe(3);
    log.close();
    appendFileSync(join(dir, LOG_FILE), Buffer.alloc(4096));
    log = DurableLog.open(dir);
    expect(log.truncatedTailBytes).toBe(4096);
    expect(log.restored()?.entries).toHaveLength(3);
    log.close();
    expect(statSync(join(dir, LOG_FILE)).size).toBe(fullSize);
  });

  it('truncates a last record whose block was extended but only partly written', () => {
    const [firstSize = 0, fullSize = 0] = writeSample();
    const data = readFileSync(join(dir, LOG_FILE));
    data.fill(0, fullSize - 6);
    writeFileSync(join(dir, LOG_FILE), data);
    const log = DurableLog.open(dir);
    expect(log.truncatedTailBytes).toBe(fullSize - firstSize);
    log.close();
  });

  it('stops on a corrupt record that has intact records after it', () => {
    writeSample();
    const data = readFileSync(join(dir, LOG_FILE));
    data[20] = (data[20] ?? 0) ^ 0x01;
    writeFileSync(join(dir, LOG_FILE), data);
    expect(() => DurableLog.open(dir)).toThrowError(CorruptStateError);
    expect(() => DurableLog.open(dir)).toThrowError(
      /consensus\.wal@0: record checksum \(CRC-32C\) mismatch/,
    );
    // Nothing was truncated: the evidence stays for the administrator.
    expect(readFileSync(join(dir, LOG_FILE))).toEqual(data);
  });

  it('stops on a flipped bit in the last record rather than mistaking it for a torn write', () => {
    const [firstSize = 0] = writeSample();
    const data = readFileSync(join(dir, LOG_FILE));
    data[firstSize + 12] = (data[firstSize + 12] ?? 0) ^ 0x40;
    writeFileSync(join(dir, LOG_FILE), data);
    expect(() => DurableLog.open(dir)).toThrowError(new RegExp(`@${firstSize}: record checksum`));
  });

  it('stops when the hard state commits entries the log no longer holds', () => {
    const log = DurableLog.open(dir);
    log.append([{ kind: 'entries', entries: [entry(1, 1)] }, hard(1, 1)]);
    log.close();
    const [firstSize = 0] = [statSync(join(dir, LOG_FILE)).size];
    const data = readFileSync(join(dir, LOG_FILE));
    // Remove the entries record only, keep the hard state: index 1 is committed but missing.
    const entriesFrameBytes = data.readUInt32BE(0) + 8;
    writeFileSync(join(dir, LOG_FILE), data.subarray(entriesFrameBytes, firstSize));
    expect(() => DurableLog.open(dir)).toThrowError(/commits index 1 but the log ends at 0/);
  });

  it('compacts superseded records and replays the same state', () => {
    const log = DurableLog.open(dir, { compactAfterRecords: 16 });
    for (let index = 1; index <= 40; index++) {
      log.append([{ kind: 'entries', entries: [entry(index, 1)] }, hard(1, index)]);
    }
    log.close();
    const reopened = DurableLog.open(dir);
    expect(reopened.restored()?.hardState.commit).toBe(40);
    expect(reopened.restored()?.entries.map((e) => e.index)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
    reopened.close();
    // 80 records were written; the compacted file holds far fewer frames than that.
    expect(statSync(join(dir, LOG_FILE)).size).toBeLessThan(40 * 2 * 60);
  });
});
