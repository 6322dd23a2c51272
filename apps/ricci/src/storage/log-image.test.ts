import type { LogEntry, Snapshot } from '@quorate/core';
import { describe, expect, it } from 'vitest';
import { LogImage } from './log-image.js';

const entry = (index: number, term = 1): LogEntry => ({
  index,
  term,
  kind: 'command',
  data: `${index}`,
});
const snapshot = (index: number): Snapshot => ({ index, term: 1, config: null, appState: 's' });
const indexes = (image: LogImage) => image.entries.map((e) => e.index);

describe('LogImage', () => {
  it('keeps the entries after a snapshot that retains the log', () => {
    const image = new LogImage();
    image.apply({ kind: 'entries', entries: [1, 2, 3, 4].map((i) => entry(i)) });
    image.apply({ kind: 'snapshot', snapshot: snapshot(2), retainLog: true });
    expect(indexes(image)).toEqual([3, 4]);
    expect(image.lastIndex()).toBe(4);
  });

  it('drops every entry for a snapshot that does not match the log', () => {
    const image = new LogImage();
    image.apply({ kind: 'entries', entries: [1, 2, 3].map((i) => entry(i)) });
    image.apply({ kind: 'snapshot', snapshot: snapshot(7), retainLog: false });
    expect(indexes(image)).toEqual([]);
    expect(image.lastIndex()).toBe(7);
    expect(image.apply({ kind: 'entries', entries: [entry(8)] })).toBeNull();
    expect(image.apply({ kind: 'entries', entries: [entry(10)] })).toBe(
      'entries start at index 10, leaving a gap after 8',
    );
  });

  it('replaces a stored tail from the first new index and ignores entries a snapshot covers', () => {
    const image = new LogImage();
    image.apply({ kind: 'snapshot', snapshot: snapshot(2), retainLog: false });
    image.apply({ kind: 'entries', entries: [3, 4, 5].map((i) => entry(i)) });
    image.apply({ kind: 'entries', entries: [entry(2, 2), entry(3, 2)] });
    expect(image.entries).toEqual([entry(3, 2)]);
  });
});
