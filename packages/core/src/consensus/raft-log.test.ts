import { describe, expect, it } from 'vitest';
import { RaftLog } from './raft-log.js';
import type { LogEntry } from './types.js';

const entry = (index: number, term: number, data = `e${index}`): LogEntry => ({
  index,
  term,
  kind: 'command',
  data,
});

describe('RaftLog', () => {
  it('hands out new entries as unstable until marked stable', () => {
    const log = new RaftLog();
    log.appendNew(1, 'noop', '');
    log.appendNew(1, 'command', 'x');
    expect(log.unstableEntries().map((e) => e.index)).toEqual([1, 2]);
    log.markStable();
    expect(log.unstableEntries()).toEqual([]);
    expect(log.lastIndex()).toBe(2);
    expect(log.lastTerm()).toBe(1);
  });

  it('skips entries it already holds and truncates at the first conflict', () => {
    const log = new RaftLog([entry(1, 1), entry(2, 1), entry(3, 1)]);
    log.appendAfter(0, [entry(1, 1), entry(2, 1)]);
    expect(log.unstableEntries()).toEqual([]);
    log.appendAfter(1, [entry(2, 2, 'new'), entry(3, 2)]);
    expect(log.lastIndex()).toBe(3);
    expect(log.entryAt(2)?.data).toBe('new');
    expect(log.unstableEntries().map((e) => `${e.index}@${e.term}`)).toEqual(['2@2', '3@2']);
  });

  it('applies the up-to-date rule on last term first, then length', () => {
    const log = new RaftLog([entry(1, 1), entry(2, 2)]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(5, 1)).toBe(false);
    expect(log.isUpToDate(2, 2)).toBe(true);
    expect(log.isUpToDate(1, 2)).toBe(false);
  });

  it('refuses a restored log with a gap', () => {
    expect(() => new RaftLog([entry(1, 1), entry(3, 1)])).toThrow(
      'log[3]: entries must be contiguous from 1',
    );
  });

  it('slices inclusively and honours the limit', () => {
    const log = new RaftLog([entry(1, 1), entry(2, 1), entry(3, 1)]);
    expect(log.slice(2, 3).map((e) => e.index)).toEqual([2, 3]);
    expect(log.slice(1, 3, 1).map((e) => e.index)).toEqual([1]);
    expect(log.termAt(0)).toBe(0);
    expect(log.termAt(9)).toBeUndefined();
  });
});
