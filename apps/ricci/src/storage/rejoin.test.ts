import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HardState, LogEntry } from '@quorate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableLog, LOG_FILE } from './durable-log.js';
import { wipeForRejoin } from './rejoin.js';
import { CorruptStateError } from './storage-errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quorate-rejoin-'));
  mkdirSync(join(dir, 'tls'));
  writeFileSync(join(dir, 'tls', 'ca.crt'), 'certificate');
  writeFileSync(join(dir, 'agent.lock'), '{}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const entry = (index: number): LogEntry => ({ index, term: 3, kind: 'noop', data: '' });
const hard: HardState = { term: 3, vote: 'node2', commit: 2, incarnation: 4 };

function storeSomething(): void {
  const log = DurableLog.open(dir);
  log.append([
    { kind: 'entries', entries: [entry(1), entry(2)] },
    { kind: 'hard-state', state: hard },
  ]);
  log.close();
}

describe('ricci --rejoin', () => {
  it('drops the log but keeps term, vote and incarnation, the TLS material and the lock', () => {
    storeSomething();
    writeFileSync(join(dir, `${LOG_FILE}.compacting`), 'left over');
    const wipe = wipeForRejoin(dir, ['agent.lock', 'tls']);
    expect([...wipe.removed].sort()).toEqual([LOG_FILE, `${LOG_FILE}.compacting`]);
    expect(wipe.kept).toEqual({ ...hard, commit: 0 });
    expect(readdirSync(dir).sort()).toEqual(['agent.lock', LOG_FILE, 'tls']);
    expect(readFileSync(join(dir, 'tls', 'ca.crt'), 'utf8')).toBe('certificate');
    const reopened = DurableLog.open(dir);
    expect(reopened.restored()).toEqual({ hardState: { ...hard, commit: 0 }, entries: [] });
    reopened.close();
  });

  it('recovers the newest hard state before the damage of a corrupt log', () => {
    storeSomething();
    const data = readFileSync(join(dir, LOG_FILE));
    // A flipped byte in the first record, with intact records after it: corruption.
    const damaged = Buffer.concat([data, data]);
    damaged[data.length + 10] = (damaged[data.length + 10] ?? 0) ^ 0xff;
    writeFileSync(join(dir, LOG_FILE), damaged);
    expect(() => DurableLog.open(dir)).toThrowError(CorruptStateError);
    expect(wipeForRejoin(dir, ['agent.lock', 'tls']).kept).toEqual({ ...hard, commit: 0 });
    DurableLog.open(dir).close();
  });

  it('starts from nothing when there was no log', () => {
    const wipe = wipeForRejoin(dir, ['agent.lock', 'tls']);
    expect(wipe).toEqual({ removed: [], kept: null });
    expect(existsSync(join(dir, LOG_FILE))).toBe(false);
  });
});
